import ArgumentParser
import Foundation
import GatehouseEngine
import GatehousePostgres
import GatehouseTUI

/// `gatehouse [dashboard]`: the full-screen dashboard.
struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the full-screen dashboard (the default).",
        discussion: "Keys: Tab switches Matrix/Gates/Runs/Approvals/Audit, arrows or j/k move, Enter opens, Esc goes back, s sorts, d starts a dry run, x aborts the run in view, K opens the kill-switch checklist, c compares the run in view with another (a run of the journal or a --reference record), ? shows help, q quits. On the Approvals tab, Enter reviews a gate: a approves, r rejects, then type the phrase shown.")

    @OptionGroup var programmeOptions: ProgrammeOptions

    @Option(name: .long, help: ArgumentHelp("A built-in theme name or a theme file path (default: 'default'; NO_COLOR selects 'mono').", valueName: "name"))
    var theme: String?

    @Flag(name: .customLong("readonly"), help: "Open the journal read-only: no key starts, aborts or approves anything.")
    var readOnly = false

    @Option(name: .customLong("as"), help: ArgumentHelp("Who you are: the sovereign who signs decisions and the kill-switch from the dashboard (default: $USER).", valueName: "name"))
    var signer: String?

    @Option(name: .long, help: ArgumentHelp("Your ed25519 private key file (mode 0600), if you sign with ed25519 (an ssh sovereign signs with the key in the SSH agent at SSH_AUTH_SOCK).", valueName: "file"))
    var key: String?

    @Option(name: .long, help: ArgumentHelp("A run record from another host (`gatehouse export RUN --format json`) to compare runs with on the Runs tab (c); checked first. Repeatable.", valueName: "file"))
    var reference: [String] = []

    @OptionGroup var journalOptions: JournalOptions
    @OptionGroup var targetOptions: TargetOptions

    func run() throws {
        try open(readOnly: readOnly, tab: .matrix)
    }

    /// Opens the dashboard; `gatehouse watch` opens it read-only on the Runs tab.
    func open(readOnly: Bool, tab: DashboardState.Tab) throws {
        let programme = try programmeOptions.load()
        let environment = ProcessInfo.processInfo.environment
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let themeName = theme ?? environment["GATEHOUSE_THEME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (noColor ? ThemeLoader.monoName : ThemeLoader.defaultName)
        let loadedTheme: Theme
        switch ThemeLoader.load(themeName, environment: environment) {
        case .success(let theme): loadedTheme = theme
        case .failure(let errors):
            printError(errors.description)
            throw ExitCode(exitBadInput)
        }
        let references = try reference.map { path in
            try RunRecordFile.checkedSide(RunRecordFile.read(path), source: path, refusal: "refusing the reference")
        }
        let address = try journalOptions.address()
        var app = DashboardApp(programme: programme, theme: loadedTheme, useColor: !noColor,
                               journalPath: address.description, targetPath: targetOptions.targetPath,
                               readOnly: readOnly, initialTab: tab, actor: signer ?? currentUser(), keyFile: key,
                               programmePath: programmeOptions.programmePath)
        app.references = references
        let fallbackTarget = targetOptions.targetPath
        app.restoreTarget = { run, file, sha in
            try TargetAddress(run.start.target ?? fallbackTarget).putBack(run, file: file, sha256: sha)
        }
        if case .postgres = address {
            // Not before it exists, and while it does not, asked at most once a second.
            let attempts = OpeningAttempts(every: 1)
            app.openJournal = { _ in attempts.due() ? try address.openForReading() : nil }
            app.runnerOutputDirectory = address.runnerOutputDirectory()
            app.liveness = address.runnerLiveness()
            app.createJournal = { try address.open(create: true) }
        }
        let status: Int32
        do {
            status = try app.run()
        } catch let error as TerminalError {
            // Still say what a person opening the dashboard wants to know first: the runs.
            printError("gatehouse: cannot open the dashboard: \(error)")
            printError("gatehouse: here is `gatehouse status` instead (`gatehouse matrix` and `gatehouse gates` print the rest):")
            write(Status.listing(journalPath: journalOptions.journalPath))
            throw ExitCode(exitNoTerminal)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `gatehouse watch`: the dashboard, read-only, on the Runs tab, following the journal.
struct Watch: ParsableCommand {
    /// Linux's SCHED_IDLE, which Glibc exports only under _GNU_SOURCE.
    static let schedIdle: Int32 = 5

    static let configuration = CommandConfiguration(
        abstract: "Follow the runs in the journal, read-only (for operators, over SSH; any number at once).")

    @OptionGroup var dashboard: Dashboard

    func run() throws {
        // A watcher only shows: it runs only when runners and approvers leave a core idle
        // (SCHED_IDLE), so that twenty operators following one run cannot slow its phases
        // (bench: --only watchers); where that is refused, the lowest nice level.
        var parameters = sched_param(sched_priority: 0)
        if sched_setscheduler(0, Self.schedIdle, &parameters) != 0 {
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        }
        try dashboard.open(readOnly: true, tab: .runs)
    }
}

/// Lets an attempt through at most once per `seconds`: opening a PostgreSQL journal that does
/// not exist yet costs a connection, and the dashboard asks ten times a second.
private final class OpeningAttempts: @unchecked Sendable {
    private let interval: Duration
    private let lock = NSLock()
    private var last: ContinuousClock.Instant?

    init(every seconds: Int) {
        interval = .seconds(seconds)
    }

    /// Whether an attempt may be made now (and it counts as made).
    func due() -> Bool {
        lock.withLock {
            let now = ContinuousClock.now
            if let last, now - last < interval { return false }
            last = now
            return true
        }
    }
}
