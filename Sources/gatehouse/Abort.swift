import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse abort RUN --reason TEXT`: ends a run before its close-out.
struct Abort: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Abort a run: it ends, its runner stops (rolling back an open apply), the kill-switch goes off.",
        discussion: "Exit status: 0 aborted; 6 refused (the run has already ended); 2 bad input.")

    @Argument(help: ArgumentHelp("The run's id or a unique prefix of it.", valueName: "run"))
    var runName: String

    @Option(name: .long, help: ArgumentHelp("Why the run is aborted.", valueName: "text"))
    var reason: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Who aborts it (default: $USER).", valueName: "name"))
    var actor: String?

    @OptionGroup var journalOptions: JournalOptions

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason needs a text") }
    }

    func run() throws {
        let store = try journalOptions.openStore()
        let state = try reportingErrors { try store.resolve(runName) }
        let by = actor ?? currentUser()
        try reportingErrors { try RunActs(store: store).abort(run: state.id, by: by, reason: reason) }
        write("run \(state.id): aborted\n")
    }
}
