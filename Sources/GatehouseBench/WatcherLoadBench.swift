import Foundation
import GatehouseCore
import GatehouseEngine

/// Real `gatehouse run --dry-run` runners with no watcher and with twenty `gatehouse watch`
/// processes on the same journal: how much the watchers slow the runner's phases.
///
/// A run's phase time is the sum, over its phases that are not gates, of completed minus
/// started as journaled (the gates wait for this process's approvals, which would measure the
/// benchmark). The journal keeps milliseconds and a dry run's phases take tens of them, so
/// the comparison is of the total over all runs of each condition (rounding errors average
/// out), with the medians beside it. Two hundred runs of each: with no watcher in either
/// condition, 30 runs differed by 6 % and 200 by under 2 % (when a run's phases took 25 ms;
/// at 11 ms, 60 runs of each ranged from -0.7 % to +7.9 % over five invocations with the
/// watchers on). Runs alternate between the two
/// conditions, so a drift of the machine's load falls on both; the watchers' output is read
/// all along, without waiting, as a terminal would.
public struct WatcherLoadBench {
    public var gatehouse: String
    /// Runs per condition.
    public var runs: Int
    public var watchers: Int

    public init(gatehouse: String, quick: Bool) {
        self.gatehouse = gatehouse
        runs = quick ? 3 : 200
        watchers = 20
    }

    /// What the runs measured, in milliseconds.
    public struct Times {
        /// Phase times of the runs without watchers, and with them.
        public var alone: [Double] = []
        public var watched: [Double] = []
        /// CPU time all the watchers used during each watched run.
        public var watcherCPU: [Double] = []
        /// The runner process's own CPU time (user and system), without watchers and with them:
        /// beside the phase times, it tells a runner kept from a core from one that had to do
        /// more work.
        public var runnerCPUAlone: [Double] = []
        public var runnerCPUWatched: [Double] = []
        /// This process's own CPU time during each run (it approves the gates, and reads the
        /// watchers' terminals as sshd would), without watchers and with them.
        public var benchCPUAlone: [Double] = []
        public var benchCPUWatched: [Double] = []
    }

    /// Phase times of the runs without watchers and with `watchers` of them, with the CPU
    /// time the watchers and the runner used.
    public func phaseTimes() throws -> Times {
        let sandbox = try BenchSandbox()
        var environment = sandbox.environment()
        environment["GATEHOUSE_TARGET"] = sandbox.directory + "/pack.sqlite"
        var times = Times()
        for round in 0..<(runs * 2) {
            let withWatchers = round % 2 == 1
            var terminals: [PseudoTerminal] = []
            if withWatchers {
                for _ in 0..<watchers {
                    terminals.append(try PseudoTerminal([gatehouse, "watch"], environment: environment, width: 80, height: 24))
                }
                for terminal in terminals where terminal.read(until: 10, { $0.contains(TerminalBench.lastRow) }) == nil {
                    throw BenchError("a gatehouse watch drew no frame within 10 s")
                }
            }
            let cpuBefore = try terminals.reduce(0) { $0 + (try $1.cpuSeconds()) }
            let benchBefore = Self.ownCPU()
            let (run, runnerCPU) = try oneRun(sandbox, environment: environment, terminals: terminals)
            let benchCPU = Self.ownCPU() - benchBefore
            if withWatchers { times.watcherCPU.append(1000 * (try terminals.reduce(0) { $0 + (try $1.cpuSeconds()) } - cpuBefore)) }
            let milliseconds = try phaseTime(of: run, in: sandbox)
            terminals.forEach { $0.stop() }
            if withWatchers {
                times.watched.append(milliseconds)
                times.runnerCPUWatched.append(runnerCPU)
                times.benchCPUWatched.append(benchCPU)
            } else {
                times.alone.append(milliseconds)
                times.runnerCPUAlone.append(runnerCPU)
                times.benchCPUAlone.append(benchCPU)
            }
        }
        return times
    }

    /// CPU time (ms) of this process's children that have ended and been waited for.
    private static func childrenCPU() -> Double {
        cpu(of: RUSAGE_CHILDREN)
    }

    /// CPU time (ms) of this process.
    private static func ownCPU() -> Double {
        cpu(of: RUSAGE_SELF)
    }

    private static func cpu(of who: __rusage_who) -> Double {
        var usage = rusage()
        getrusage(who.rawValue, &usage)
        func milliseconds(_ time: timeval) -> Double { Double(time.tv_sec) * 1000 + Double(time.tv_usec) / 1000 }
        return milliseconds(usage.ru_utime) + milliseconds(usage.ru_stime)
    }

    /// Runs one dry run to its end, approving its gates, reading the watchers meanwhile; its id
    /// and the runner's CPU time (ms).
    private func oneRun(_ sandbox: BenchSandbox, environment: [String: String], terminals: [PseudoTerminal]) throws -> (String, Double) {
        _ = try sandbox.store.refresh()
        let known = Set(sandbox.store.ledger.newestFirst.map(\.id))
        let runner = Process()
        runner.executableURL = URL(fileURLWithPath: gatehouse)
        runner.arguments = ["run", "--dry-run"]
        runner.environment = environment
        runner.standardOutput = FileHandle.nullDevice
        runner.standardError = FileHandle.nullDevice
        let cpuBefore = Self.childrenCPU()
        try runner.run()
        let deadline = Monotonic.now() + 60
        while runner.isRunning {
            guard Monotonic.now() < deadline else {
                runner.terminate()
                throw BenchError("a dry run did not end within 60 s")
            }
            for terminal in terminals { terminal.readAvailable() }
            _ = try sandbox.store.refresh()
            if let run = sandbox.store.ledger.newestFirst.first(where: { !known.contains($0.id) }),
               case .awaitDecision(let gate) = run.nextStep {
                let name = run.start.sovereigns.first?.name ?? "bench"
                let statement = ApprovalStatement.make(run: run, gate: gate, approve: true, by: name, reason: "",
                                                       signedAt: WallClock.system.milliseconds(), nonce: UUID().uuidString)
                try sandbox.store.record(.gateApproved(GateDecision(gate: gate, by: name, reason: "", statement: statement,
                                                                    provider: StubSigning.providerName, signature: StubSigning.sign(statement))),
                                         run: run.id, actor: name)
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        runner.waitUntilExit()
        let runnerCPU = Self.childrenCPU() - cpuBefore
        guard runner.terminationStatus == 0 else { throw BenchError("a dry run exited \(runner.terminationStatus)") }
        _ = try sandbox.store.refresh()
        guard let run = sandbox.store.ledger.newestFirst.first(where: { !known.contains($0.id) }) else {
            throw BenchError("a dry run left no run in the journal")
        }
        return (run.id, runnerCPU)
    }

    /// Sum of the non-gate phases' journaled durations, in milliseconds.
    private func phaseTime(of runID: String, in sandbox: BenchSandbox) throws -> Double {
        _ = try sandbox.store.refresh()
        guard let run = sandbox.store.ledger[runID], run.outcome == .closed else {
            throw BenchError("run \(runID) did not close out")
        }
        return Double(run.phases.filter { $0.phase.gate == nil }.reduce(Int64(0)) { total, record in
            guard let started = record.startedAt, let ended = record.endedAt else { return total }
            return total + (ended - started)
        })
    }
}
