import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing
@testable import GatehouseTUI

/// The Runs tab's restore (`R`): what it puts back and over what, the phrase, the last y/N,
/// a screen that says the restore is under way, and the act signed and journaled through
/// the engine's one restore.
struct RestoreFlowTests {
    private let programme = ProgrammeLoader.embedded()
    /// 2026-05-21 10:00:00 UTC.
    private static let start: Int64 = 1_779_357_600_000
    private static let run = "3f9c2a1b7d00"
    private static let pre = "3fc8040a47687a7d1f2fcea6e6717f3d8b8b6185f17fc7af48e230caa6f4907c"

    /// The events of a LIVE run that took its backup and wrote; aborted unless `ended` is false.
    private func events(ended: Bool = true) -> [RunEvent] {
        var ledger = RunLedger()
        var events: [RunEvent] = []
        func send(_ event: RunEvent) {
            let refusal = ledger.apply(event, run: Self.run, actor: "runner", sequence: Int64(events.count + 1),
                                       time: Self.start + Int64(events.count) * 1000)
            precondition(refusal == nil, "\(event): \(refusal!)")
            events.append(event)
        }
        send(.started(RunStart(mode: .live, plan: .productionCut, document: "release-notes-v0.6", target: "/srv/pack.sqlite", operatorName: "ops",
                               signing: "stub", sovereigns: [Sovereign(name: "demo", provider: "stub", publicKey: nil, gates: ["SG_1", "SG_2"])])))
        let facts: [String: RunFacts] = [
            "pre_state_snapshot": RunFacts(preCounts: ["document": 3, "unit": 0, "cut_marker": 0], preStateSHA: Self.pre),
            "select_document": RunFacts(signatureCritical: false),
        ]
        for phase in RunPlan.productionCut.phases.prefix(5) {
            send(.phaseStarted(phase: phase.id))
            send(.phaseCompleted(phase: phase.id, facts: facts[phase.id] ?? RunFacts()))
        }
        send(.phaseStarted(phase: "SG_1"))
        send(.gateApproved(TestDecisions.approval(of: ledger[Self.run]!, gate: "SG_1", by: "demo", signedAt: Self.start, nonce: "n")))
        send(.killSwitchEnabled(TestDecisions.enable(of: ledger[Self.run]!, by: "demo", signedAt: Self.start, nonce: "m")))
        send(.phaseStarted(phase: "backup"))
        send(.phaseCompleted(phase: "backup", facts: RunFacts(backupPath: "/srv/pack.sqlite.backups/3f9c2a1b7d00-1.sqlite.gpg", backupSHA256: "b7e1c0",
                                                              backupContentSHA256: Self.pre, backupRecipients: ["F1"])))
        send(.phaseStarted(phase: "apply"))
        if ended { send(.aborted(by: "ops", reason: "the apply went wrong")) }
        return events
    }

    private func ledger(ended: Bool = true) -> RunLedger {
        var ledger = RunLedger()
        for (index, event) in events(ended: ended).enumerated() {
            _ = ledger.apply(event, run: Self.run, actor: "runner", sequence: Int64(index + 1), time: Self.start + Int64(index) * 1000)
        }
        return ledger
    }

    private func context(_ ledger: RunLedger, readOnly: Bool = false) -> DashboardContext {
        DashboardContext(ledger: ledger, now: Self.start + 60_000, readOnly: readOnly, signer: "demo")
    }

    @discardableResult
    private func type(_ keys: [Key], into state: inout DashboardState, _ ledger: RunLedger, readOnly: Bool = false) -> DashboardState.Outcome {
        var outcome = DashboardState.Outcome.continueRunning
        for key in keys { outcome = state.handle(key, programme: programme, context: context(ledger, readOnly: readOnly)) }
        return outcome
    }

    private func render(_ ledger: RunLedger, _ state: DashboardState) -> String {
        DashboardView.render(programme, state: state, context: context(ledger), width: 80, height: 24, glyphs: .unicode).text
    }

    @Test func anEndedRunWithABackupOffersItsRestoreOnTheRunsTab() {
        let ended = ledger()
        #expect(render(ended, DashboardState(tab: .runs)).contains("R restore"))
        #expect(!render(ledger(ended: false), DashboardState(tab: .runs)).contains("R restore"))
        var state = DashboardState(tab: .runs)
        type([.character("R")], into: &state, ended)
        #expect(state.flow?.purpose == .restore)
        assertSnapshot(render(ended, state), named: "restore-review")
    }

