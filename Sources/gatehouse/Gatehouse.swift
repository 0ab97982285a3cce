import ArgumentParser
import GatehouseEngine

/// The `gatehouse` command: the dashboard by default, and subcommands for scripts and CI.
@main
struct Gatehouse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "A terminal gate dashboard for gated release programmes.",
        discussion: """
            With no subcommand, opens the dashboard on the embedded O5 programme (or --programme FILE).

            Exit status: 0 success; 1 the dashboard cannot run on this terminal; 2 bad input (a \
            programme or theme file with errors, each printed as FILE:LINE:COLUMN: message; an \
            unknown run; no journal or target); 3 the journal's hash chain is broken or a signature fails \
            (verify, export); 4 a run \
            failed at a phase or was rejected at a gate; 5 a run was aborted; 6 the state machine \
            refused (LIVE with the kill-switch off, a gate not pending, a run that has ended; the \
            refusal is journaled); 64 bad command-line usage; 128+N ended by signal N (130 for \
            Ctrl-C, 143 for SIGTERM; a stopped runner can be resumed).
            """,
        version: HostFingerprint.versionLine,
        subcommands: [Dashboard.self, Watch.self, Check.self, Matrix.self, Gates.self, GateCommand.self, GapCommand.self,
                      ConditionCommand.self, RulingCommand.self, Report.self, Init.self, Run.self, Resume.self, Approve.self, Keygen.self,
                      Abort.self, KillSwitch.self, Status.self, Log.self, Restore.self, Verify.self, ExportRun.self, Compare.self,
                      ProgrammeCommand.self, PackageCommand.self, Themes.self],
        defaultSubcommand: Dashboard.self)
}
