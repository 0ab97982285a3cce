import Foundation
import GatehouseCore
import GatehouseTestSupport
import GRDB
@testable import GatehouseEngine

/// A journal holding one real dry run of the production cut on the embedded O5 programme,
/// driven in-process: the runner performs every phase, and the O5 demo sovereign approves
/// SG_1 and SG_2 (stub-signed) as soon as the runner says it waits for them.
struct DryRunJournal: Sendable {
    /// The journal file (WAL checkpointed, so the file alone is the whole journal).
    let path: String
    /// Its events as stored.
    let events: [JournalEvent]

    /// Writes the journal into `directory` (created if needed).
    static func make(in directory: String) throws -> DryRunJournal {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/journal.sqlite"
        let target = directory + "/pack.sqlite"
        _ = try SQLiteContextPack.create(path: target)
        let programme = ProgrammeLoader.embedded()
        let store = try RunStore(journal: SQLiteJournal(path: path))
        let sovereign = try RunStore(journal: SQLiteJournal(path: path))
        let runID = "dry-run-1"
        try store.record(.started(RunStart(mode: .dryRun, plan: .productionCut, document: SampleDocuments.releaseNotes.id,
                                           target: target, operatorName: "ops", signing: StubSigning.providerName,
                                           directory: directory, sovereigns: programme.sovereigns,
                                           rules: programme.approvalRules, programmeDigest: programme.sourceDigest)),
                         run: runID, actor: "ops")
        let cut = ProductionCutSteps(
            openTarget: { readOnly in try SQLiteContextPack(path: target, readOnly: readOnly) },
            backupDirectory: directory + "/backups", verifyJournal: { try store.journal.verify() })
        // The runner announces each wait once, before it starts watching the journal: approving
        // there lets it go on at once, without a second thread.
        let runner = Runner(store: store, runID: runID, cut: cut,
                            shell: ShellPhaseExecutor(workingDirectory: directory, environment: [:]),
                            stop: StopSignal(), faults: FaultInjection(point: nil), pollInterval: 0.001) { _ in
            _ = try? sovereign.refresh()
            guard let run = sovereign.ledger[runID], case .awaitDecision(let gate) = run.nextStep,
                  let name = run.start.sovereigns.first?.name else { return }
            let approval = TestDecisions.approval(of: run, gate: gate, by: name, reason: "looks right", nonce: "nonce-\(gate)")
            try? sovereign.record(.gateApproved(approval), run: runID, actor: name)
        }
        guard try runner.drive() == .finished(.closed) else { throw DryRunError("the dry run did not close out") }
        let events = try store.journal.events(after: 0)
        // Everything into the main file, so that a copy of it is a copy of the journal.
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try queue.close()
        return DryRunJournal(path: path, events: events)
    }
}

struct DryRunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
