import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing
@testable import GatehouseTUI

/// The Approvals tab, the review page, the kill-switch checklist and the Audit tab, drawn at
/// 80x24; and the keys of a signed act, step by step.
struct SovereignScreensTests {
    private let programme = ProgrammeLoader.embedded()
    /// 2026-05-21 10:00:00 UTC.
    private static let start: Int64 = 1_779_357_600_000
    private static let run = "3f9c2a1b7d00"
    private static let demo = Sovereign(name: "demo", provider: "stub", publicKey: nil, gates: ["SG_1", "SG_2"])

    /// A run of `mode` driven to the gate `gate` (and approved at SG_1 when `gate` is nil: waiting for the switch).
    private func ledger(mode: RunMode = .dryRun, preconditions: [PreconditionCheck] = [], waitingAt gate: String? = "SG_1",
                        sovereigns: [Sovereign] = [demo]) -> RunLedger {
        var ledger = RunLedger()
        var sequence: Int64 = 0
        func send(_ event: RunEvent) {
            sequence += 1
            let refusal = ledger.apply(event, run: Self.run, actor: "runner", sequence: sequence, time: Self.start + sequence * 1000)
            precondition(refusal == nil, "\(event): \(refusal!)")
        }
        send(.started(RunStart(mode: mode, plan: .productionCut, document: "release-notes-v0.6", target: nil, operatorName: "ops",
                               signing: "stub", sovereigns: sovereigns, preconditions: preconditions)))
        let facts: [String: [String: JSONValue]] = [
            "pre_state_snapshot": ["pre_counts": .object(["document": .int(3), "unit": .int(0), "cut_marker": .int(0)]),
                                   "pre_sha": .string("3fc8040a47687a7d1f2fcea6e6717f3d8b8b6185f17fc7af48e230caa6f4907c")],
            "select_document": ["signature_critical": .bool(false), "document_digest": .string("d1")],
            "cut_candidates": ["candidates": .int(8), "candidates_digest": .string("c1"),
                               "candidate_headings": .array(["Preamble", "Highlights", "Dashboard", "Journal"].map(JSONValue.string))],
            "validate": ["would_insert": .int(8)],
        ]
        for phase in RunPlan.productionCut.phases.prefix(5) {
            send(.phaseStarted(phase: phase.id))
            send(.phaseCompleted(phase: phase.id, facts: RunFacts(json: facts[phase.id] ?? [:])))
        }
        send(.phaseStarted(phase: "SG_1"))
        if gate == nil {
            send(.gateApproved(TestDecisions.approval(of: ledger[Self.run]!, gate: "SG_1", by: "demo", signedAt: Self.start, nonce: "n")))
        }
        return ledger
    }

    private func context(_ ledger: RunLedger, readOnly: Bool = false) -> DashboardContext {
        DashboardContext(ledger: ledger, now: Self.start + 60_000, readOnly: readOnly, signer: "demo")
    }

    private func render(_ ledger: RunLedger, _ state: DashboardState) -> String {
        DashboardView.render(programme, state: state, context: context(ledger), width: 80, height: 24, glyphs: .unicode).text
    }

    /// Types `keys` into `state`; returns the last outcome.
    @discardableResult
    private func type(_ keys: [Key], into state: inout DashboardState, _ ledger: RunLedger, readOnly: Bool = false) -> DashboardState.Outcome {
        var outcome = DashboardState.Outcome.continueRunning
        for key in keys { outcome = state.handle(key, programme: programme, context: context(ledger, readOnly: readOnly)) }
        return outcome
    }

    private func characters(_ text: String) -> [Key] { text.map { Key.character($0) } }

    private static let unmet = [
        PreconditionCheck(kind: "gap", label: "GAP-3 closed", met: false, why: "GAP-3 is open; close it and record it in the programme"),
        PreconditionCheck(kind: "macro", label: "macro O6 done", met: true, why: "GATE-O6 passed"),
    ]

    @Test func theApprovalsTabListsTheGateARunWaitsAt() {
        assertSnapshot(render(ledger(), DashboardState(tab: .approvals)), named: "approvals-list")
    }

    @Test func theReviewPageShowsWhatTheApprovalCovers() {
        let ledger = ledger()
        var state = DashboardState(tab: .approvals)
        type([.enter], into: &state, ledger)
        assertSnapshot(render(ledger, state), named: "approvals-review-sg1")
    }

