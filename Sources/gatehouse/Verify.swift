import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse verify`: walks the journal's hash chain.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the journal's hash chain: prints OK, or the first broken sequence number (exit 3).")

    @Option(name: .long, help: ArgumentHelp("The journal file (default: $GATEHOUSE_JOURNAL, then $XDG_STATE_HOME/gatehouse/journal.sqlite).", valueName: "file"))
    var journal: String?

    func run() throws {
        let path = JournalLocation.resolve(option: journal, environment: ProcessInfo.processInfo.environment)
        guard FileManager.default.fileExists(atPath: path) else {
            printError("gatehouse: no journal at \(path); nothing to verify (give --journal FILE or set GATEHOUSE_JOURNAL)")
            throw ExitCode(exitBadInput)
        }
        let result: ChainVerification
        do {
            result = try SQLiteJournal(path: path).verify()
        } catch {
            printError("gatehouse: cannot read the journal \(path): \(error)")
            throw ExitCode(exitBadInput)
        }
        switch result {
        case .intact(let count, let head):
            write("\(path): OK, \(count) events, head \(head.prefix(12))\n")
        case .broken(let sequence, let reason):
            printError("\(path): BROKEN at event \(sequence): \(reason)")
            throw ExitCode(exitJournalBroken)
        }
    }
}
