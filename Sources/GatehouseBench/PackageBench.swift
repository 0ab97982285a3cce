import Foundation
import GatehouseCore
import GatehouseEngine

/// A command-review package of 1,000 phases and 100 MB of scripts: built and written, read and
/// checked, run for real as a dry run by `gatehouse run --package`, and the runner's re-hashing
/// of the scripts before each phase timed alone (the same checks, in the same order, against
/// the same unpacked files) as a share of that run.
public struct PackageBench {
    public var gatehouse: String
    public var phases: Int
    /// Bytes of each phase's script.
    public var scriptBytes: Int

    public init(gatehouse: String, quick: Bool) {
        self.gatehouse = gatehouse
        phases = quick ? 50 : 1_000
        scriptBytes = quick ? 10_000 : 100_000
    }

    /// What was measured, in milliseconds.
    public struct Times {
        public var build: Double
        public var verify: Double
        public var run: Double
        public var rehash: Double
        public var bytes: Int64
    }

    public func measure() throws -> Times {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-package-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/scripts", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let programmePath = try writeProgramme(in: folder)
        guard case .success(let programme) = ProgrammeLoader.load(path: programmePath) else {
            throw BenchError("the bench's programme of \(phases) phases does not load")
        }
        let packagePath = folder + "/bench.pkg"
        var start = Monotonic.now()
        let built = try PackageBuilder(programme: programme, base: folder).build(plan: "bench")
        try PackageArchive.write(built, from: folder, to: packagePath)
        let build = (Monotonic.now() - start) * 1000
        start = Monotonic.now()
        _ = try PackageArchive.read(packagePath)
        let verify = (Monotonic.now() - start) * 1000

        let journal = folder + "/journal.sqlite"
        start = Monotonic.now()
        let runner = Process()
        runner.executableURL = URL(fileURLWithPath: gatehouse)
        runner.arguments = ["run", "--dry-run", "--package", packagePath, "--programme", programmePath, "--journal", journal]
        runner.environment = ProcessInfo.processInfo.environment.merging(["GATEHOUSE_JOURNAL": journal]) { $1 }
        runner.standardOutput = FileHandle.nullDevice
        runner.standardError = FileHandle.nullDevice
        try runner.run()
        runner.waitUntilExit()
        let run = (Monotonic.now() - start) * 1000
        guard runner.terminationStatus == 0 else { throw BenchError("the dry run of the bench package exited \(runner.terminationStatus)") }
        let store = try RunStore(journal: SQLiteJournal(path: journal))
        guard let state = store.ledger.newestFirst.first, state.outcome == .closed, let unpacked = state.start.directory else {
            throw BenchError("the dry run of the bench package did not close out")
        }
        return Times(build: build, verify: verify, run: run, rehash: try rehash(state, in: unpacked),
                     bytes: built.files.reduce(0) { $0 + $1.size })
    }

    /// The runner's checks before each phase of `run`, replayed on its unpacked files, timed alone.
    private func rehash(_ run: RunState, in directory: String) throws -> Double {
        let host = HostSteps(shell: ShellPhaseExecutor(workingDirectory: directory, environment: [:]), directory: directory)
        var ledger = RunLedger()
        var sequence: Int64 = 1
        _ = ledger.apply(.started(run.start), run: run.id, actor: "bench", sequence: sequence, time: 0)
        var total = 0.0
        for phase in run.start.plan.phases {
            guard let state = ledger[run.id] else { break }
            let start = Monotonic.now()
            if let refusal = host.refusal(before: phase, of: state) { throw BenchError("the replayed check refused \(phase.id): \(refusal)") }
            total += Monotonic.now() - start
            sequence += 1
            _ = ledger.apply(.phaseStarted(phase: phase.id), run: run.id, actor: "bench", sequence: sequence, time: sequence)
            sequence += 1
            _ = ledger.apply(.phaseCompleted(phase: phase.id, facts: RunFacts()), run: run.id, actor: "bench", sequence: sequence, time: sequence)
        }
        return total * 1000
    }

    /// The embedded programme with a plan of `phases` scripts of `scriptBytes` each; one phase in
    /// the middle changes the host (so the runner checks every script still to run before it).
    private func writeProgramme(in folder: String) throws -> String {
        let padding = String(repeating: "# padding of a generated script, so that it weighs what a real one might\n",
                             count: max(1, scriptBytes / 72))
        var plan = "\nplans:\n  - id: bench\n    title: A package of \(phases) phases\n    phases:\n"
        for index in 0..<phases {
            let name = String(format: "scripts/s%04d.sh", index)
            try ("#!/bin/sh\n" + padding + "exit 0\n").write(toFile: folder + "/" + name, atomically: false, encoding: .utf8)
            chmod(folder + "/" + name, 0o755)
            plan += "      - {id: p\(index), run: ./\(name), mutates: \(index == phases / 2)}\n"
        }
        let path = folder + "/bench.yaml"
        try (EmbeddedProgramme.o5 + plan).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