    @Test func theReviewShowsTheBackupAndWhetherItsDrillPassed() throws {
        var ledger = RunLedger()
        func send(_ event: RunEvent, _ sequence: Int64) {
            precondition(ledger.apply(event, run: Self.run, actor: "t", sequence: sequence, time: sequence) == nil, "\(event)")
        }
        send(.started(RunStart(mode: .live, plan: .productionCut, document: "d", target: nil, operatorName: "ops", signing: "stub")), 1)
        send(.phaseStarted(phase: "identity_guards"), 2)
        send(.phaseCompleted(phase: "identity_guards", facts: RunFacts(preStateSHA: "3fc8040a47687a7d", backupPath: "/b/3f9c2a1b7d00-1.sqlite.gpg",
                                                                       backupRecipients: ["F1", "F2"])), 3)
        func line() -> (text: String, role: Role)? {
            ledger[Self.run].flatMap(SignFlowScreen.backupLine)
        }
        let before = try #require(line())
        #expect(before.text == "3f9c2a1b7d00-1.sqlite.gpg · encrypted to 2 keys · not drilled: `gatehouse restore 3f9c2a1b --drill`")
        send(.restoreDrilled(RestoreDrill(by: "ops", backup: "/b/x", contentSHA256: "3fc8040a47687a7d", expectedSHA256: "3fc8040a47687a7d")), 4)
        let passed = try #require(line())
        #expect(passed.text.hasSuffix("drill at #4 passed: the backup holds the pre-state (SHA-256 3fc8040a4768…)") && passed.role == .statusPass)
        send(.restoreDrilled(RestoreDrill(by: "ops", backup: "/b/x", contentSHA256: nil, expectedSHA256: "3fc8040a47687a7d", detail: "gone")), 5)
        #expect(line()?.role == .danger)
    }

    @Test func theLastGatesReviewSaysItsApprovalAlsoSignsTheCloseOut() throws {
        let run = try #require(ledger()[Self.run])
        let text = { (gate: String) in
            SignFlowScreen.review(gate: gate, run: run, programme: programme, context: context(ledger()), glyphs: .unicode)
                .map { $0.runs.map(\.text).joined() }.joined(separator: "\n")
        }
        #expect(text("SG_2").contains("Close-out   approving also signs the run's close-out (the approvals, the backup's SHA-256)"))
        #expect(!text("SG_1").contains("Close-out"))
    }

    @Test func theReviewSaysWhenTheProgrammeRequiresTheDrillBeforeSG2() throws {
        var ledger = RunLedger()
        func send(_ event: RunEvent, _ sequence: Int64) {
            precondition(ledger.apply(event, run: Self.run, actor: "t", sequence: sequence, time: sequence) == nil, "\(event)")
        }
        send(.started(RunStart(mode: .live, plan: .productionCut, document: "d", target: nil, operatorName: "ops", signing: "stub",
                               backupDrillRequired: true)), 1)
        send(.phaseStarted(phase: "identity_guards"), 2)
        send(.phaseCompleted(phase: "identity_guards", facts: RunFacts(preStateSHA: "3fc8040a47687a7d", backupPath: "/b/3f9c2a1b7d00-1.sqlite")), 3)
        let before = try #require(ledger[Self.run].flatMap(SignFlowScreen.backupLine))
        #expect(before.text == "3f9c2a1b7d00-1.sqlite · not encrypted · not drilled (required before SG_2): `gatehouse restore 3f9c2a1b --drill`")
        #expect(before.role == .danger)
        send(.restoreDrilled(RestoreDrill(by: "ops", backup: "/b/3f9c2a1b7d00-1.sqlite", contentSHA256: "3fc8040a47687a7d",
                                          expectedSHA256: "3fc8040a47687a7d")), 4)
        let after = try #require(ledger[Self.run].flatMap(SignFlowScreen.backupLine))
        #expect(after.text.hasSuffix("passed: the backup holds the pre-state (SHA-256 3fc8040a4768…)") && after.role == .statusPass)
    }

