import GatehouseCore
import GatehouseEngine
import Testing

/// The programme's progress as a fold of signed acts over its file: gates signed off, gaps
/// closed and reopened, conditions met, rulings, runs as evidence, and what is refused.
struct ProgrammeLedgerTests {
    // MARK: - The charter

    @Test func theCharterReadsBackFromItsJournalForm() throws {
        let charter = ProgrammeCharter(ProgrammeLoader.embedded())
        let event = ProgrammeEvent.pinned(charter)
        let read = try #require(ProgrammeEvent(kind: event.kind, payload: try JSONValue.parse(event.payload.canonical)))
        #expect(read == event)
        #expect(charter.digest == ProgrammeLoader.embedded().sourceDigest)
        #expect(charter.definitionDigests.count == charter.gates.count)
    }

    @Test func anActsSignatureIsCheckedOverItsStatementAsJournaledWhichIsItsCanonicalForm() throws {
        let charter = ProgrammeCharter(ProgrammeLoader.embedded())
        // Evidence that spells the key the payload is cut at, in quotes, braces and all
        let statement = ProgrammeStatement.closeGap("GAP-3", charter: charter, run: nil, evidence: #"a ,"statement":{ trap }}"#,
                                                    reference: nil, by: "demo", signedAt: 1, nonce: "n")
        let event = ProgrammeEvent.act(ProgrammeAct(statement: statement, provider: "stub", signature: StubSigning.sign(statement)))
        let payload = event.payload.canonical
        #expect(ProgrammeEvent.statementText(payload) == JSONValue.object(statement).canonical)
        let read = try #require(ProgrammeEvent(kind: event.kind, payload: { try? JSONValue.parse(payload)[$0] ?? nil }, text: payload))
        guard case .act(let act) = read else { Issue.record("not an act"); return }
        #expect(act.journaledStatement == JSONValue.object(statement).canonical && act == ProgrammeAct(statement: statement, provider: "stub", signature: StubSigning.sign(statement)))
        // A payload not in the canonical form gives no text: the statement is encoded again
        #expect(ProgrammeEvent.statementText(#"{ "provider": "stub", "signature": "x", "statement": {} }"#) == nil)
    }

    @Test func aGatesDefinitionDigestChangesWithWhatItDemandsNotWithItsTitle() {
        var programme = ProgrammeLoader.embedded()
        let before = ProgrammeCharter(programme).definitionDigests["GATE-O7"]
        programme.gates[2].title = "Post-deploy dry run, renamed"
        #expect(ProgrammeCharter(programme).definitionDigests["GATE-O7"] == before)
        programme.gates[2].requires.append(.gap("GAP-2"))
        #expect(ProgrammeCharter(programme).definitionDigests["GATE-O7"] != before)
    }

    // MARK: - Levels, signatures, runs as evidence

    @Test func aHighGateIsPassWithOneSovereignsSignOff() {
        var driver = ProgrammeDriver()
        #expect(driver.board.entry("GATE-O6")?.status == .blocked)
        #expect(driver.conditionMet("a deploy command-review package", of: "GATE-O6") == nil)
        let ready = driver.board.entry("GATE-O6")!
        #expect(ready.status == .pending && ready.isReadyToSign && ready.signatureCount == "0 of 1 signature")
        #expect(driver.signOff("GATE-O6") == nil)
        let signed = driver.board.entry("GATE-O6")!
        #expect(signed.status == .pass)
        #expect(signed.passes.map(\.act.by) == ["demo"])
        #expect(driver.board.macros.first { $0.macro.id == "O6" }?.isClear == true)
    }

