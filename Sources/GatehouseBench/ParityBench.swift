import Foundation
import GatehouseCore
import GatehouseEngine

/// Two runs of the same plan in two journals (two "hosts"), each of about 10^5 events, made by
/// the real runner, resumed after their close-out and exported as run records; then
/// `gatehouse compare` of the two record files timed as a user runs it (both records read,
/// each chain walked and folded and its signatures checked, then compared).
public struct ParityBench {
    public var gatehouse: String
    /// Lines each run's phase prints, each a `log` event.
    public var lines: Int
    /// Times `compare` is run; the median is reported.
    public var repetitions: Int

    public init(gatehouse: String, quick: Bool) {
        self.gatehouse = gatehouse
        lines = quick ? 5_000 : 100_000
        repetitions = quick ? 3 : 5
    }

    /// What was measured.
    public struct Times {
        /// Events in each run (its own, as the record holds them).
        public var events: [Int]
        /// Wall time of `gatehouse compare A B` on the two record files, each run, in ms.
        public var compare: [Double]
    }

    public func measure() throws -> Times {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-parity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let programme = try writeProgramme(in: folder)
        var records: [String] = []
        var events: [Int] = []
        for host in ["a", "b"] {
            let journal = "\(folder)/\(host).sqlite"
            try gatehouse(["run", "--dry-run", "--plan", "parity", "--programme", programme, "--journal", journal], in: folder)
            let store = try RunStore(journal: SQLiteJournal(path: journal))
            guard let run = store.ledger.newestFirst.first, run.outcome == .closed else {
                throw BenchError("the parity bench's dry run on host \(host) did not close out")
            }
            try gatehouse(["resume", run.id, "--journal", journal], in: folder)
            let record = "\(folder)/\(host).json"
            try gatehouse(["export", run.id, "--format", "json", "--output", record, "--journal", journal], in: folder)
            records.append(record)
            events.append(try store.journal.events(after: 0).count)
        }
        var compare: [Double] = []
        for _ in 0..<repetitions {
            let start = Monotonic.now()
            try gatehouse(["compare", records[0], records[1]], in: folder)
            compare.append((Monotonic.now() - start) * 1000)
        }
        return Times(events: events, compare: compare)
    }

    /// Runs `gatehouse` to its end, its output discarded; throws unless it exits 0.
    private func gatehouse(_ arguments: [String], in folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gatehouse)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ProcessInfo.processInfo.environment.merging(["GATEHOUSE_TARGET": folder + "/pack.sqlite"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("`gatehouse \(arguments.prefix(2).joined(separator: " "))` in the parity bench exited \(process.terminationStatus)")
        }
    }

    /// The embedded programme with a plan of three read-only phases, the middle one printing
    /// ``lines`` lines.
    private func writeProgramme(in folder: String) throws -> String {
        try "#!/bin/sh\nseq 1 \(lines)\n".write(toFile: folder + "/emit.sh", atomically: true, encoding: .utf8)
        chmod(folder + "/emit.sh", 0o755)
        let plan = """

            plans:
              - id: parity
                title: A plan whose run journals \(lines) lines
                phases:
                  - {id: check, run: "true", mutates: false}
                  - {id: emit, run: ./emit.sh, mutates: false}
                  - {id: done, run: "true", mutates: false}

            """
        let path = folder + "/parity.yaml"
        try (EmbeddedProgramme.o5 + plan).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
