import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse killswitch`: the switch between dry runs and real mutation.
struct KillSwitch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "killswitch",
        abstract: "Show, enable (for one LIVE run) or disable the kill-switch (execution_enabled).",
        subcommands: [Status.self, Enable.self, Disable.self],
        defaultSubcommand: Status.self)

    /// `gatehouse killswitch status`.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the kill-switch is on, and for which run.")

        @OptionGroup var journalOptions: JournalOptions

        func run() throws {
            guard FileManager.default.fileExists(atPath: journalOptions.journalPath) else {
                write("kill-switch: OFF (no journal yet)\n")
                return
            }
            let store = try journalOptions.openStore()
            guard let holder = store.ledger.killSwitchHolder, let state = store.ledger[holder] else {
                write("kill-switch: OFF (execution_enabled = false)\n")
                return
            }
            let alive = RunnerLock.isHeld(journal: journalOptions.journalPath, run: holder)
            write("kill-switch: ON for run \(holder) (\(state.mode.label) \(state.start.plan.id))\n")
            if !alive {
                write("  its runner is gone: the switch goes off when the run is resumed, aborted or another run starts\n")
            }
        }
    }

    /// `gatehouse killswitch enable RUN --confirm RUN`.
    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn the kill-switch on for one LIVE run; it goes off by itself when that run ends.",
            discussion: "Exit status: 0 on; 6 refused (dry run, another run holds it, the run ended or lost its runner); 2 bad input.")

        @Argument(help: ArgumentHelp("The LIVE run's id or a unique prefix of it.", valueName: "run"))
        var runName: String

        @Option(name: .long, help: ArgumentHelp("The same run id again, typed out: the confirmation.", valueName: "run"))
        var confirm: String

        @Option(name: .customLong("as"), help: ArgumentHelp("Who turns it on (default: $USER).", valueName: "name"))
        var actor: String?

        @OptionGroup var journalOptions: JournalOptions

        func run() throws {
            let store = try journalOptions.openStore()
            let state = try reportingErrors { try store.resolve(runName) }
            guard confirm == runName || confirm == state.id else {
                printError("gatehouse: --confirm must repeat the run id (\(runName)); the kill-switch stays off")
                throw ExitCode(exitBadInput)
            }
            let by = actor ?? currentUser()
            try reportingErrors {
                try RunLauncher.reapLostRunners(store: store, journalPath: journalOptions.journalPath, actor: by)
                try store.record(.killSwitchEnabled(by: by), run: state.id, actor: by)
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
            guard let holder = store.ledger.killSwitchHolder else {
                write("kill-switch: already OFF\n")
                return
            }
            let by = actor ?? currentUser()
            try reportingErrors { try store.record(.killSwitchDisabled(by: by, reason: reason), run: holder, actor: by) }
            write("kill-switch: OFF (was on for run \(holder))\n")
        }
    }
}
