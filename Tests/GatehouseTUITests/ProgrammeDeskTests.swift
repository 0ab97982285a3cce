import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing
@testable import GatehouseTUI

/// The Gates tab as a sign-off desk, drawn at 80x24: each gate's live status, the review of a
/// gate with its sign-offs and evidence, the phrase page; and the keys of a programme act.
struct ProgrammeDeskTests {
    private let programme = ProgrammeLoader.embedded()
    /// 2026-05-21 10:00:00 UTC.
    private static let start: Int64 = 1_779_357_600_000

    /// The embedded programme's journal after `acts` (each made from the board as it stands,
    /// stub-signed as demo), its charter pinned first.
    private func ledger(_ acts: [(ProgrammeCharter, GateBoard) -> [String: JSONValue]]) -> RunLedger {
        var ledger = RunLedger()
        let charter = ProgrammeCharter(programme)
        var sequence: Int64 = 1
        precondition(ledger.apply(.pinned(charter), sequence: sequence, time: Self.start) == nil)
        for act in acts {
            sequence += 1
            let statement = act(charter, ledger.programme.board(charter))
            let refusal = ledger.apply(.act(ProgrammeAct(statement: statement, provider: "stub", signature: StubSigning.sign(statement))),
                                       sequence: sequence, time: Self.start + sequence * 1000)
            precondition(refusal == nil, "\(refusal!)")
        }
        return ledger
    }

    /// GATE-O6's condition met and GATE-O6 signed off; GAP-3 closed.
    private var o6Signed: RunLedger {
        ledger([
            { charter, _ in ProgrammeStatement.conditionMet("a deploy command-review package", of: "GATE-O6", charter: charter,
                                                            evidence: "review package at 1a2b3c", by: "demo", signedAt: Self.start, nonce: "n1") },
            { charter, board in ProgrammeStatement.signOff(board.entry("GATE-O6")!, charter: charter, pass: true, reason: "", by: "demo",
                                                           signedAt: Self.start, nonce: "n2") },
            { charter, _ in ProgrammeStatement.closeGap("GAP-3", charter: charter, run: nil, evidence: "fixed in v0.6.3", reference: nil,
                                                        by: "demo", signedAt: Self.start, nonce: "n3") },
        ])
    }

    private func context(_ ledger: RunLedger, readOnly: Bool = false) -> DashboardContext {
        DashboardContext(ledger: ledger, now: Self.start + 60_000, readOnly: readOnly, signer: "demo")
    }

    private func render(_ ledger: RunLedger, _ state: DashboardState, readOnly: Bool = false) -> String {
        DashboardView.render(programme, state: state, context: context(ledger, readOnly: readOnly), width: 80, height: 24, glyphs: .unicode).text
    }

    @discardableResult
    private func type(_ keys: [Key], into state: inout DashboardState, _ ledger: RunLedger, readOnly: Bool = false) -> DashboardState.Outcome {
        var outcome = DashboardState.Outcome.continueRunning
        for key in keys { outcome = state.handle(key, programme: programme, context: context(ledger, readOnly: readOnly)) }
        return outcome
    }

    private func characters(_ text: String) -> [Key] { text.map { Key.character($0) } }

    // MARK: - Screens

    @Test func theGatesTabShowsEachGatesLiveStatus() {
        let screen = render(o6Signed, DashboardState(tab: .gates))
        assertSnapshot(screen, named: "desk-gates")
        #expect(screen.contains("GATE-O6          high     pass"))
    }

    @Test func aGatesReviewShowsWhoSignedItAndTheEvidence() {
        var state = DashboardState(tab: .gates)
        type([.down, .enter], into: &state, o6Signed)
        let screen = render(o6Signed, state)
        assertSnapshot(screen, named: "desk-review-gate-o6")
        #expect(screen.contains("pass by demo (stub, INSECURE) at #3"))
    }

    @Test func theSignOffPageShowsWhatItBindsAndThePhrase() throws {
        let journal = ledger([{ charter, _ in ProgrammeStatement.conditionMet("a deploy command-review package", of: "GATE-O6", charter: charter,
                                                                               evidence: "review package", by: "demo", signedAt: Self.start, nonce: "n") }])
        var state = DashboardState(tab: .gates)
        type([.down, .character("a")], into: &state, journal)
        let screen = render(journal, state)
        assertSnapshot(screen, named: "desk-signoff-phrase")
        let entry = try #require(context(journal).board(programme).entry("GATE-O6"))
        #expect(screen.contains("To sign, type PASS GATE-O6 \(entry.evidenceDigest.prefix(8))"))
    }

    // MARK: - Keys

