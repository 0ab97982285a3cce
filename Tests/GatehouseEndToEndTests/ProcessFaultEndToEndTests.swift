import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// Process faults at instants nobody chose: SIGKILL and SIGTERM to LIVE runners, SIGHUP to a
/// dashboard (a dropped SSH session), and a journal that cannot be written.
///
/// `GATEHOUSE_FAULT_TRIALS` sets how many kill trials run (CI: 6; the long mode in
/// docs/reliability.md: 200). The window is the length of one undisturbed LIVE run, measured
/// first, plus a tenth; trial `i` waits `(i × 0.618…) mod 1` of it before its signal (a
/// golden-ratio sequence: the instants spread evenly over the run, reproducibly), and sends
/// SIGKILL to even trials, SIGTERM to odd ones.
@Suite(.serialized)
struct ProcessFaultEndToEndTests {
    static let trials = Int(ProcessInfo.processInfo.environment["GATEHOUSE_FAULT_TRIALS"] ?? "") ?? 6

    /// What one trial found, for the figures the suite prints.
    struct TrialResult {
        var signal: Int32
        var delay: TimeInterval
        /// The runner was still running when the signal came.
        var interrupted: Bool
        /// The units the target held right after the signal (0 or 8: never a part).
        var unitsAfterSignal: Int64
    }

    @Test func liveRunnersSignalledAtRandomInstantsResumeToOneCopyOfEachUnitWithEveryApproval() throws {
        let window = try undisturbedRunSeconds() * 1.1
        var results: [TrialResult] = []
        for trial in 0..<Self.trials {
            let delay = (Double(trial) * 0.6180339887).truncatingRemainder(dividingBy: 1) * window
            let signal = trial % 2 == 0 ? SIGKILL : SIGTERM
            results.append(try runTrial(signal: signal, delay: delay, label: "trial \(trial)"))
        }
        let interrupted = results.filter(\.interrupted)
        print("""
            process faults: \(results.count) trials over a window of \(Int(window * 1000)) ms, \(interrupted.count) interrupted a running LIVE runner \
            (\(interrupted.filter { $0.signal == SIGKILL }.count) SIGKILL, \(interrupted.filter { $0.signal == SIGTERM }.count) SIGTERM), \
            \(results.count - interrupted.count) came after its end; all \(results.count) resumed to exactly one copy of each unit \
            with every approval, a verifying journal and the switch off
            """)
        #expect(interrupted.count * 2 >= results.count, "most signals should land while the runner runs; widen or narrow the window")
    }

    /// How long a LIVE run takes from `gatehouse run` to its exit, its gates approved at once.
    private func undisturbedRunSeconds() throws -> TimeInterval {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let started = Date()
        let runner = try sandbox.start(["run", "--live"])
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        return Date().timeIntervalSince(started)
    }

    /// Starts a LIVE run, signals its runner `delay` seconds in, resumes it if it did not end,
    /// and checks what must hold whatever the instant was.
    private func runTrial(signal: Int32, delay: TimeInterval, label: String) throws -> TrialResult {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let runner = try sandbox.start(["run", "--live"])
        let pid = runner.pid
        let killer = Thread {
            Thread.sleep(forTimeInterval: delay)
            kill(pid, signal)
        }
        killer.start()
        let status = try sandbox.drive(runner)
        let interrupted = status != 0
        #expect([0, 128 + signal].contains(status), "\(label): exit \(status)\n\(runner.output)")
        let unitsAfterSignal = try sandbox.counts()["unit"] ?? -1
        guard let run = try? sandbox.store().ledger.newestFirst.first else {
            // Killed before it journaled its start: there is no run, and nothing was written.
            #expect(interrupted && unitsAfterSignal == 0, "\(label): no run, exit \(status), \(unitsAfterSignal) units")
            return TrialResult(signal: signal, delay: delay, interrupted: interrupted, unitsAfterSignal: unitsAfterSignal)
        }
        #expect(unitsAfterSignal == 0 || unitsAfterSignal == 8, "\(label): a partial write of \(unitsAfterSignal) units")
        let approvalsBefore = Set(run.decisions.map(\.decision.signature))
        if signal == SIGTERM && interrupted {
            // SIGTERM ends the runner safely: the journal says so and the switch is off.
            #expect(!run.runnerAttached && !run.switchOn, "\(label): \(run.situation)")
        }

        if run.outcome == nil {
            let resumed = try sandbox.start(["resume", run.id])
            #expect(try sandbox.drive(resumed) == 0, "\(label): \(resumed.output)")
        }
        let final = try #require(try sandbox.store().ledger[run.id])
        #expect(final.outcome == .closed, "\(label): \(String(describing: final.outcome))")
        #expect(try sandbox.counts() == ["document": 3, "unit": 8, "cut_marker": 1], "\(label)")
        #expect(approvalsBefore.isSubset(of: Set(final.decisions.map(\.decision.signature))), "\(label): an approval was lost")
        #expect(final.decisions.map(\.decision.gate) == ["SG_1", "SG_2"], "\(label)")
        #expect(try sandbox.gatehouse(["verify"]).status == 0, "\(label)")
        #expect(try sandbox.store().ledger.killSwitchHolder == nil, "\(label)")
        return TrialResult(signal: signal, delay: delay, interrupted: interrupted, unitsAfterSignal: unitsAfterSignal)
    }

