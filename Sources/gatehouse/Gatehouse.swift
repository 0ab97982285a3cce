import ArgumentParser

/// The `gatehouse` command: the dashboard by default, and subcommands for scripts and CI.
@main
struct Gatehouse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "A terminal gate dashboard for gated release programmes.",
        discussion: """
            With no subcommand, opens the dashboard on the embedded O5 programme (or --programme FILE).

            Exit status: 0 success; 1 the dashboard cannot run on this terminal; 2 a programme or \
            theme file has errors (each printed as FILE:LINE:COLUMN: message), or no journal to verify; 3 the journal's hash chain is broken; 64 bad command-line \
            usage; 128+N ended by signal N (130 for Ctrl-C, 143 for SIGTERM).
            """,
        version: "0.1.0",
        subcommands: [Dashboard.self, Check.self, Matrix.self, Gates.self, Verify.self, ProgrammeCommand.self, Themes.self],
        defaultSubcommand: Dashboard.self)
}
