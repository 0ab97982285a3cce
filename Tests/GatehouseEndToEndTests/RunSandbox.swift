import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport

/// A journal, a context-pack target and a programme in a temporary folder, and the `gatehouse`
/// binary pointed at them: one sandbox per test, removed at the end.
///
/// The programme is the O5 programme with its LIVE preconditions met (``LiveReadyProgramme``),
/// unless the test asks for the embedded one as it ships.
final class RunSandbox {
    let directory: String
    var journalPath: String { directory + "/journal.sqlite" }
    var targetPath: String { directory + "/pack.sqlite" }
    /// The programme file every command reads, or nil for the embedded O5 programme.
    let programmePath: String?
    private var processes: [BackgroundProcess] = []

    init(liveReady: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-run-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        programmePath = liveReady ? try LiveReadyProgramme.write(into: directory) : nil
    }

    deinit {
        for process in processes { process.kill(SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    var environment: [String: String] {
        ["GATEHOUSE_JOURNAL": journalPath, "GATEHOUSE_TARGET": targetPath, "USER": "tester",
         "GATEHOUSE_PROGRAMME": programmePath ?? ""]
    }

    /// Runs `gatehouse` to its end.
    func gatehouse(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        try Binary.run(arguments, environment: environment.merging(extra) { $1 })
    }

    /// A sandbox whose live-ready programme has `sovereigns` (a whole `sovereigns:` section)
    /// for its own, and the files `beside` (name: text) in its folder, checked by
    /// `gatehouse check`, with its target made by `gatehouse init`.
    static func withSovereigns(_ sovereigns: String, beside files: [String: String] = [:]) throws -> RunSandbox {
        let sandbox = try RunSandbox()
        for (name, text) in files { try text.write(toFile: sandbox.directory + "/" + name, atomically: true, encoding: .utf8) }
        guard let file = sandbox.programmePath else { throw E2EError("a live-ready sandbox has a programme file") }
        try LiveReadyProgramme.withSovereigns(sovereigns).write(toFile: file, atomically: true, encoding: .utf8)
        let checked = try sandbox.gatehouse(["check", file])
        guard checked.status == 0 else { throw E2EError("the programme does not check: \(checked.stdout)\(checked.stderr)") }
        let created = try sandbox.gatehouse(["init"])
        guard created.status == 0 else { throw E2EError("gatehouse init failed: \(created.stderr)") }
        return sandbox
    }

    /// Makes the programme encrypt LIVE backups to `recipients` (and, with `requireDrill`,
    /// require a passing drill before SG_2).
    func encryptBackups(to recipients: [String], requireDrill: Bool = false) throws {
        guard let path = programmePath else { throw E2EError("the embedded programme cannot be changed; use a live-ready sandbox") }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try (text + "\nbackup:\n  recipients: [\(recipients.joined(separator: ", "))]\n" + (requireDrill ? "  require_drill: true\n" : ""))
            .write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Starts `gatehouse` in the background (a runner), killed at the end of the test if still alive.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> BackgroundProcess {
        try spawn([Binary.path] + arguments, environment: extra)
    }

    /// Starts any command in the sandbox's environment, killed at the end of the test if still alive.
    func spawn(_ command: [String], environment extra: [String: String] = [:]) throws -> BackgroundProcess {
        let process = try BackgroundProcess(arguments: command, environment: environment.merging(extra) { $1 },
                                            outputPath: directory + "/runner-\(processes.count).out")
        processes.append(process)
        return process
    }

    /// The runs as the journal holds them now.
    func store() throws -> RunStore {
        try RunStore(journal: SQLiteJournal(path: journalPath))
    }

    /// The one run in the journal (waits for it to appear).
    func onlyRun(timeout: TimeInterval = 20) throws -> RunState {
        try waitFor("a run to start", timeout: timeout) { store in store.ledger.newestFirst.first }
    }

    /// Polls the journal until `condition` gives a value.
    func waitFor<T>(_ what: String, timeout: TimeInterval = 20, _ condition: (RunStore) throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: journalPath) {
                let store = try store()
                if let value = try condition(store) { return value }
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw E2EError("timed out after \(timeout) s waiting for \(what)")
    }

    /// Plays the sovereigns for `process`'s run until the process ends: approves each gate
    /// it waits at and enables the kill-switch when a LIVE run asks for it, stub-signed by the
    /// first sovereign the run pinned (the O5 demo sovereign), bound to the run's facts.
    @discardableResult
    func drive(_ process: BackgroundProcess, timeout: TimeInterval = 30) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = process.exitStatus { return status }
            if FileManager.default.fileExists(atPath: journalPath), case let store = try store(), let run = store.ledger.newestFirst.first {
                switch run.nextStep {
                case .awaitDecision(let gate):
                    try? store.record(.gateApproved(TestDecisions.approval(of: run, gate: gate)), run: run.id, actor: "sovereign")
                case .awaitKillSwitch:
                    try? store.record(.killSwitchEnabled(TestDecisions.enable(of: run)), run: run.id, actor: "sovereign")
                default:
                    break
                }
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        if let debug = ProcessInfo.processInfo.environment["GATEHOUSE_DEBUG_HANG"] {
            _ = try? Spawn.run(["/bin/sh", "-c", "lldb -p \(process.pid) --batch -o 'thread backtrace all' > \(debug)/hang-\(process.pid).txt 2>&1"])
        }
        process.kill(SIGKILL)
        let state = (try? store().ledger.newestFirst.first).flatMap { $0 }
        let situation = state.map { "\($0.id): \($0.situation), next step \($0.nextStep), switch \($0.switchOn), last refusals \($0.refusals.suffix(3).map(\.message))" } ?? "no run"
        throw E2EError("the runner did not end within \(timeout) s (\(situation)); output:\n\(process.output)")
    }

    /// Counts per table of the target.
    func counts() throws -> [String: Int64] {
        try SQLiteContextPack(path: targetPath, readOnly: true).snapshot().counts
    }
}

/// A process started in the background (``Spawn/start(_:environment:outputPath:)``), its output in a file.
final class BackgroundProcess {
    let pid: pid_t
    let outputPath: String
    private var status: Int32?

    init(arguments: [String], environment: [String: String], outputPath: String) throws {
        self.outputPath = outputPath
        pid = try Spawn.start(arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                              outputPath: outputPath)
    }

    /// The exit status once the process ended (128+N for a signal), without waiting.
    var exitStatus: Int32? {
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        status = ProcessSpawn.exitStatus(raw)
        return status
    }

    /// Waits for the process to end.
    func wait(timeout: TimeInterval = 30) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let exitStatus { return exitStatus }
            Thread.sleep(forTimeInterval: 0.01)
        }
        kill(SIGKILL)
        throw E2EError("process \(pid) still running after \(timeout) s; output:\n\(output)")
    }

    func kill(_ signal: Int32) {
        if exitStatus == nil { _ = Foundation.kill(pid, signal) }
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
}