    @Test func aDroppedSessionEndsTheDashboardButNotTheDryRunItStarted() throws {
        // Given an operator's dashboard over SSH that started a dry run with d, now at SG_1.
        // The pane's shell stands for the SSH session: it survives the hangup (trap) to say
        // how the dashboard ended; a trap with a command is not inherited by the dashboard.
        // It then becomes a plain `sleep` (exec), which the end of the session does end.
        let sandbox = try RunSandbox()
        let environment = sandbox.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]) { $1 }
        let tmux = try TmuxSession(command: "trap 'echo HANGUP' HUP; '\(Binary.path)' --as demo; echo EXITED $?; exec sleep 600",
                                   environment: environment)
        defer { tmux.close() }
        try tmux.waitFor("1 Matrix")
        try tmux.send("3")
        try tmux.waitFor("d dry run")
        try tmux.send("d")
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(RunnerLockFiles(journalPath: sandbox.journalPath).presence(of: run.id).isAlive)
        let before = try Data(contentsOf: URL(fileURLWithPath: sandbox.journalPath))

        // When the session drops: SIGHUP to the terminal's foreground process group, as the
        // kernel sends it on a hangup
        let shell = try tmux.panePID()
        defer { kill(shell, SIGKILL) }
        let children = try Spawn.run(["/usr/bin/pgrep", "-P", String(shell)]).output
        let dashboard = try #require(children.split(separator: "\n").compactMap { Int32($0) }.first)
        let group = getpgid(dashboard)
        #expect(group > 0)
        kill(-group, SIGHUP)

        // Then the dashboard ends (128 + SIGHUP) and gives the terminal back; the journal is
        // untouched and the dry run's runner, in a session of its own, still runs
        try tmux.waitFor("EXITED 129")
        #expect(try Data(contentsOf: URL(fileURLWithPath: sandbox.journalPath)) == before)
        #expect(RunnerLockFiles(journalPath: sandbox.journalPath).presence(of: run.id).isAlive)
        #expect(try sandbox.store().ledger[run.id]?.runnerAttached == true)
        // And it goes on once approved, to the next gate
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "demo"]).status == 0)
        _ = try sandbox.waitFor("SG_2") { $0.ledger[run.id].flatMap { $0.waitingGate == "SG_2" ? $0 : nil } }
        #expect(try sandbox.gatehouse(["abort", run.id, "--reason", "the test is done with it"]).status == 0)
    }

    @Test func aDashboardWhoseTerminalClosesWithoutAHangupSignalEndsToo() throws {
        // Given a watcher in a session of its own (setsid): the terminal is its input and
        // output but not its controlling terminal, so closing it sends no SIGHUP
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let pidFile = sandbox.directory + "/watcher.pid"
        let environment = sandbox.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]) { $1 }
        let tmux = try TmuxSession(command: "setsid -w sh -c 'echo $$ > \(pidFile); exec \"$0\" watch' '\(Binary.path)'",
                                   environment: environment)
        defer { tmux.close() }
        try tmux.waitFor("1 Matrix")
        let watcher = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Only while it runs: once it has ended, its pid may be another process's.
        defer { if Self.isRunning(watcher) { kill(watcher, SIGKILL) } }

        // When the terminal goes away (the tmux server, and with it the pseudo-terminal's master)
        tmux.close()

        // Then the watcher ends within seconds instead of reading a dead terminal forever
        let deadline = Date().addingTimeInterval(10)
        while Self.isRunning(watcher), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!Self.isRunning(watcher), "the watcher still runs 10 s after its terminal closed")
    }

    /// Whether `pid` is a process that has not exited (a zombie nobody reaped has).
    private static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let afterName = stat.range(of: ") ", options: .backwards) else { return false }
        return !stat[afterName.upperBound...].hasPrefix("Z")
    }

    @Test func aJournalThatCannotBeWrittenStopsTheRunnerWithAClearError() throws {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        let runner = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        runner.kill(SIGTERM)
        #expect(try runner.wait() == 143)
        let before = try sandbox.store().ledger.sequence

        // Given a disk that is full for the runner: no file may grow past 1 KiB (RLIMIT_FSIZE;
        // root ignores a read-only mode, so a full disk is what can be simulated here)
        let resumed = try sandbox.spawn(["/bin/sh", "-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" resume \"$1\"", Binary.path, run.id])
        // When the runner must journal to go on, it stops with a clear error, not a crash or a hang
        let status = try resumed.wait(timeout: 30)
        #expect(status == 2, "exit \(status): \(resumed.output)")
        #expect(resumed.output.contains("the journal \(sandbox.journalPath) cannot be written"), "\(resumed.output)")
        #expect(resumed.output.contains("is the disk full"), "\(resumed.output)")
        #expect(!resumed.output.contains("Fatal error"))
        // And the journal is as it was, verifies, nothing was written to the target, no switch is on
        #expect(try sandbox.store().ledger.sequence == before)
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
        #expect(try sandbox.counts()["unit"] == 0)
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
        // And with the disk back, the run resumes and completes
        let again = try sandbox.start(["resume", run.id])
        #expect(try sandbox.drive(again) == 0, "\(again.output)")
        #expect(try sandbox.counts()["unit"] == 8)
    }
}
