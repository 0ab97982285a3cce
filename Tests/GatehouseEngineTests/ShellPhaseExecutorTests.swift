import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// Shell-command phases: environment, output, exit status, timeout and stop.
struct ShellPhaseExecutorTests {
    private let directory = FileManager.default.temporaryDirectory.path

    private func run(_ command: String, timeout: Int = 20, mode: RunMode = .dryRun,
                     stopAfter: Int? = nil) -> (ShellPhaseOutcome, [OutputLine]) {
        var lines: [OutputLine] = []
        var polls = 0
        let executor = ShellPhaseExecutor(workingDirectory: directory, environment: ["PATH": "/usr/bin:/bin"])
        let outcome = executor.run(ShellCommand(command: command, timeoutSeconds: timeout), mode: mode, runID: "r-1", phaseID: "p-1",
                                   onLine: { lines.append($0) },
                                   shouldStop: {
                                       polls += 1
                                       return stopAfter.map { polls > $0 } ?? false
                                   })
        return (outcome, lines)
    }

    @Test func outputIsCapturedLineByLinePerStream() {
        let (outcome, lines) = run("echo one; echo two >&2; printf 'three\\r\\nfour'")
        #expect(outcome == .succeeded)
        #expect(lines.filter { $0.stream == .stdout }.map(\.text) == ["one", "three", "four"])
        #expect(lines.filter { $0.stream == .stderr }.map(\.text) == ["two"])
    }

    @Test func theCommandSeesItsRunPhaseModeAndDirectory() {
        let (_, lines) = run("echo $GATEHOUSE_MODE $GATEHOUSE_RUN $GATEHOUSE_PHASE; pwd", mode: .live)
        #expect(lines.map(\.text) == ["live r-1 p-1", URL(fileURLWithPath: directory).resolvingSymlinksInPath().path])
    }

    @Test func aNonZeroExitFailsAndAMissingCommandIs127() {
        #expect(run("exit 3").0 == .failed(exitStatus: 3))
        #expect(run("no-such-command-gatehouse").0 == .failed(exitStatus: 127))
        #expect(run("kill -9 $$").0 == .killedBySignal(9))
    }

    @Test func aTimeoutKillsTheWholeProcessGroup() throws {
        let started = Date()
        let (outcome, lines) = run("sleep 30 & echo $!; wait", timeout: 1)
        #expect(outcome == .timedOut(seconds: 1))
        #expect(Date().timeIntervalSince(started) < 10)
        let child = try #require(lines.first.flatMap { Int32($0.text) })
        Thread.sleep(forTimeInterval: 0.2)
        #expect(!Self.isRunning(child), "the backgrounded sleep survived the timeout")
    }

    /// Whether `pid` is a live process (a zombie waiting for its parent to reap it is not).
    private static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    @Test func aStopRequestTerminatesTheCommand() {
        let (outcome, _) = run("sleep 30", stopAfter: 3)
        #expect(outcome == .stopped)
    }

    @Test func aChildLeftInTheBackgroundDoesNotHangThePhase() {
        let started = Date()
        let (outcome, lines) = run("sleep 30 & echo started")
        #expect(outcome == .succeeded)
        #expect(lines.map(\.text) == ["started"])
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func theBaseEnvironmentIsPassedOnAndTheGatehouseVariablesWin() {
        var lines: [String] = []
        let executor = ShellPhaseExecutor(workingDirectory: directory,
                                          environment: ["PATH": "/usr/bin:/bin", "TEAM": "ops", "GATEHOUSE_MODE": "stale"])
        let outcome = executor.run(ShellCommand(command: "echo $TEAM $GATEHOUSE_MODE", timeoutSeconds: 20), mode: .dryRun,
                                   runID: "r-1", phaseID: "p-1", onLine: { lines.append($0.text) }, shouldStop: { false })
        #expect(outcome == .succeeded)
        #expect(lines == ["ops dryrun"])
    }

    @Test func theCommandRunsInTheWorkingDirectory() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-cwd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "here\n".write(to: folder.appendingPathComponent("marker.txt"), atomically: true, encoding: .utf8)
        var lines: [String] = []
        let executor = ShellPhaseExecutor(workingDirectory: folder.path, environment: ["PATH": "/usr/bin:/bin"])
        let outcome = executor.run(ShellCommand(command: "cat marker.txt", timeoutSeconds: 20), mode: .dryRun,
                                   runID: "r-1", phaseID: "p-1", onLine: { lines.append($0.text) }, shouldStop: { false })
        #expect(outcome == .succeeded)
        #expect(lines == ["here"])
    }

    @Test func aMissingWorkingDirectoryMeansTheCommandCouldNotStart() {
        let executor = ShellPhaseExecutor(workingDirectory: "/nonexistent/gatehouse", environment: [:])
        let outcome = executor.run(ShellCommand(command: "echo never", timeoutSeconds: 20), mode: .dryRun,
                                   runID: "r-1", phaseID: "p-1", onLine: { _ in Issue.record("it ran") }, shouldStop: { false })
        guard case .couldNotStart(let reason) = outcome else {
            Issue.record("expected couldNotStart, got \(outcome)")
            return
        }
        #expect(reason.contains("/nonexistent/gatehouse"))
        #expect(outcome.description.hasPrefix("could not start: "))
    }