    @Test func aClosedOutDryRunShownAtParityIsTheEvidenceGateO7Needs() {
        var driver = ProgrammeDriver()
        driver.conditionMet("a deploy command-review package", of: "GATE-O6")
        driver.signOff("GATE-O6")
        driver.run("dry-1", close: false)
        #expect(driver.closeGap("GAP-1", run: "dry-1")?.reason.contains("has not closed out") == true)
        let noParity = "no closed-out DRYRUN run of production-cut has been shown at parity with a reference (`gatehouse compare REFERENCE RUN --record-verdict`)"
        #expect(driver.board.entry("GATE-O7")?.blockers.map(\.reason) == ["gap GAP-1 is open", noParity])
        // A verdict is of a whole run: not journaled while it is under way
        #expect(driver.runs.ledger.check(.parityChecked(ParityCheck(by: "ops", referenceRun: "r", referenceSource: "o4.json", referenceHost: nil,
                                                                       referenceHead: "h", holds: true, differingFields: [], differences: 0,
                                                                       expected: 0)), run: "dry-1", time: 0) != nil)
        driver.runs.send(.closed, to: "dry-1")
        #expect(driver.closeGap("GAP-1", run: "dry-1") == nil)
        // Closed out is not enough: it must be shown at parity, and a comparison that differs is no evidence
        #expect(driver.board.entry("GATE-O7")?.blockers.map(\.reason) == [noParity])
        driver.showParity("dry-1", holds: false)
        #expect(driver.board.entry("GATE-O7")?.blockers.map(\.reason) == [noParity])
        driver.showParity("dry-1")
        let entry = driver.board.entry("GATE-O7")!
        #expect(entry.isReadyToSign)
        #expect(entry.evidence.contains { $0.hasPrefix("run dry-1 of production-cut (dryrun) at parity with run dev-host-run (o4.json on dev), 8 expected between hosts, reference head 5e1f, at #") },
                "\(entry.evidence)")
        #expect(driver.signOff("GATE-O7") == nil)
        #expect(driver.board.entry("GATE-O7")?.status == .pass)
        // And a later comparison of that run that differs takes the evidence back: the sign-off is stale
        driver.showParity("dry-1", holds: false)
        let after = driver.board.entry("GATE-O7")!
        #expect(after.status == .blocked && after.stale.count == 1, "\(after)")
    }

    @Test func anXhighGateNeedsARulingAndTwoDistinctSovereigns() {
        var driver = ProgrammeDriver()
        driver.throughGateO7()
        for gap in 3...8 { #expect(driver.closeGap("GAP-\(gap)") == nil) }
        #expect(driver.board.entry("GATE-O8")?.blockers.map(\.reason) == ["GATE-O8 is xhigh and no ruling is recorded for it"])
        #expect(driver.signOff("GATE-O8")?.reason.contains("no ruling is recorded") == true)
        #expect(driver.ruling("the first live cut may proceed on a harmless document", on: "GATE-O8") == nil)
        #expect(driver.signOff("GATE-O8") == nil)
        #expect(driver.board.entry("GATE-O8")?.status == .pending)
        #expect(driver.board.entry("GATE-O8")?.signatureCount == "1 of 2 signatures")
        // The same sovereign twice counts once
        #expect(driver.signOff("GATE-O8")?.reason.contains("demo signed GATE-O8 off already") == true)
        #expect(driver.signOff("GATE-O8", by: "demo2") == nil)
        #expect(driver.board.entry("GATE-O8")?.status == .pass)
    }

    @Test func signaturesInTheFileOverrideTheLevel() {
        var programme = ProgrammeLoader.embedded()
        programme.gates[1].signatures = 2
        var driver = ProgrammeDriver(programme)
        driver.conditionMet("a deploy command-review package", of: "GATE-O6")
        driver.signOff("GATE-O6")
        #expect(driver.board.entry("GATE-O6")?.status == .pending)
        driver.signOff("GATE-O6", by: "demo2")
        #expect(driver.board.entry("GATE-O6")?.status == .pass)
    }

    @Test func aFailSignOffFailsTheGateUntilItsSignerPassesIt() {
        var driver = ProgrammeDriver()
        driver.conditionMet("a deploy command-review package", of: "GATE-O6")
        #expect(driver.signOff("GATE-O6", pass: false)?.reason == "a fail needs a reason")
        #expect(driver.signOff("GATE-O6", pass: false, reason: "the package misses the rollback") == nil)
        #expect(driver.board.entry("GATE-O6")?.status == .fail)
        #expect(driver.signOff("GATE-O6") == nil)
        #expect(driver.board.entry("GATE-O6")?.status == .pass)
    }

    @Test func theFilesRecordedPassStands() {
        let driver = ProgrammeDriver()
        #expect(driver.board.entry("G3")?.status == .pass)
        var signing = driver
        #expect(signing.signOff("G3")?.reason.contains("may not sign G3") == true)
    }

    // MARK: - Stale sign-offs

    @Test func aReopenedGapMakesTheSignOffsThatReliedOnItStale() {
        var driver = ProgrammeDriver()
        driver.throughGateO7()
        #expect(driver.board.entry("GATE-O7")?.status == .pass)
        #expect(driver.reopenGap("GAP-1", reason: "the deploy was rolled back") == nil)
        let entry = driver.board.entry("GATE-O7")!
        #expect(entry.status == .blocked)
        #expect(entry.passes.isEmpty)
        #expect(entry.stale.count == 1)
        #expect(entry.stale.first?.why.contains("no longer holds: gap GAP-1 closed at #") == true)
        // Closing it again does not bring the old sign-off back: it saw another closure
        driver.closeGap("GAP-1", run: "dry-1")
        // And the stale statement, sent again, is refused: it binds evidence that is gone
        let stale = driver.board.entry("GATE-O7")!.stale[0].signOff.act.statement
        #expect(driver.send(stale)?.reason.contains("what it rests on changed since it was signed") == true)
        #expect(driver.board.entry("GATE-O7")?.status == .pending)
        #expect(driver.board.entry("GATE-O7")?.stale.count == 1)
    }

    @Test func aGateChangedInTheFileMakesItsSignOffStaleAndOldStatementsReplaysFromAnotherDigest() {
        var driver = ProgrammeDriver()
        driver.conditionMet("a deploy command-review package", of: "GATE-O6")
        let statement = driver.signOffStatement("GATE-O6")
        #expect(driver.send(statement) == nil)
        // When the file changes GATE-O6 and the new charter is pinned
        var programme = ProgrammeLoader.embedded()
        programme.gates[1].requires.append(.gap("GAP-2"))
        programme.sourceDigest = "changed-file-digest"
        driver.pin(ProgrammeCharter(programme))
        let entry = driver.board.entry("GATE-O6")!
        #expect(entry.status == .blocked)
        #expect(entry.stale.first?.why == "GATE-O6 changed in the programme file since demo signed it off (#3)")
        // And the old statement, sent again, is refused: another programme digest
        #expect(driver.send(statement)?.reason.contains("signed for programme digest") == true)
    }

    // MARK: - Refusals

    @Test func whatTheRulesRefuse() {
        var driver = ProgrammeDriver()
        driver.conditionMet("a deploy command-review package", of: "GATE-O6")
        #expect(driver.signOff("GATE-O6", by: "mallory")?.reason.contains("'mallory' is not a sovereign of the programme") == true)
        #expect(driver.signOff("GATE-O7")?.reason.hasPrefix("GATE-O7 is blocked: gate GATE-O6 is pending, not pass") == true)
        #expect(driver.signOff("SG_1")?.reason.contains("decided inside each run") == true)
        #expect(driver.closeGap("GAP-1", evidence: " ")?.reason.contains("a closure needs evidence") == true)
        #expect(driver.closeGap("GAP-9")?.reason == "the programme has no gap GAP-9")
        #expect(driver.reopenGap("GAP-3")?.reason == "GAP-3 is not closed (open)")
        #expect(driver.ruling("x", on: "GATE-O6")?.reason.contains("rulings are recorded for xhigh gates") == true)
        #expect(driver.conditionMet("something else", of: "GATE-O6")?.reason == "GATE-O6 has no condition 'something else' (its conditions: 'a deploy command-review package')")
        // A statement signed for GATE-O6 and altered to name GATE-O7 does not verify
        var moved = driver.signOffStatement("GATE-O6")
        let signature = StubSigning.sign(moved)
        moved["gate"] = .string("GATE-O7")
        #expect(driver.send(moved, signature: signature)?.reason.contains("the signature does not verify") == true)
        // Evidence that changed between the look and the signature
        let early = driver.signOffStatement("GATE-O6")
        driver.closeGap("GAP-2", evidence: "done")
        #expect(driver.send(early) == nil)  // GAP-2 is no evidence of GATE-O6
        #expect(driver.board.entry("GATE-O6")?.status == .pass)
    }

    @Test func aSovereignNotAllowedForTheGateIsRefused() {
        var programme = ProgrammeLoader.embedded()
        programme.sovereigns[1].gates = ["SG_1", "SG_2"]
        var driver = ProgrammeDriver(programme)
        driver.conditionMet("a deploy command-review package", of: "GATE-O6")
        #expect(driver.signOff("GATE-O6", by: "demo2")?.reason == "demo2 may not sign GATE-O6 (may sign: SG_1, SG_2)")
        #expect(driver.closeGap("GAP-1", by: "demo2")?.reason.contains("demo2 may not sign any gate that relies on GAP-1") == true)
    }

    @Test func anActForgedIntoTheJournalChangesNothingAndIsAnAnomaly() throws {
        var driver = ProgrammeDriver()
        let statement = ProgrammeStatement.closeGap("GAP-3", charter: driver.charter, run: nil, evidence: "trust me", reference: nil,
                                                    by: "demo", signedAt: 0, nonce: "x")
        let forged = ProgrammeEvent.act(ProgrammeAct(statement: statement, provider: "stub", signature: "stub-sha256:00"))
        var ledger = driver.ledger
        ledger.apply(JournalEvent(sequence: 2, timeMilliseconds: 2, runID: "", kind: forged.kind, actor: "mallory",
                                  payload: forged.payload, previousHash: ""))
        #expect(ledger.programme.board(driver.charter).gap("GAP-3").closed == false)
        #expect(ledger.anomalies.map(\.kind) == ["programme.gap_closed"])
        #expect(ledger.anomalies.first?.reason.contains("the signature does not verify") == true)
        _ = driver.closeGap("GAP-3")
    }

    // MARK: - The kill-switch reads the ledger

    @Test func theKillSwitchChecklistReadsTheLedgerAtTheInstantOfTheFlip() {
        var driver = ProgrammeDriver()
        // A LIVE run started from this programme file, before any of it was signed
        let programme = ProgrammeLoader.embedded()
        driver.runs.send(.started(RunStart(mode: .live, plan: .productionCut, document: "release-notes-v0.6", target: "/tmp/p.sqlite",
                                           operatorName: "ops", signing: "stub", programmeDigest: programme.sourceDigest,
                                           preconditions: LiveChecklist.programmeChecks(programme))), to: "live-1")
        let live = { driver.ledger["live-1"]! }
        #expect(LiveChecklist.unmet(live(), programme: driver.ledger.programme).count == 11)
        driver.throughGateO7()
        for gap in 3...8 { driver.closeGap("GAP-\(gap)") }
        driver.ruling("the first live cut may proceed on a harmless document", on: "GATE-O8")
        let unmet = LiveChecklist.unmet(live(), programme: driver.ledger.programme)
        // Only the run's own lines remain: the document is not selected yet, SG_1 not approved
        #expect(unmet.map(\.kind) == ["document", "approvals"])
        #expect(LiveChecklist.readsTheJournal(live(), programme: driver.ledger.programme))
        // And a gap reopened before the flip turns its line red again
        driver.reopenGap("GAP-5", reason: "the audit found another hole")
        #expect(LiveChecklist.unmet(live(), programme: driver.ledger.programme).map(\.label).first == "GAP-5 closed")
    }
}
