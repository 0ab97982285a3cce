import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres

/// `gatehouse verify`: walks the journal's hash chain, then checks every signature again.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the journal's hash chain and every signature: prints OK, or what does not hold (exit 3).",
        discussion: """
            After the chain, every decision and kill-switch enable of every run is checked against the \
            sovereigns the run pinned (verified, stub INSECURE, unsigned, or FAILED), every close-out a sovereign signed, every \
            stream of command output (its batches end to end, each one's SHA-256 that of the stream so far), every \
            checkpoint of the fold (against the fold from the first event through its own), every \
            programme act (gate sign-off, gap, condition, ruling) against the programme charter it was \
            signed under, and every event the rules would not have accepted is named. Any failure exits 3.
            """)

    @Option(name: .long, help: ArgumentHelp("Check a run record (`gatehouse export RUN --format json`) instead of a journal: offline, against the keys the run pinned.", valueName: "file"))
    var record: String?

    @OptionGroup var journalOptions: JournalOptions

    func run() throws {
        if let record {
            try verifyRecord(at: record)
            return
        }
        let address = try journalOptions.address()
        let path = address.description
        let journal: any Journal
        let result: ChainVerification
        var output = OutputAudit()
        var checkpoints = CheckpointAudit(checkpointsAt: [])
        do {
            journal = try address.open(create: false)
            checkpoints = CheckpointAudit(checkpointsAt: try journal.checkpointSequences())
            let load = { (sequence: Int64) in (try? journal.checkpoint(at: sequence)) ?? nil }
            result = try journal.verifyShowingProgress("verifying \(path)") { event in
                output.add(event)
                checkpoints.add(event)
            }
            checkpoints.end(load: load)
        } catch is JournalAddressError {
            switch address {
            case .file: printError("gatehouse: no journal at \(path); nothing to verify (give --journal FILE or set GATEHOUSE_JOURNAL)")
            case .postgres: printError("gatehouse: no journal in \(path); nothing to verify (give --journal postgres://USER@HOST:PORT/DB of a journal, or set GATEHOUSE_JOURNAL)")
            }
            throw ExitCode(exitBadInput)
        } catch {
            printError("gatehouse: cannot read the journal \(path): \(error)")
            throw ExitCode(exitBadInput)
        }
        let chain: String
        switch result {
        case .intact(let count, let head):
            chain = "\(path): OK, \(count) events, head \(head.prefix(12))"
        case .broken(let sequence, let reason):
            printError("\(path): BROKEN at event \(sequence): \(reason)")
            throw ExitCode(exitJournalBroken)
        }
        let checking = TerminalProgress("checking \(path)")
        checking.step("every signature and programme act")
        let audit = JournalAudit(checkpoints.ledger)
        checking.end()
        var line = "\(chain); \(audit.summary)"
        if output.batches > 0 { line += "; " + output.summary }
        if checkpoints.checked > 0 { line += "; " + checkpoints.summary }
        write(line + "\n")
        guard audit.isClean && output.problems.isEmpty && checkpoints.problems.isEmpty else {
            let problems = audit.problems + output.problems.map { "run \($0.run), event \($0.sequence): \($0.text)" }
                + checkpoints.problems.map(\.description)
            for problem in problems { printError("\(path): \(problem)") }
            printError("gatehouse: do not trust the runs named above; `gatehouse log RUN` shows who journaled each event")
            throw ExitCode(exitJournalBroken)
        }
    }

    /// Checks the run record at `path`: its chain link by link, the run it folds to, the keys
    /// it lists against the pinned ones, and every signature.
    private func verifyRecord(at path: String) throws {
        let record = try RunRecordFile.read(path)
        let tally = ProgressTally(TerminalProgress("checking \(path)"), unit: "events")
        tally.expect(record.events.count)
        let check = RunRecordCheck(record) { tally.advance($0) }
        tally.end()
        write("\(path): \(check.summary)\n")
        guard check.isClean else {
            RunRecordFile.printProblems(check.problems, prefix: path)
            printError("gatehouse: do not trust this record; ask for it again from the journal it was exported from")
            throw ExitCode(exitJournalBroken)
        }
    }
}
