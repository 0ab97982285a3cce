import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres

/// `gatehouse killswitch`: the switch between dry runs and real mutation.
struct KillSwitch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "killswitch",
        abstract: "Show, enable (for one LIVE run) or disable the kill-switch (execution_enabled).",
        subcommands: [Status.self, Checklist.self, Enable.self, Disable.self],
        defaultSubcommand: Status.self)

    /// `gatehouse killswitch status`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the kill-switch is on, and for which run.")

        @OptionGroup var journalOptions: JournalOptions

        func run() throws {
            let address = try journalOptions.address()
            let store: RunStore
            do {
                store = try RunStore(journal: address.open(create: false))
            } catch is JournalAddressError {
                write("kill-switch: OFF (no journal yet)\n")
                return
            } catch {
                printError("gatehouse: cannot open the journal \(address): \(error)")
                throw ExitCode(exitBadInput)
            }
            guard let holder = store.ledger.killSwitchHolder, let state = store.ledger[holder] else {
                write("kill-switch: OFF (execution_enabled = false)\n")
                return
            }
            let runner = state.runner(seen: address.runnerLiveness().presence(of: holder))
            write("kill-switch: ON for run \(holder) (\(state.mode.label) \(state.start.plan.id))\n")
            switch runner {
            case .gone?:
                write("  its runner is gone: the switch goes off when the run is resumed, aborted or another run starts\n")
            case .unknown(let identity)?:
                write("  whether its runner (\(identity?.description ?? "on another host")) lives cannot be seen from here\n")
            case .alive?, nil:
                break
            }
        }
    }

    /// `gatehouse killswitch checklist RUN`.
    struct Checklist: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the preconditions for enabling LIVE on a run, each met or not and why.",
            discussion: "Exit status: 0 every precondition is met; 1 some are not; 2 bad input.")

        @Argument(help: ArgumentHelp("The LIVE run's id or a unique prefix of it.", valueName: "run"))
        var runName: String

        @OptionGroup var journalOptions: JournalOptions

        func run() throws {
            let store = try journalOptions.openStore()
            let state = try reportingErrors { try store.resolve(runName) }
            write(checklistText(state, programme: store.ledger.programme))
            if state.mode == .dryRun || !LiveChecklist.unmet(state, programme: store.ledger.programme).isEmpty { throw ExitCode(1) }
        }
    }

    /// `gatehouse killswitch enable RUN --confirm RUN --as SOVEREIGN`.
    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn the kill-switch on for one LIVE run, signed by a sovereign; it goes off by itself when that run ends.",
            discussion: """
                Every precondition of the checklist must be met (`gatehouse killswitch checklist RUN`): \
                the programme's gaps, macros and ruling as the run pinned them, the document policy, \
                and the approvals before the first write. Exit status: 0 on; 6 refused and journaled \
                (a precondition unmet, a dry run, another run holds it, the run ended or lost its \
                runner, the signature does not hold); 2 bad input.
                """)

        @Argument(help: ArgumentHelp("The LIVE run's id or a unique prefix of it.", valueName: "run"))
        var runName: String

        @Option(name: .long, help: ArgumentHelp("The run id again, typed out (or `ENABLE LIVE <short id>`): the confirmation.", valueName: "run"))
        var confirm: String

        @Option(name: .customLong("as"), help: ArgumentHelp("The sovereign who signs the enable (default: $USER).", valueName: "name"))
        var actor: String?

        @Option(name: .long, help: ArgumentHelp("The sovereign's ed25519 private key file (mode 0600); an ssh sovereign signs with the key in the SSH agent at SSH_AUTH_SOCK instead.", valueName: "file"))
        var key: String?

        @OptionGroup var journalOptions: JournalOptions

        func run() throws {
            let store = try journalOptions.openStore()
            let state = try reportingErrors { try store.resolve(runName) }
            guard [runName, state.id, SwitchStatement.phrase(for: state)].contains(confirm) else {
                printError("gatehouse: --confirm must repeat the run id (\(runName)) or say '\(SwitchStatement.phrase(for: state))'; the kill-switch stays off")
                throw ExitCode(exitBadInput)
            }
            let by = actor ?? currentUser()
            write(checklistText(state, programme: store.ledger.programme))
            try reportingErrors {
                let liveness = try journalOptions.runnerLiveness()
                try RunLauncher.reapLostRunners(store: store, liveness: liveness, actor: by)
                askForTouch(of: by, in: state)
                try RunActs(store: store, liveness: liveness, passphrase: TerminalPassphrase.ask).enableLive(run: state.id, as: by, keyFile: key)
            }
            write("kill-switch: ON for run \(state.id) (LIVE); it goes off when the run closes out, fails or is aborted\n")
        }
    }

    /// `gatehouse killswitch disable`.
    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Turn the kill-switch off now.")

        @Option(name: .long, help: ArgumentHelp("Why.", valueName: "text"))
        var reason: String = "turned off by hand"

        @Option(name: .customLong("as"), help: ArgumentHelp("Who turns it off (default: $USER).", valueName: "name"))
        var actor: String?

        @OptionGroup var journalOptions: JournalOptions

        func run() throws {
            let store = try journalOptions.openStore()
            let by = actor ?? currentUser()
            guard let holder = try reportingErrors({ try RunActs(store: store).disableSwitch(by: by, reason: reason) }) else {
                write("kill-switch: already OFF\n")
                return
            }
            write("kill-switch: OFF (was on for run \(holder))\n")
        }
    }
}

/// The checklist for enabling LIVE on `state`, one line per precondition.
func checklistText(_ state: RunState, programme: ProgrammeLedger) -> String {
    guard state.mode == .live else {
        return "run \(state.shortID) is a dry run: the kill-switch only ever enables a LIVE run\n"
    }
    var text = "LIVE checklist for run \(state.shortID) (\(LiveChecklist.source(for: state, programme: programme))):\n"
    for check in LiveChecklist.checks(for: state, programme: programme) {
        text += "  \(check.met ? "[ok]  " : "[NOT] ") \(check.label): \(check.why)\n"
    }
    return text
}
