import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse export RUN --format markdown [--output FILE]`: a run's record for an auditor.
struct ExportRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's record: phases, proofs, approvals with their signatures checked, the kill-switch, refusals, and the journal proof.",
        discussion: """
            markdown is for an auditor to read. json is the portable run record another host checks \
            without this journal (`gatehouse verify --record FILE`) and compares a run with \
            (`gatehouse compare RUN FILE`): the run's events and those between them with their chain \
            hashes, the signatures, and the sovereigns' public keys as the run pinned them. \
            The journal's chain is walked at export time and the record says whether it held. \
            If it is broken, the record is still written, and the exit status is 3.
            """)

    /// The formats a run record is written in.
    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, json }

    @Argument(help: ArgumentHelp("The run's id or a unique prefix of it.", valueName: "run"))
    var runName: String

    @Option(name: .long, help: "The record's format.")
    var format: Format

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the record to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "Overwrite the --output file if it exists.")
    var force = false

    @OptionGroup var journalOptions: JournalOptions

    func run() throws {
        let store = try journalOptions.openStore()
        let run = try reportingErrors { try store.resolve(runName) }
        let now = WallClock.system.milliseconds()
        let chain = try reportingErrors { try store.journal.verifyShowingProgress("verifying the journal's chain") }
        let record: String
        let exporting = TerminalProgress("exporting run \(run.shortID)")
        exporting.step("reading its events and writing the \(format == .json ? "record" : "report")")
        defer { exporting.end() }
        switch format {
        case .markdown:
            let events = try reportingErrors { try store.journal.events(after: 0) }
            let proof = JournalProof(run: run.id, events: events, chain: chain, exportedAt: now)
            // Inert in the file too: a record is read in a terminal (`less`, `cat`) as often as rendered.
            record = TerminalText.inert(RunRecordMarkdown.render(run, proof: proof, programme: store.ledger.programme,
                                                                 runbook: Self.runbook(of: run)))
        case .json:
            // JSON escapes every control character: the file is inert as it is.
            record = try reportingErrors { try store.record(of: run, journalKind: journalOptions.address().kind, exportedAt: now) }.json
        }
        if let output {
            try save(record, to: output)
            write("wrote the record of run \(run.id) to \(output)\n")
        } else {
            write(record)
        }
        if case .broken(let sequence, let reason) = chain {
            printError("gatehouse: the journal's chain is BROKEN at event \(sequence) (\(reason)); the record says so. Run `gatehouse verify`.")
            throw ExitCode(exitJournalBroken)
        }
    }

    /// The run's rollback runbook as its file holds it, checked against the SHA-256 journaled.
    static func runbook(of run: RunState) -> RunRecordMarkdown.Runbook? {
        guard let path = run.facts.runbookPath else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .unavailable("The runbook `\(path)` cannot be read here (it is on the runner's host, beside the backup).")
        }
        guard sha256Hex(text) == run.facts.runbookSHA256 else {
            return .unavailable("The runbook `\(path)` does NOT match the SHA-256 journaled (`\(run.facts.runbookSHA256 ?? "none")`): it was changed; do not follow it.")
        }
        return .text(text)
    }

    /// Writes `record` to `path`, never over an existing file unless `--force`.
    private func save(_ record: String, to path: String) throws {
        if !force && FileManager.default.fileExists(atPath: path) {
            printError("gatehouse: \(path) already exists; give --force to overwrite it, or another --output")
            throw ExitCode(exitBadInput)
        }
        do {
            try Data(record.utf8).write(to: URL(fileURLWithPath: path), options: force ? .atomic : .withoutOverwriting)
        } catch {
            printError("gatehouse: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(exitBadInput)
        }
    }
}
