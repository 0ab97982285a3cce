import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres

/// `gatehouse status [RUN]`: the runs in the journal, or one run in detail.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the runs, or show one run: phases, facts, decisions, refusals, the kill-switch.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: ArgumentHelp("A run's id or a unique prefix of it.", valueName: "run"))
    var runName: String?

    @Option(name: .long, help: "text or json.")
    var format: Format = .text

    @OptionGroup var journalOptions: JournalOptions

    func run() throws {
        let store = try journalOptions.openStore()
        let ledger = store.ledger
        // Only shown: `status` reads and never writes, so it does not record a gone runner lost.
        let liveness = try journalOptions.runnerLiveness()
        if let runName {
            let state = try reportingErrors { try store.resolve(runName) }
            let seen = state.isEnded ? nil : liveness.presence(of: state.id)
            if format == .json { writeJSON(StatusExport.json(state, seen: seen).canonical + "\n") } else { write(StatusExport.detail(state, seen: seen)) }
        } else {
            let seen = liveness.presence(in: ledger)
            if format == .json { writeJSON(StatusExport.json(ledger, seen: seen).canonical + "\n") } else { write(StatusExport.list(ledger, seen: seen)) }
        }
    }

    /// What `gatehouse status` prints for the journal at `path`, or why it cannot (no journal,
    /// or one it cannot read): the dashboard's fallback where the terminal cannot draw it.
    /// Reads only; creates nothing.
    static func listing(journalPath path: String) -> String {
        do {
            let address = try JournalAddress(parsing: path)
            guard let journal = try address.openForReading() else { return "\(JournalAddressError.noJournal(address))\n" }
            let ledger = try RunStore(journal: journal).ledger
            return StatusExport.list(ledger, seen: address.runnerLiveness().presence(in: ledger))
        } catch {
            return "cannot read the journal \(path): \(error)\n"
        }
    }
}