    @Test func aCommandThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
        let started = Date()
        let (outcome, lines) = run("trap '' TERM; sleep 30 & echo $!; wait; wait", timeout: 1)
        #expect(outcome == .timedOut(seconds: 1))
        #expect(Date().timeIntervalSince(started) < 15)
        let child = try #require(lines.first.flatMap { Int32($0.text) })
        Thread.sleep(forTimeInterval: 0.2)
        #expect(!Self.isRunning(child), "the sleep that ignored SIGTERM survived")
    }

    @Test func aFloodOfOutputStillStopsAtTheTimeout() {
        let started = Date()
        var count = 0
        let executor = ShellPhaseExecutor(workingDirectory: directory, environment: ["PATH": "/usr/bin:/bin"])
        let outcome = executor.run(ShellCommand(command: "yes", timeoutSeconds: 1), mode: .dryRun, runID: "r-1", phaseID: "p-1",
                                   onLine: { _ in count += 1 }, shouldStop: { false })
        #expect(outcome == .timedOut(seconds: 1))
        #expect(count > 0)
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test func theOutcomeReadsAsASentence() {
        #expect(ShellPhaseOutcome.failed(exitStatus: 3).description == "exited with status 3")
        #expect(ShellPhaseOutcome.killedBySignal(9).description == "was killed by signal 9 (SIGKILL)")
        #expect(ShellPhaseOutcome.timedOut(seconds: 60).description.hasPrefix("timed out after 60 s"))
    }

    @Test func longLinesAreCutAndInvalidUTF8IsRepaired() {
        let (_, lines) = run("head -c 10000 /dev/zero | tr '\\0' x; echo; printf 'a\\377b\\n'")
        #expect(lines.map(\.text.count) == [4096, 4096, 1808, 3])
        #expect(lines.last?.text == "a\u{FFFD}b")
    }

    @Test func aLineOfExactlyTheLimitIsOneLineEvenWhenItsNewlineComesLater() {
        var splitter = ShellLineSplitter(stream: .stdout, maximumBytes: 8)
        var lines: [String] = []
        splitter.append(ArraySlice(Array("12345678".utf8)), { lines.append($0.text) })
        splitter.append(ArraySlice(Array("\r".utf8)), { lines.append($0.text) })
        splitter.append(ArraySlice(Array("\nnext".utf8)), { lines.append($0.text) })
        splitter.finish { lines.append($0.text) }
        #expect(lines == ["12345678", "next"])
    }

    @Test func piecesOfALongLineDoNotSplitACharacter() {
        let text = "x" + String(repeating: "é", count: 10)   // 21 bytes
        var splitter = ShellLineSplitter(stream: .stdout, maximumBytes: 8)
        var pieces: [String] = []
        splitter.append(ArraySlice(Array((text + "\n").utf8)), { pieces.append($0.text) })
        #expect(pieces == ["xééé", "éééé", "ééé"])
        #expect(pieces.joined() == text)
    }

    private func batches(_ command: String) -> (ShellPhaseOutcome, [OutputBatch]) {
        var batches: [OutputBatch] = []
        let executor = ShellPhaseExecutor(workingDirectory: directory, environment: ["PATH": "/usr/bin:/bin"])
        let outcome = executor.run(ShellCommand(command: command, timeoutSeconds: 20), mode: .dryRun, runID: "r-1", phaseID: "p-1",
                                   onBatch: { batches.append($0) }, shouldStop: { false })
        return (outcome, batches)
    }

    @Test func whatACommandWritesComesInBatchesEveryByteAsWritten() {
        let (outcome, batches) = batches("printf 'caf\\303\\251 \\377\\376 \\033[31mred\\033[0m\\r\\n'; "
                                         + "head -c 300000 /dev/zero | tr '\\0' a; printf '\\nend'; echo oops >&2")
        #expect(outcome == .succeeded)
        let expected: [UInt8] = Array("caf".utf8) + [0xC3, 0xA9, 0x20, 0xFF, 0xFE, 0x20] + Array("\u{1B}[31mred\u{1B}[0m\r\n".utf8)
            + Array(repeating: UInt8(ascii: "a"), count: 300_000) + Array("\nend".utf8)
        let stdout = batches.filter { $0.stream == "stdout" }
        #expect(stdout.flatMap(\.bytes) == expected)
        #expect(stdout.count >= 5, "300 KB come in batches of at most about 64 KB")
        #expect(stdout.allSatisfy { $0.bytes.count <= 2 * 64 * 1024 })
        var digest = OutputDigest()
        for batch in stdout {
            #expect(batch.offset == digest.count)
            digest.add(batch.bytes)
            #expect(batch.sha256 == digest.hex)
        }
        #expect(stdout.map(\.isLast) == Array(repeating: false, count: stdout.count - 1) + [true])
        #expect(batches.filter { $0.stream == "stderr" }.map(\.bytes) == [Array("oops\n".utf8)])
        #expect(batches.allSatisfy { $0.phase == "p-1" })
    }

    @Test func aBatchIsPassedOnWhileTheCommandIsStillWriting() {
        let (_, batches) = batches("echo first; sleep 1; echo second")
        #expect(batches.map(\.bytes).filter { !$0.isEmpty } == [Array("first\n".utf8), Array("second\n".utf8)],
                "the first line goes out within the batch delay, not with the second")
    }

    @Test func aCommandThatWritesNothingHasNoBatch() {
        #expect(batches("true").1.isEmpty)
    }

    @Test func emptyLinesAreKept() {
        let (_, lines) = run("printf 'a\\n\\nb\\n'")
        #expect(lines.map(\.text) == ["a", "", "b"])
    }
}