    @Test func thePhraseAndAYesAskForTheRestoreAndTheScreenSaysItIsUnderWay() {
        let ledger = ledger()
        var state = DashboardState(tab: .runs)
        type([.character("R"), .enter], into: &state, ledger)
        #expect(state.flow?.step == .phrase)
        type(Array("RESTORE 3f9c2a1c").map(Key.character) + [.enter], into: &state, ledger)
        #expect(state.flow?.error == "that is not the phrase; type RESTORE 3f9c2a1b exactly")
        type(Array("RESTORE 3f9c2a1b").map(Key.character) + [.enter], into: &state, ledger)
        #expect(state.flow?.step == .confirm)
        var declined = state
        #expect(type([.character("n")], into: &declined, ledger) == .continueRunning && declined.flow == nil)
        #expect(type([.character("y")], into: &state, ledger) == .restore(runID: Self.run, typed: "RESTORE 3f9c2a1b"))
        #expect(render(ledger, state).contains("drilling the backup, then putting the target back…"))
        // Keys do nothing while it works
        #expect(type([.escape], into: &state, ledger) == .continueRunning && state.flow?.purpose == .restore)
    }

    @Test func aRunThatHasNotEndedOrAReadOnlyDashboardIsNotRestored() {
        let running = ledger(ended: false)
        var state = DashboardState(tab: .runs)
        type([.character("R"), .enter], into: &state, running)
        #expect(state.flow?.step == .review && state.flow?.error?.contains("has not ended") == true)
        var readOnly = DashboardState(tab: .runs)
        type([.character("R")], into: &readOnly, ledger(), readOnly: true)
        #expect(readOnly.flow == nil && readOnly.notice?.hasPrefix("read-only") == true)
    }

    @Test func theLoopDrawsTheWorkingPageBeforeItPerformsTheRestore() {
        let ledger = ledger()
        var state = DashboardState(tab: .runs)
        type([.character("R"), .enter] + Array("RESTORE 3f9c2a1b").map(Key.character) + [.enter], into: &state, ledger)
        var loop = DashboardLoop(programme: programme, state: state, context: context(ledger))
        let now = DashboardLoop.Instant(wall: Self.start, uptime: 0)
        _ = loop.start(at: now)
        _ = loop.handle(.journalRead(changed: false, notifies: false), at: now)
        _ = loop.handle(.key(.character("y")), at: now)
        let actions = loop.handle(.journalRead(changed: false, notifies: false), at: now)
        #expect(actions == [.draw(whole: false), .perform(.restore(runID: Self.run, typed: "RESTORE 3f9c2a1b"))])
    }

    @Test func theActSignsThroughTheEngineAndSaysWhatTheTargetHoldsAfter() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-restore-flow-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try RunStore(journal: SQLiteJournal(path: folder + "/journal.sqlite"))
        for event in events() { try store.record(event, run: Self.run, actor: "runner") }
        var acts = DashboardActs(actor: "demo", keyFile: nil, liveness: RunnerLockFiles(journalPath: folder + "/journal.sqlite")) { "" }
        let context = context(store.ledger)
        // Without a way to the target it refuses before signing anything
        #expect(acts.perform(.restore(runID: Self.run, typed: "RESTORE 3f9c2a1b"), store: store, context: context)
            == .flowResult(message: "this dashboard cannot reach the run's target; restore with `gatehouse restore 3f9c2a1b`. Nothing was recorded. Any key closes.",
                           recorded: false))
        var putBack: [String] = []
        acts.restoreTarget = { run, file, sha in
            putBack.append("\(run.id) \(file) \(sha)")
            return Self.pre
        }
        // A wrong phrase is refused by the state machine, journaled, and nothing is put back
        guard case .flowResult(let refused, false) = acts.perform(.restore(runID: Self.run, typed: "yes"), store: store, context: context) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refused.contains("refused, and the refusal journaled") && refused.contains("the phrase typed was 'yes'"), "\(refused)")
        #expect(putBack.isEmpty)
        // The phrase typed right: put back, journaled with the decision and what the target holds
        guard case .flowResult(let message, true) = acts.perform(.restore(runID: Self.run, typed: "RESTORE 3f9c2a1b"), store: store, context: context) else {
            Issue.record("expected the restore to be recorded")
            return
        }
        #expect(message.contains("signed by demo") && message.contains("the run's pre-state"), "\(message)")
        #expect(putBack == ["\(Self.run) /srv/pack.sqlite.backups/3f9c2a1b7d00-1.sqlite.gpg b7e1c0"])
        try store.refresh()
        #expect(store.ledger[Self.run]?.facts.restoredFrom == "/srv/pack.sqlite.backups/3f9c2a1b7d00-1.sqlite.gpg")
    }
}
