import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing
@testable import GatehouseTUI

/// The Runs tab drawn on a canvas at 80x24 for each state a run goes through.
struct RunScreenTests {
    private let programme = ProgrammeLoader.embedded()
    /// 2026-05-21 10:00:00 UTC.
    private static let start: Int64 = 1_779_357_600_000

    /// A ledger with one run driven by `events`, each one second after the one before.
    private func ledger(mode: RunMode = .dryRun, _ events: [RunEvent]) -> RunLedger {
        var ledger = RunLedger()
        append(mode: mode, events, to: &ledger)
        return ledger
    }

    /// Run `id` driven by `events` appended to `ledger`, from `offset` seconds after the start.
    private func append(run id: String = "3f9c2a1b7d00", mode: RunMode = .dryRun, _ events: [RunEvent], to ledger: inout RunLedger,
                        offset: Int64 = 0) {
        let start = RunEvent.started(RunStart(mode: mode, plan: .productionCut, document: "release-notes-v0.6",
                                              target: "/srv/pack.sqlite", operatorName: "ops", signing: "stub"))
        let first = ledger.sequence
        for (index, event) in ([start] + events).enumerated() {
            let refusal = ledger.apply(event, run: id, actor: "runner", sequence: first + Int64(index + 1),
                                       time: Self.start + (offset + Int64(index)) * 1000)
            precondition(refusal == nil, "\(event): \(refusal!)")
        }
    }

    /// Phases done up to (not including) `phase`, with the facts a real run records.
    private func through(_ phase: String, mode: RunMode = .dryRun, preSHA: String = "3fc8040a47687a7d1f2fcea6e6717f3d8b8b6185f17fc7af48e230caa6f4907c") -> [RunEvent] {
        var events: [RunEvent] = []
        let facts: [String: [String: JSONValue]] = [
            "pre_state_snapshot": ["pre_counts": .object(["document": .int(3), "unit": .int(0), "cut_marker": .int(0)]),
                                   "pre_sha": .string(preSHA)],
            "select_document": ["signature_critical": .bool(false)],
            "cut_candidates": ["candidates": .int(8)],
            "apply": ["inserted": .int(mode == .live ? 8 : 0)],
            "verify": ["post_counts": .object(["document": .int(3), "unit": .int(mode == .live ? 8 : 0), "cut_marker": .int(mode == .live ? 1 : 0)]),
                       "post_sha": .string(mode == .live ? "9a0b7c6d5e4f" : "3fc8040a47687a7d1f2fcea6e6717f3d8b8b6185f17fc7af48e230caa6f4907c")],
        ]
        for plan in RunPlan.productionCut.phases {
            if plan.id == phase { break }
            if let gate = plan.gate {
                events += [.phaseStarted(phase: plan.id), .gateApproved(TestDecisions.decision(gate, by: "alice"))]
            } else if plan.id == "backup" && mode == .dryRun {
                events.append(.phaseSkipped(phase: plan.id, reason: "dry run: nothing will be written, so no backup is taken"))
            } else {
                if plan.mutates && mode == .live && events.allSatisfy({ $0 != .killSwitchEnabled(by: "alice") }) {
                    events.append(.killSwitchEnabled(by: "alice"))
                }
                events += [.phaseStarted(phase: plan.id), .log(phase: plan.id, stream: "stdout", text: "\(plan.id) says hello"),
                           .phaseCompleted(phase: plan.id, facts: RunFacts(json: facts[plan.id] ?? [:]))]
            }
        }
        return events
    }

    private func render(_ ledger: RunLedger, state: DashboardState = DashboardState(tab: .runs), now: Int64? = nil,
                        readOnly: Bool = false, glyphs: GlyphSet = .unicode) -> Canvas {
        let context = DashboardContext(ledger: ledger, now: now ?? (Self.start + 60_000), readOnly: readOnly)
        return DashboardView.render(programme, state: state, context: context, width: 80, height: 24, glyphs: glyphs)
    }

    /// A reference run closed out and resumed once (the idempotent resume), then the run in
    /// view (the newest) driven by `events`.
    private func comparing(_ events: [RunEvent]) -> RunLedger {
        var ledger = RunLedger()
        let sha = "3fc8040a47687a7d1f2fcea6e6717f3d8b8b6185f17fc7af48e230caa6f4907c"
        append(run: "a0a0a0a0a0a0", through("none") + [.closed, .resumeNoOp(ResumeCheck(
            by: "ops", outcome: "closed", found: TargetSnapshot(counts: ["document": 3, "unit": 0, "cut_marker": 0], sha256: sha),
            expectedSHA: sha))], to: &ledger)
        append(events, to: &ledger, offset: 30)
        return ledger
    }