    @Test func aPassIsSignedOnlyAfterTheExactPhraseAndBindsTheEntryReviewed() throws {
        let journal = ledger([{ charter, _ in ProgrammeStatement.conditionMet("a deploy command-review package", of: "GATE-O6", charter: charter,
                                                                               evidence: "review package", by: "demo", signedAt: Self.start, nonce: "n") }])
        let entry = try #require(context(journal).board(programme).entry("GATE-O6"))
        var state = DashboardState(tab: .gates)
        // A wrong phrase is refused and cleared; nothing is asked of the journal
        #expect(type([.down, .character("a")] + characters("PASS GATE-O6 00000000") + [.enter], into: &state, journal) == .continueRunning)
        #expect(state.programmeFlow?.error?.contains("type PASS GATE-O6 \(entry.evidenceDigest.prefix(8)) exactly") == true)
        // The right one asks for the sign-off of the entry as reviewed
        let outcome = type(characters(ProgrammeStatement.phrase(for: entry, pass: true)) + [.enter], into: &state, journal)
        #expect(outcome == .programmeAct(.signOff(entry, pass: true), text: ""))
    }

    @Test func aProtectedKeyFilesPassphraseIsAskedAfterThePhraseAndNeverDrawn() throws {
        let journal = ledger([{ charter, _ in ProgrammeStatement.conditionMet("a deploy command-review package", of: "GATE-O6", charter: charter,
                                                                               evidence: "review package", by: "demo", signedAt: Self.start, nonce: "n") }])
        let entry = try #require(context(journal).board(programme).entry("GATE-O6"))
        var context = context(journal)
        context.protectedKeyFile = "/keys/demo.key"
        var state = DashboardState(tab: .gates)
        for key in [.down, .character("a")] + characters(ProgrammeStatement.phrase(for: entry, pass: true)) + [.enter] + characters("s3cret") {
            #expect(state.handle(key, programme: programme, context: context) == .continueRunning)
        }
        #expect(state.programmeFlow?.step == .passphrase)
        let screen = DashboardView.render(programme, state: state, context: context, width: 80, height: 24, glyphs: .unicode).text
        #expect(screen.contains("Passphrase of /keys/demo.key: _ (not shown)") && !screen.contains("s3cret"), "\(screen)")
        #expect(state.handle(.enter, programme: programme, context: context) == .programmeAct(.signOff(entry, pass: true), text: ""))
        #expect(state.programmeFlow?.passphrase == "s3cret")
    }

    @Test func aFailAsksWhyThenThePhrase() {
        let journal = o6Signed
        var state = DashboardState(tab: .gates)
        type([.down, .down, .character("r"), .enter], into: &state, journal)
        #expect(state.programmeFlow?.error == "this cannot be empty; it is signed and journaled")
        type(characters("the rollback is untested") + [.enter], into: &state, journal)
        #expect(state.programmeFlow?.step == .phrase)
        let entry = context(journal).board(programme).entry("GATE-O7")!
        let outcome = type(characters("FAIL GATE-O7 \(entry.evidenceDigest.prefix(8))") + [.enter], into: &state, journal)
        #expect(outcome == .programmeAct(.signOff(entry, pass: false), text: "the rollback is untested"))
    }

    @Test func escCancelsAtEveryStepAndNothingIsAsked() {
        for steps in [[Key.character("c")], [.character("c")] + characters("done") + [.enter], [.character("c")] + characters("done") + [.enter] + characters("CLO")] {
            var state = DashboardState(tab: .gates)
            state.gatesCursor = GatesBoardItems(programme).items.firstIndex { $0.id == "GAP-4" }!
            #expect(type(steps + [.escape], into: &state, o6Signed) == .continueRunning)
            #expect(state.programmeFlow == nil && state.notice == "cancelled; nothing was recorded")
        }
    }

    @Test func whatCannotBeSignedIsSaidAtOnceAndReadOnlySignsNothing() {
        var state = DashboardState(tab: .gates)
        type([.down, .down, .character("a")], into: &state, o6Signed)
        #expect(state.programmeFlow == nil)
        #expect(state.notice == "GATE-O7 cannot be signed pass yet: gap GAP-1 is open")
        type([.character("g"), .character("a")], into: &state, o6Signed)
        #expect(state.notice == "G3 is pass already")
        state.gatesCursor = GatesBoardItems(programme).items.firstIndex { $0.id == "GAP-3" }!
        type([.character("c")], into: &state, o6Signed)
        #expect(state.notice?.hasPrefix("GAP-3 is closed already (closed at #4 by demo") == true)
        type([.character("o")], into: &state, o6Signed, readOnly: true)
        #expect(state.programmeFlow == nil && state.notice == DashboardState.readOnlyProgrammeReason)
        #expect(render(o6Signed, state, readOnly: true).contains("o reopen (read-only)"))
    }
}
