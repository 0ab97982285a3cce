import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// Long work shows how far it is on a terminal, with a count and a rate, and nothing of the
/// kind when its output goes to a file or a pipe.
@Suite(.serialized)
struct ProgressEndToEndTests {
    /// A journal of one dry run that printed `lines` lines in its first phase.
    private func journal(in sandbox: RunSandbox, lines: Int) throws {
        let journal = try SQLiteJournal(path: sandbox.journalPath)
        let start = RunEvent.started(RunStart(mode: .dryRun, plan: .productionCut, document: "d", target: nil, operatorName: "t", signing: "stub"))
        let phase = RunEvent.phaseStarted(phase: "identity_guards")
        _ = try journal.append(after: .max) { _ in [start, phase].map { JournalEntry(runID: "r1", kind: $0.kind, actor: "t", payload: $0.payload) } }
        for batch in stride(from: 0, to: lines, by: 1000) {
            _ = try journal.append(after: .max) { _ in
                (batch..<min(lines, batch + 1000)).map { line in
                    let log = RunEvent.log(phase: "identity_guards", stream: "stdout", text: "line \(line)")
                    return JournalEntry(runID: "r1", kind: log.kind, actor: "t", payload: log.payload)
                }
            }
        }
    }

    /// Runs `gatehouse arguments` on a terminal (tmux) to its end: every byte it wrote to the
    /// terminal, and the screen it left.
    private func onTerminal(_ arguments: [String], in sandbox: RunSandbox) throws -> (written: String, screen: String) {
        let command = ([Binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let tmux = try TmuxSession(command: "read go; \(command); echo ENDED $?; sleep 600", width: 160, height: 20,
                                   environment: sandbox.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]) { $1 })
        defer { tmux.close() }
        let output = sandbox.directory + "/terminal-\(UUID().uuidString.prefix(8)).bytes"
        try tmux.recordOutput(to: output)
        try tmux.send("Enter")
        let screen = try tmux.waitFor("ENDED", timeout: 60)
        try tmux.stopRecording()
        return (String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self), screen)
    }

    @Test func verifyShowsABarWithTheCountAndRateOnATerminalAndNothingInAPipe() throws {
        let sandbox = try RunSandbox()
        try journal(in: sandbox, lines: 20_000)
        let (written, screen) = try onTerminal(["verify"], in: sandbox)
        #expect(screen.contains("ENDED 0"))
        #expect(written.contains("verifying \(sandbox.journalPath) [██████████] 20,002 of 20,002 events · "), "\(written.suffix(400))")
        #expect(written.contains(" events/s") && written.contains("checking \(sandbox.journalPath): every signature and programme act"))
        // The bar is cleared: what stays on the screen is the result
        #expect(screen.contains("\(sandbox.journalPath): OK, 20002 events") && !screen.contains("events/s"), "\(screen)")
        // Into a pipe, the result alone
        let piped = try sandbox.gatehouse(["verify"])
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped.stderr)")
    }

    @Test func compareShowsOneBarForTheTwoRecordsItChecks() throws {
        let sandbox = try RunSandbox()
        try journal(in: sandbox, lines: 5_000)
        let (written, screen) = try onTerminal(["compare", "r1", "r1"], in: sandbox)
        #expect(written.contains("checking r1 and r1 [██████████] 10,004 of 10,004 events · "), "\(written.suffix(600))")
        #expect(!screen.contains("events/s"), "\(screen)")
    }

    @Test func exportShowsTheChainWalkAndWhatItWritesOnATerminal() throws {
        let sandbox = try RunSandbox()
        try journal(in: sandbox, lines: 5_000)
        let record = sandbox.directory + "/r1.json"
        let (written, screen) = try onTerminal(["export", "r1", "--format", "json", "--output", record], in: sandbox)
        #expect(screen.contains("ENDED 0"))
        #expect(written.contains("verifying the journal's chain [██████████] 5,002 of 5,002 events · "), "\(written.suffix(400))")
        #expect(written.contains("exporting run r1: reading its events and writing the record"))
        #expect(screen.contains("wrote the record of run r1 to \(record)") && !screen.contains("events/s"), "\(screen)")
    }
}