    private var comparingWithTheReference: DashboardState {
        var state = DashboardState(tab: .runs)
        state.parityReference = "run:a0a0a0a0a0a0"
        return state
    }

    @Test func aRunUnderWayMatchesItsReferenceSoFar() {
        let ledger = comparing(through("SG_1") + [.phaseStarted(phase: "SG_1")])
        let canvas = render(ledger, state: comparingWithTheReference, now: Self.start + 90_000)
        assertSnapshot(canvas.text, named: "runs-parity-so-far")
        #expect(canvas.text.contains("parity with run a0a0a0a0 (this journal): matches so far (5 of 11 phases ended)"))
    }

    @Test func aPhaseWhoseFactsDifferFromTheReferenceIsMarked() {
        let ledger = comparing(through("none", preSHA: "77aa0b") + [.closed])
        let canvas = render(ledger, state: comparingWithTheReference, now: Self.start + 90_000)
        assertSnapshot(canvas.text, named: "runs-parity-differs")
        #expect(canvas.text.contains("DIFFERS"))
        let row = canvas.text.split(separator: "\n").first { $0.contains("pre_state_snapshot") }
        #expect(row?.contains("≠ pre_sha") == true, "\(canvas.text)")
    }

    @Test func cPicksTheReferenceFromTheOtherRuns() {
        let ledger = comparing(through("none") + [.closed])
        let context = DashboardContext(ledger: ledger, now: Self.start + 90_000)
        var state = DashboardState(tab: .runs)
        _ = state.handle(.character("c"), programme: programme, context: context)
        #expect(state.referencePickerOpen && state.referenceCursor == 0)
        assertSnapshot(DashboardView.render(programme, state: state, context: context, width: 80, height: 24, glyphs: .unicode).text,
                       named: "runs-parity-picker")
        _ = state.handle(.down, programme: programme, context: context)
        _ = state.handle(.enter, programme: programme, context: context)
        #expect(!state.referencePickerOpen && state.parityReference == "run:a0a0a0a0a0a0")
        #expect(state.notice == "comparing with run a0a0a0a0 (this journal)")
        // The run closed out without its own idempotent resume: the proof is not whole yet.
        let text = DashboardView.render(programme, state: state, context: context, width: 80, height: 24, glyphs: .unicode).text
        #expect(text.contains("DIFFERS 1: idempotent_resume"), "\(text)")
        // And c, then the first row, compares with nothing again
        _ = state.handle(.character("c"), programme: programme, context: context)
        #expect(state.referenceCursor == 1)
        _ = state.handle(.up, programme: programme, context: context)
        _ = state.handle(.enter, programme: programme, context: context)
        #expect(state.parityReference == nil)
    }

    @Test func cWithNothingToCompareWithSaysSo() {
        var state = DashboardState(tab: .runs)
        _ = state.handle(.character("c"), programme: programme, context: DashboardContext(ledger: ledger(through("none") + [.closed])))
        #expect(!state.referencePickerOpen)
        #expect(state.notice == "nothing to compare with: no other run, and no --reference FILE")
    }

    @Test func noRunsYet() {
        assertSnapshot(render(RunLedger()).text, named: "runs-empty")
    }

    @Test func aPhaseRunningWithAGauge() {
        let ledger = ledger(mode: .live, through("apply", mode: .live) + [
            .phaseStarted(phase: "apply"), .phaseProgress(phase: "apply", done: 3, total: 8),
        ])
        let canvas = render(ledger, now: Self.start + 40_500)
        assertSnapshot(canvas.text, named: "runs-live-applying")
        #expect(canvas.text.contains("LIVE") && canvas.text.contains("SWITCH ON 3f9c2a1b"))
    }

    @Test func pausedAtSG1() {
        let ledger = ledger(through("SG_1") + [.phaseStarted(phase: "SG_1")])
        assertSnapshot(render(ledger).text, named: "runs-paused-sg1")
    }

    @Test func aLiveRunWaitingForTheKillSwitch() {
        var events = through("backup", mode: .live)
        events.removeAll { $0 == .killSwitchEnabled(by: "alice") }
        assertSnapshot(render(ledger(mode: .live, events)).text, named: "runs-live-waiting-switch")
    }