    @Test func theReviewPageShowsTheRunsParityWithItsReference() throws {
        let ledger = ledger()
        // The reference: the developer host's run, from its record (here the same events).
        var context = context(ledger)
        context.references = [ParitySide(run: try #require(ledger[Self.run]), source: "o4-host-a.json")]
        var state = DashboardState(tab: .approvals)
        state.parityReference = "record:o4-host-a.json"
        _ = state.handle(.enter, programme: programme, context: context)
        let text = DashboardView.render(programme, state: state, context: context, width: 100, height: 30, glyphs: .unicode).text
        let line = text.split(separator: "\n").first { $0.contains("Parity") }
        #expect(line?.contains("parity with run 3f9c2a1b (o4-host-a.json): matches so far (5 of 11 phases ended)") == true, "\(text)")
    }

    @Test func aSovereignPinnedByASecurityKeyIsAskedToTouchItBeforeTheScreenWaitsForTheSignature() {
        let key = SoftwareSecurityKey(curve: .ed25519).publicKey
        let ledger = ledger(sovereigns: [Sovereign(name: "demo", provider: "ssh", publicKey: key.line, gates: ["SG_1", "SG_2"])])
        var state = DashboardState(tab: .approvals)
        let keys: [Key] = [.enter, .character("a")] + characters("SG_1 3f9c2a1b")
        type(keys, into: &state, ledger)
        var loop = DashboardLoop(programme: programme, state: state, context: context(ledger))
        let now = DashboardLoop.Instant(wall: Self.start, uptime: 0)
        _ = loop.start(at: now)
        _ = loop.handle(.journalRead(changed: false, notifies: false), at: now)
        _ = loop.handle(.key(.enter), at: now)
        let actions = loop.handle(.journalRead(changed: false, notifies: false), at: now)
        #expect(actions == [.draw(whole: false), .perform(.decide(runID: Self.run, gate: "SG_1", approve: true, reason: ""))])
        #expect(render(ledger, loop.state).contains("touch your security key to sign (nothing is recorded after 60 s)"))

        // An SSH key that is not a security key signs without waiting for anyone
        let plain = SoftwareSSHKey()
        let other = self.ledger(sovereigns: [Sovereign(name: "demo", provider: "ssh", publicKey: plain.line, gates: ["SG_1", "SG_2"])])
        var direct = DashboardState(tab: .approvals)
        #expect(type(keys + [.enter], into: &direct, other) == .decide(runID: Self.run, gate: "SG_1", approve: true, reason: ""))
        if case .working? = direct.flow?.step { Issue.record("a key that needs no touch showed the touch page") }
    }

    @Test func aProtectedKeyFilesPassphraseIsAskedAfterThePhraseAndNeverDrawn() {
        let ledger = ledger()
        var context = context(ledger)
        context.protectedKeyFile = "/home/alice/.config/gatehouse/keys/alice.key"
        var state = DashboardState(tab: .approvals)
        func type(_ keys: [Key]) -> DashboardState.Outcome {
            var outcome = DashboardState.Outcome.continueRunning
            for key in keys { outcome = state.handle(key, programme: programme, context: context) }
            return outcome
        }
        #expect(type([.enter, .character("a")] + characters("SG_1 3f9c2a1b") + [.enter]) == .continueRunning)
        #expect(state.flow?.step == .passphrase)
        #expect(type(characters("hunter2")) == .continueRunning)
        let screen = DashboardView.render(programme, state: state, context: context, width: 80, height: 24, glyphs: .unicode).text
        #expect(screen.contains("Passphrase of /home/alice/.config/gatehouse/keys/alice.key: _ (not shown)"), "\(screen)")
        #expect(!screen.contains("hunter2"))
        #expect(type([.enter]) == .decide(runID: Self.run, gate: "SG_1", approve: true, reason: ""))
        #expect(state.flow?.passphrase == "hunter2")
        // The result page forgets it
        var loop = DashboardLoop(programme: programme, state: state, context: context)
        _ = loop.handle(.performed(.flowResult(message: "SG_1 approved", recorded: true)), at: DashboardLoop.Instant(wall: Self.start, uptime: 0))
        #expect(loop.state.flow?.passphrase == "")

        // Esc at the passphrase cancels with nothing recorded, and an empty one is not sent
        var cancelled = DashboardState(tab: .approvals)
        for key in [.enter, .character("a")] + characters("SG_1 3f9c2a1b") + [.enter, .enter] {
            _ = cancelled.handle(key, programme: programme, context: context)
        }
        #expect(cancelled.flow?.error == "type the passphrase of your key file; Esc cancels")
        _ = cancelled.handle(.escape, programme: programme, context: context)
        #expect(cancelled.flow == nil && cancelled.notice == "cancelled; nothing was recorded")
    }

    @Test func aKeyFileWithoutAPassphraseSignsAtThePhraseAsBefore() {
        var state = DashboardState(tab: .approvals)
        #expect(type([.enter, .character("a")] + characters("SG_1 3f9c2a1b") + [.enter], into: &state, ledger())
            == .decide(runID: Self.run, gate: "SG_1", approve: true, reason: ""))
    }

    @Test func approvingTakesTheTypedPhraseAndNothingIsAskedOfTheJournalBefore() {
        let ledger = ledger()
        var state = DashboardState(tab: .approvals)
        #expect(type([.enter, .character("a")] + characters("SG_1 3f9c2a1x") + [.enter], into: &state, ledger) == .continueRunning)
        #expect(state.flow?.error == "that is not the phrase; type SG_1 3f9c2a1b exactly" && state.flow?.typed == "")
        assertSnapshot(render(ledger, state), named: "approvals-phrase-wrong")
        // q is text in the field, not quit
        #expect(type(characters("SG_1 3f9c2a1b"), into: &state, ledger) == .continueRunning)
        #expect(type([.enter], into: &state, ledger) == .decide(runID: Self.run, gate: "SG_1", approve: true, reason: ""))
    }

    @Test func aRejectionNeedsAReasonThenThePhrase() {
        let ledger = ledger()
        var state = DashboardState(tab: .approvals)
        type([.enter, .character("r"), .enter], into: &state, ledger)
        #expect(state.flow?.step == .reason && state.flow?.error?.contains("say why") == true)
        type(characters("wrong docq") + [.backspace, .enter], into: &state, ledger)
        #expect(state.flow?.step == .phrase)
        #expect(type(characters("SG_1 3f9c2a1b") + [.enter], into: &state, ledger)
                == .decide(runID: Self.run, gate: "SG_1", approve: false, reason: "wrong doc"))
    }

