import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse run`: starts a run and drives it to its end, pausing at the sovereign gates.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a run (dry run or LIVE) and drive it through its phases, waiting at SG_1 and SG_2.",
        discussion: """
            A LIVE run walks the read-only phases, waits at SG_1, then waits for the kill-switch \
            (`gatehouse killswitch enable RUN --confirm RUN`) before its first phase that writes. \
            Exit status: 0 closed out; 4 a phase failed or a gate was rejected; 5 aborted; \
            6 refused; 2 bad input; 130/143 the runner was stopped (resume it).
            """)

    @Flag(name: .customLong("dry-run"), help: "Read the target, write nothing (the default).")
    var dryRun = false

    @Flag(name: .long, help: "Write to the target (needs the kill-switch on for this run before any write).")
    var live = false

    @Option(name: .long, help: ArgumentHelp("The document to cut (default: release-notes-v0.6).", valueName: "id"))
    var document: String?

    @Option(name: .long, help: ArgumentHelp("The plan: production-cut (default) or a plan of the programme.", valueName: "name"))
    var plan: String = RunPlan.productionCutID

    @Option(name: .long, help: ArgumentHelp("Run exactly this command-review package (`gatehouse package build`), checked first; its programme must be the one given.", valueName: "file"))
    var package: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("The operator's name (default: $USER).", valueName: "name"))
    var operatorName: String?

    @OptionGroup var programmeOptions: ProgrammeOptions
    @OptionGroup var journalOptions: JournalOptions
    @OptionGroup var targetOptions: TargetOptions

    func validate() throws {
        if dryRun && live { throw ValidationError("give either --dry-run or --live, not both") }
        if package != nil && plan != RunPlan.productionCutID { throw ValidationError("give either --plan or --package, not both") }
    }

    func run() throws {
        let programme = try programmeOptions.load()
        let mode: RunMode = live ? .live : .dryRun
        let target = try targetOptions.address()
        let store = try journalOptions.openStore(create: true)
        let liveness = try journalOptions.runnerLiveness()
        let runID = RunLauncher.newRunID()
        let (chosen, directory, pin) = try package.map { try PackageLaunch(path: $0, programme: programme, store: store, operatorName: operatorName ?? currentUser())
                                                            .unpack(into: try journalOptions.packageFolder(for: runID)) }
            ?? plannedRun(programme)
        let usesTarget = chosen.phases.contains { if case .builtin = $0.action { true } else { false } }
        let stop = StopSignal()
        stop.catchSignals()
        let host = try reportingErrors { () -> RunnerHost in
            if usesTarget { try target.ensureExists() }
            try RunLauncher.reapLostRunners(store: store, liveness: liveness, actor: currentUser())
            return RunnerHost(store: store, journalPath: journalOptions.journalPath, target: target,
                              workingDirectory: directory)
        }
        let lock = try reportingErrors { try liveness.claim(run: runID) }
        let start = RunStart(mode: mode, plan: chosen, document: usesTarget ? (document ?? SampleDocuments.releaseNotes.id) : document,
                             target: usesTarget ? target.description : nil, operatorName: operatorName ?? currentUser(),
                             signing: Self.signingProvider(programme.sovereigns), directory: directory,
                             sovereigns: programme.sovereigns, rules: programme.approvalRules,
                             programmeDigest: programme.sourceDigest,
                             preconditions: mode == .live ? LiveChecklist.programmeChecks(programme) : [], package: pin,
                             fingerprint: HostFingerprint.current(user: currentUser(), journal: try journalOptions.address().kind,
                                                                  target: usesTarget ? target.kind : nil),
                             backupRecipients: programme.backupRecipients,
                             backupDrillRequired: mode == .live && programme.backupDrillRequired)
        try reportingErrors {
            // A LIVE run's charter first, so that the kill-switch reads the programme's gates
            // and gaps from the journal at the instant of the flip.
            if mode == .live { try ProgrammeActs(store: store, programme: programme).pin(actor: operatorName ?? currentUser()) }
            try store.record(.started(start), run: runID, actor: operatorName ?? currentUser())
        }
        write("run \(runID): \(mode.label) \(chosen.id)\(start.document.map { " of \($0)" } ?? "") (journal \(try journalOptions.address()))\n")
        if let pin { write("  package \(pin.digest)\(pin.source.map { " from \($0), unpacked in \(directory)" } ?? " (built from \(directory))")\n") }
        // The programme's lines as the journal has them now (a gap closed since the file was
        // written counts); the run's own lines are met later, as it goes.
        let unmet = store.ledger[runID].map { LiveChecklist.programmeChecks(for: $0, programme: store.ledger.programme) }?
            .filter { !$0.met } ?? []
        if !unmet.isEmpty {
            write("  LIVE cannot be enabled for this run: \(unmet.count) precondition\(unmet.count == 1 ? " is" : "s are") not met "
                  + "(see `gatehouse killswitch checklist \(RunState.shortID(runID))`)\n")
        }
        withExtendedLifetime(lock) {
            host.drive(runID, stop: stop)
        }
    }

    /// The plan named by `--plan`, the folder its commands run in, and for a plan of shell
    /// commands the package it is as it stands in that folder (its scripts hashed now, and
    /// again before each runs).
    private func plannedRun(_ programme: Programme) throws -> (RunPlan, String, PackagePin?) {
        guard let chosen = programme.plan(plan) else {
            let known = [RunPlan.productionCutID] + programme.plans.map(\.id)
            printError("gatehouse: no plan '\(plan)'; known plans: \(known.joined(separator: ", "))")
            throw ExitCode(exitBadInput)
        }
        let directory = programmeOptions.programmePath
            .map { URL(fileURLWithPath: $0).standardizedFileURL.deletingLastPathComponent().path }
            ?? FileManager.default.currentDirectoryPath
        guard chosen.phases.contains(where: { if case .command = $0.action { true } else { false } }) else {
            return (chosen, directory, nil)
        }
        let built = try packageErrors { try PackageBuilder(programme: programme, base: directory).build(plan: plan) }
        return (built.plan, directory, PackagePin(built, source: nil))
    }

    /// The providers a run's signatures are real under (`ed25519`, `ssh`, or both joined by
    /// `+`) when every sovereign signs with a real one; the stub (INSECURE) otherwise.
    static func signingProvider(_ sovereigns: [Sovereign]) -> String {
        let providers = Set(sovereigns.map(\.provider))
        guard !providers.isEmpty, !providers.contains(StubSigning.providerName) else { return StubSigning.providerName }
        return providers.sorted().joined(separator: "+")
    }
}
