import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse verify`: walks the journal's hash chain, then checks every signature again.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the journal's hash chain and every signature: prints OK, or what does not hold (exit 3).",
        discussion: """
            After the chain, every decision and kill-switch enable of every run is checked against the \
            sovereigns the run pinned (ed25519 verified, stub INSECURE, unsigned, or FAILED), and every \
            event the state machine would not have accepted is named. Any failure exits 3.
            """)

    @Option(name: .long, help: ArgumentHelp("The journal file (default: $GATEHOUSE_JOURNAL, then $XDG_STATE_HOME/gatehouse/journal.sqlite).", valueName: "file"))
    var journal: String?

    func run() throws {
        let path = JournalLocation.resolve(option: journal, environment: ProcessInfo.processInfo.environment)
        guard FileManager.default.fileExists(atPath: path) else {
            printError("gatehouse: no journal at \(path); nothing to verify (give --journal FILE or set GATEHOUSE_JOURNAL)")
            throw ExitCode(exitBadInput)
        }
        let journal: SQLiteJournal
        let result: ChainVerification
        do {
            journal = try SQLiteJournal(path: path)
            result = try journal.verify()
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
        let audit: JournalAudit
        do {
            audit = JournalAudit(try RunStore(journal: journal).ledger)
        } catch {
            printError("gatehouse: cannot read the journal \(path): \(error)")
            throw ExitCode(exitBadInput)
        }
        write("\(chain); \(audit.summary)\n")
        guard audit.isClean else {
            for problem in audit.problems { printError("\(path): \(problem)") }
            printError("gatehouse: do not trust the runs named above; `gatehouse log RUN` shows who journaled each event")
            throw ExitCode(exitJournalBroken)
        }
    }
}
