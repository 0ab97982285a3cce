import Foundation
import GatehouseCore
import GatehouseEngine

/// A chatty command phase: `lines` lines of 64 bytes printed by `awk`, run by the real runner in
/// a dry run, against the same command with its output sent to a file; how much the journal
/// grew against what the command wrote; and how far a watcher's log tail lags behind a line
/// the command writes.
public struct OutputBench {
    public var gatehouse: String
    /// Lines the chatty phase prints (64 bytes each, newline included).
    public var lines: Int
    /// Runs of each side, for medians.
    public var runs: Int
    /// Lines timed from the command's write to the watcher's screen.
    public var latencyLines: Int

    public init(gatehouse: String, quick: Bool) {
        self.gatehouse = gatehouse
        lines = quick ? 50_000 : 1_000_000
        runs = quick ? 1 : 3
        latencyLines = quick ? 20 : 100
    }

    /// What was measured: times in milliseconds, sizes in bytes.
    public struct Times {
        /// The phase's time in each run (its `phase.started` to its `phase.completed`).
        public var phase: [Double] = []
        /// The same command writing to a file, each time.
        public var byHand: [Double] = []
        /// The journal's growth for the chatty run, beyond that of the same run printing nothing.
        public var journalGrowth: Int64 = 0
        /// What the command wrote.
        public var outputBytes: Int64 = 0
        /// From a line written to the watcher showing it.
        public var latency: [Double] = []
    }

    private var command: String { "awk 'BEGIN { for (i = 0; i < \(lines); i++) printf \"%063d\\n\", i }'" }

    public func measure(progress: (String) -> Void) throws -> Times {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-output-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let programme = try writeProgramme(in: folder)
        var times = Times()
        for index in 0..<runs {
            progress("run \(index + 1) of \(runs): \(lines) lines by hand into a file, then through a dry run")
            times.byHand.append(try byHand(in: folder))
            let journal = folder + "/journal-\(index).sqlite"
            try dryRun("chatty", programme: programme, journal: journal)
            times.phase.append(try phaseTime(journal))
            if index == 0 {
                let quiet = folder + "/quiet.sqlite"
                try dryRun("quiet", programme: programme, journal: quiet)
                times.journalGrowth = try Self.size(of: journal) - Self.size(of: quiet)
                times.outputBytes = Int64(lines * 64)
            }
        }
        progress("a watcher's lag behind \(latencyLines) lines a command writes")
        times.latency = try latency(programme: programme, in: folder)
        return times
    }

    private func writeProgramme(in folder: String) throws -> String {
        let path = folder + "/output.yaml"
        try (EmbeddedProgramme.o5 + """

            plans:
              - id: chatty
                title: A phase printing \(lines) lines
                phases:
                  - {id: talk, run: "\(command.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))", mutates: false}
              - id: quiet
                title: The same phase printing nothing
                phases:
                  - {id: talk, run: "awk 'BEGIN { }'", mutates: false}
              - id: fifo
                title: A phase printing what the benchmark writes into a FIFO
                phases:
                  - {id: talk, run: "cat lines.fifo", mutates: false, timeout: 600}

            """).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Milliseconds the command takes with its output sent to a file.
    private func byHand(in folder: String) throws -> Double {
        let start = Monotonic.now()
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", command + " > " + folder + "/by-hand.out"]
        try shell.run()
        shell.waitUntilExit()
        guard shell.terminationStatus == 0 else { throw BenchError("`\(command)` exited \(shell.terminationStatus)") }
        return (Monotonic.now() - start) * 1000
    }

    private func runner(_ plan: String, programme: String, journal: String) throws -> Process {
        let runner = Process()
        runner.executableURL = URL(fileURLWithPath: gatehouse)
        runner.arguments = ["run", "--dry-run", "--plan", plan, "--programme", programme, "--journal", journal]
        runner.currentDirectoryURL = URL(fileURLWithPath: (programme as NSString).deletingLastPathComponent)
        runner.standardOutput = FileHandle.nullDevice
        runner.standardError = FileHandle.nullDevice
        try runner.run()
        return runner
    }

    private func dryRun(_ plan: String, programme: String, journal: String) throws {
        let runner = try runner(plan, programme: programme, journal: journal)
        runner.waitUntilExit()
        guard runner.terminationStatus == 0 else { throw BenchError("the dry run of plan \(plan) exited \(runner.terminationStatus)") }
    }

    /// The talk phase's time as the journal has it, in milliseconds.
    private func phaseTime(_ journal: String) throws -> Double {
        let events = try SQLiteJournal(path: journal).events(after: 0)
        guard let started = events.first(where: { $0.kind == "phase.started" }),
              let completed = events.first(where: { $0.kind == "phase.completed" }) else {
            throw BenchError("the chatty dry run journaled no completed phase")
        }
        return Double(completed.timeMilliseconds - started.timeMilliseconds)
    }

    private static func size(of journal: String) throws -> Int64 {
        var total: Int64 = 0
        for path in [journal, journal + "-wal"] {
            if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber { total += size.int64Value }
        }
        return total
    }

    /// Milliseconds from each line written into the phase's FIFO to `gatehouse watch` showing it.
    private func latency(programme: String, in folder: String) throws -> [Double] {
        let fifo = folder + "/lines.fifo"
        guard mkfifo(fifo, 0o600) == 0 else { throw BenchError("cannot make the FIFO \(fifo): \(String(cString: strerror(errno)))") }
        let journal = folder + "/latency.sqlite"
        let runner = try runner("fifo", programme: programme, journal: journal)
        defer { if runner.isRunning { runner.terminate() }; runner.waitUntilExit() }
        // Blocks until the phase's `cat` opens the FIFO to read it.
        guard let writer = FileHandle(forWritingAtPath: fifo) else { throw BenchError("cannot open the FIFO \(fifo) to write") }
        let environment = ["GATEHOUSE_JOURNAL": journal, "TERM": "xterm-256color", "LANG": "C.UTF-8",
                           "HOME": folder, "XDG_CONFIG_HOME": folder, "PATH": "/usr/bin:/bin"]
        let terminal = try PseudoTerminal([gatehouse, "watch"], environment: environment, width: 100, height: 40)
        defer { terminal.stop() }
        guard terminal.read(until: 10, { $0.contains("talk") }) != nil else { throw BenchError("gatehouse watch drew no frame") }
        terminal.readUntilQuiet(0.3)
        var random = SystemRandomNumberGenerator()
        var samples: [Double] = []
        for line in 1...latencyLines {
            terminal.read(for: Double.random(in: 0...0.1, using: &random))
            terminal.clear()
            let written = Monotonic.now()
            writer.write(Data("line-\(line)-shown\n".utf8))
            guard let shown = terminal.read(until: 2, { $0.contains("line-\(line)-shown") }) else {
                throw BenchError("the watcher did not show line \(line) within 2 s")
            }
            samples.append((shown - written) * 1000)
        }
        try writer.close()
        runner.waitUntilExit()
        return samples
    }
}