    @Test func escCancelsAtEveryStepWithNothingRecorded() {
        let ledger = ledger()
        for keys: [Key] in [[.enter], [.enter, .character("r")], [.enter, .character("r")] + characters("x") + [.enter], [.enter, .character("a")]] {
            var state = DashboardState(tab: .approvals)
            type(keys, into: &state, ledger)
            #expect(state.flow != nil)
            #expect(type([.escape], into: &state, ledger) == .continueRunning)
            #expect(state.flow == nil && state.notice == "cancelled; nothing was recorded")
        }
    }

    @Test func aReadOnlyDashboardOpensNoFlow() {
        let ledger = ledger()
        var state = DashboardState(tab: .approvals)
        type([.enter, .character("a"), .character("K")], into: &state, ledger, readOnly: true)
        #expect(state.flow == nil && state.notice?.hasPrefix("read-only") == true)
    }

    @Test func theChecklistRefusesWhileALineIsRed() {
        let ledger = ledger(mode: .live, preconditions: Self.unmet, waitingAt: nil)
        var state = DashboardState(tab: .runs)
        type([.character("K")], into: &state, ledger)
        #expect(type([.enter], into: &state, ledger) == .continueRunning)
        #expect(state.flow?.step == .review && state.flow?.error?.hasPrefix("refused: 1 precondition is not met") == true)
        assertSnapshot(render(ledger, state), named: "killswitch-checklist-unmet")
    }

    @Test func withEveryLineMetThePhraseAndAYesEnableLive() {
        let met = Self.unmet.map { PreconditionCheck(kind: $0.kind, label: $0.label, met: true, why: "done") }
        let ledger = ledger(mode: .live, preconditions: met, waitingAt: nil)
        var state = DashboardState(tab: .approvals)
        #expect(render(ledger, state).contains("KILL-SWITCH 3f9c2a1b LIVE"))
        type([.enter], into: &state, ledger)
        assertSnapshot(render(ledger, state), named: "killswitch-checklist-met")
        type([.enter] + characters("ENABLE LIVE 3f9c2a1b") + [.enter], into: &state, ledger)
        #expect(state.flow?.step == .confirm)
        var declined = state
        #expect(type([.character("n")], into: &declined, ledger) == .continueRunning && declined.flow == nil)
        #expect(type([.character("y")], into: &state, ledger) == .enableLive(runID: Self.run))
    }

    @Test func theAuditTabListsSignedEventsWithTheirVerification() {
        assertSnapshot(render(ledger(mode: .live, waitingAt: nil), DashboardState(tab: .audit)), named: "audit-trail")
    }
}