    @Test func failed() {
        let ledger = ledger(through("verify") + [
            .phaseStarted(phase: "verify"),
            .phaseFailed(phase: "verify", reason: "post counts document=3 unit=1 differ from the expected document=3 unit=0"),
        ])
        assertSnapshot(render(ledger).text, named: "runs-failed")
    }

    @Test func closedInASCII() {
        let ledger = ledger(through("none") + [.closed])
        let canvas = render(ledger, glyphs: .ascii)
        assertSnapshot(canvas.text, named: "runs-closed-ascii")
        #expect(canvas.text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func aReadOnlyWatcherShowsTheChangingKeysDisabled() {
        let ledger = ledger(through("SG_1") + [.phaseStarted(phase: "SG_1")])
        let text = render(ledger, readOnly: true).text
        #expect(text.contains("d dry run (read-only)") && text.contains("x abort (read-only)"))
        #expect(text.contains("read-only"))
    }

    @Test func theRunListPicksARun() {
        var ledger = ledger(through("none") + [.closed])
        ledger.apply(.started(RunStart(mode: .live, plan: .productionCut, document: "rollback-runbook", target: nil,
                                       operatorName: "ops", signing: "stub")),
                     run: "77aa00bb11cc", actor: "ops", sequence: 1000, time: Self.start + 3_600_000)
        var state = DashboardState(tab: .runs)
        let context = DashboardContext(ledger: ledger, now: Self.start + 3_600_000)
        _ = state.handle(.character("l"), programme: programme, context: context)
        assertSnapshot(render(ledger, state: state).text, named: "runs-list")
        _ = state.handle(.down, programme: programme, context: context)
        _ = state.handle(.enter, programme: programme, context: context)
        #expect(state.selectedRunID == "3f9c2a1b7d00")
        #expect(context.selectedRun(state)?.id == "3f9c2a1b7d00")
    }
}

/// The keys of the Runs tab.
struct RunKeysTests {
    private let programme = ProgrammeLoader.embedded()

    private func context(readOnly: Bool, ended: Bool = false) -> DashboardContext {
        var ledger = RunLedger()
        ledger.apply(.started(RunStart(mode: .dryRun, plan: .productionCut, document: nil, target: nil, operatorName: "o", signing: "stub")),
                     run: "abc123def456", actor: "o", sequence: 1, time: 0)
        if ended { ledger.apply(.aborted(by: "o", reason: "r"), run: "abc123def456", actor: "o", sequence: 2, time: 1) }
        return DashboardContext(ledger: ledger, readOnly: readOnly)
    }

    @Test func dStartsADryRunUnlessReadOnly() {
        var state = DashboardState(tab: .runs)
        #expect(state.handle(.character("d"), programme: programme, context: context(readOnly: false)) == .startDryRun)
        var watcher = DashboardState(tab: .runs)
        #expect(watcher.handle(.character("d"), programme: programme, context: context(readOnly: true)) == .continueRunning)
        #expect(watcher.notice?.hasPrefix("read-only") == true)
    }

    @Test func xAsksBeforeAborting() {
        let context = context(readOnly: false)
        var state = DashboardState(tab: .runs)
        #expect(state.handle(.character("x"), programme: programme, context: context) == .continueRunning)
        #expect(state.notice == "Abort run abc123de? y/N")
        #expect(state.handle(.character("y"), programme: programme, context: context) == .abort(runID: "abc123def456"))

        var declined = DashboardState(tab: .runs)
        _ = declined.handle(.character("x"), programme: programme, context: context)
        #expect(declined.handle(.character("n"), programme: programme, context: context) == .continueRunning)
        #expect(declined.notice == "abort cancelled" && declined.pendingAbort == nil)
    }

    @Test func noKeyChangesAnythingInAReadOnlyWatcher() {
        let context = context(readOnly: true)
        for key: Key in [.character("d"), .character("x"), .character("y"), .enter, .character("a"), .character("r"), .character("K")] {
            var state = DashboardState(tab: .runs)
            let outcome = state.handle(key, programme: programme, context: context)
            #expect(outcome == .continueRunning || outcome == .quit, "\(key) did \(outcome)")
        }
    }

    @Test func anEndedRunIsNotAbortedAgain() {
        var state = DashboardState(tab: .runs)
        _ = state.handle(.character("x"), programme: programme, context: context(readOnly: false, ended: true))
        #expect(state.pendingAbort == nil && state.notice?.contains("already ended") == true)
    }
}
