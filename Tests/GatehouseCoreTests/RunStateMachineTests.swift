import GatehouseCore
import Testing

/// The run state machine: what each event does, and every transition it refuses.
struct RunStateMachineTests {
    @Test func aNewRunHasElevenPendingPhasesAndTheSwitchOff() {
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        let run = driver.ledger["run-1"]!
        #expect(run.phases.map(\.phase.id) == [
            "identity_guards", "pre_state_snapshot", "select_document", "cut_candidates", "validate", "SG_1",
            "backup", "apply", "verify", "SG_2", "sign_and_close_out",
        ])
        #expect(run.phases.allSatisfy { $0.status == .pending })
        #expect(!run.switchOn)
        #expect(driver.ledger.killSwitchHolder == nil)
        #expect(run.nextStep == .perform(RunPlan.productionCut.phases[0], writes: false))
    }

    @Test func phasesRecordTheirTimesAndFacts() {
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        driver.send(.phaseStarted(phase: "identity_guards"))
        driver.send(.phaseCompleted(phase: "identity_guards", facts: RunFacts(targetID: "t-1")))
        let phase = driver.ledger["run-1"]!.phase("identity_guards")!
        #expect(phase.status == .done)
        #expect(phase.startedAt == 2000 && phase.endedAt == 3000 && phase.duration == 1000)
        #expect(driver.ledger["run-1"]!.facts.targetID == "t-1")
    }

    @Test func aDryRunSkipsTheBackupAndNeverWrites() {
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        driver.advance(to: "backup")
        let run = driver.ledger["run-1"]!
        guard case .skip(let phase, _) = run.nextStep else {
            Issue.record("expected the backup to be skipped, got \(run.nextStep)")
            return
        }
        #expect(phase.id == "backup")
        driver.send(.phaseSkipped(phase: "backup", reason: "dry run"))
        #expect(driver.ledger["run-1"]!.nextStep == .perform(RunPlan.productionCut.phase("apply")!, writes: false))
    }

    @Test func theRunPausesAtSG1UntilApproved() {
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        driver.advance(to: "SG_1")
        #expect(driver.ledger["run-1"]!.nextStep == .openGate(RunPlan.productionCut.phase("SG_1")!))
        driver.send(.phaseStarted(phase: "SG_1"))
        #expect(driver.ledger["run-1"]!.nextStep == .awaitDecision(gate: "SG_1"))
        #expect(driver.ledger["run-1"]!.waitingGate == "SG_1")
        #expect(driver.send(.gateApproved(decision("SG_1"))) == nil)
        let run = driver.ledger["run-1"]!
        #expect(run.phase("SG_1")!.status == .done)
        #expect(run.approval(of: "SG_1")?.decision.by == "alice")
        #expect(run.nextStep == .skip(RunPlan.productionCut.phase("backup")!, reason: "dry run: nothing will be written, so no backup is taken"))
    }

    @Test func aRejectionEndsTheRunAndTurnsTheSwitchOff() {
        var driver = LedgerDriver()
        driver.start(mode: .live)
        driver.advance(to: "SG_1")
        driver.send(.killSwitchEnabled(by: "sovereign"))
        driver.send(.phaseStarted(phase: "SG_1"))
        driver.send(.gateRejected(decision("SG_1")))
        let run = driver.ledger["run-1"]!
        #expect(run.outcome == .rejected(gate: "SG_1", by: "alice", reason: "looks right"))
        #expect(!run.switchOn && driver.ledger.killSwitchHolder == nil)
    }

    @Test func aFullLiveRunClosesOutAndReleasesTheSwitch() {
        var driver = LedgerDriver()
        driver.start(mode: .live)
        driver.advance(to: "backup")
        #expect(driver.ledger["run-1"]!.nextStep == .awaitKillSwitch(RunPlan.productionCut.phase("backup")!))
        driver.send(.killSwitchEnabled(by: "sovereign"))
        #expect(driver.ledger.killSwitchHolder == "run-1")
        #expect(driver.ledger["run-1"]!.nextStep == .perform(RunPlan.productionCut.phase("backup")!, writes: true))
        driver.advance(to: "none")
        #expect(driver.ledger["run-1"]!.nextStep == .closeOut)
        #expect(driver.send(.closed) == nil)
        #expect(driver.ledger["run-1"]!.outcome == .closed)
        #expect(!driver.ledger["run-1"]!.switchOn && driver.ledger.killSwitchHolder == nil)
    }

    // MARK: - Refusals

    @Test func liveWithTheSwitchOffIsRefused() {
        var driver = LedgerDriver()
        driver.start(mode: .live)
        driver.advance(to: "backup")
        #expect(driver.send(.phaseStarted(phase: "backup")) == .liveWithSwitchOff(run: "run-1", phase: "backup"))
        #expect(driver.ledger["run-1"]!.phase("backup")!.status == .pending)
    }

    @Test func resumingAClosedRunIsRefused() {
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        driver.advance(to: "none")
        driver.send(.closed)
        #expect(driver.send(.resumed(by: "ops")) == .runEnded(run: "run-1", outcome: "closed"))
    }

    @Test func anApprovalForAGateNotPendingIsRefused() {
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        guard case .gateNotPending(_, "SG_1", let early) = driver.send(.gateApproved(decision("SG_1"))) else {
            Issue.record("an approval before the run reached SG_1 was not refused")
            return
        }
        #expect(early.contains("has not reached SG_1"))
        #expect(driver.send(.gateApproved(decision("SG_9"))) == .gateNotPending(run: "run-1", gate: "SG_9", situation: "its plan has no gate SG_9"))

        driver.advance(to: "SG_1")
        driver.send(.phaseStarted(phase: "SG_1"))
        #expect(driver.send(.gateApproved(decision("SG_1", by: "alice"))) == nil)
        guard case .gateNotPending(_, _, let late) = driver.send(.gateApproved(decision("SG_1", by: "bob"))) else {
            Issue.record("a second approval of SG_1 was not refused")
            return
        }
        #expect(late.contains("already approved by alice") && late.contains("too late"))
        #expect(driver.ledger["run-1"]!.decisions.count == 1)
    }

    @Test func theSwitchIsNeverEnabledForADryRunOrForTwoRuns() {
        var driver = LedgerDriver()
        driver.start("dry", mode: .dryRun)
        #expect(driver.send(.killSwitchEnabled(by: "s"), to: "dry") == .switchForDryRun(run: "dry"))
        driver.start("a", mode: .live)
        driver.start("b", mode: .live)
        driver.advance("a", to: "backup")
        driver.advance("b", to: "backup")
        #expect(driver.send(.killSwitchEnabled(by: "s"), to: "a") == nil)
        #expect(driver.send(.killSwitchEnabled(by: "s"), to: "b") == .switchHeldByAnotherRun(run: "b", holder: "a"))
        #expect(driver.send(.killSwitchEnabled(by: "s"), to: "a") == .switchUnchanged(run: "a", on: true))
        driver.send(.aborted(by: "ops", reason: "test"), to: "a")
        #expect(driver.ledger.killSwitchHolder == nil)
        #expect(driver.send(.killSwitchEnabled(by: "s"), to: "b") == nil)
    }

    @Test func aLedgerIsolatingOneRunChecksItsEventsAsTheWholeLedgerDoes() {
        // Given two LIVE runs at backup, and run a holding the switch
        var driver = LedgerDriver()
        driver.start("a", mode: .live)
        driver.start("b", mode: .live)
        driver.advance("a", to: "backup")
        driver.advance("b", to: "backup")
        driver.send(.killSwitchEnabled(by: "s"), to: "a")
        let isolated = driver.ledger.isolating("b")

        // Then it holds run b alone, as the ledger has it, and who holds the switch
        #expect(isolated.order == ["b"] && isolated["a"] == nil)
        #expect(isolated["b"] == driver.ledger["b"])
        #expect(isolated.sequence == driver.ledger.sequence)
        // And the rules answer the same on it: b may not take the switch a holds, nor start b again
        for event in [RunEvent.killSwitchEnabled(by: "s"), .phaseStarted(phase: "backup"), .phaseStarted(phase: "apply"), .closed] {
            #expect(isolated.check(event, run: "b") == driver.ledger.check(event, run: "b"), "\(event.kind)")
        }
        #expect(isolated.check(.killSwitchEnabled(by: "s"), run: "b") == .switchHeldByAnotherRun(run: "b", holder: "a"))
        #expect(driver.ledger.isolating("nobody").check(.phaseStarted(phase: "backup"), run: "nobody") == .unknownRun("nobody"))
    }

    @Test func theNewestRunIsTheOneThatStartedLast() {
        var driver = LedgerDriver()
        #expect(driver.ledger.newest == nil)
        driver.start("a", mode: .dryRun)
        driver.start("b", mode: .live)
        driver.advance("a", to: "backup")
        #expect(driver.ledger.newest?.id == "b")
        #expect(driver.ledger.newest == driver.ledger.newestFirst.first)
    }

    @Test func phasesOutOfTurnAreRefused() {
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        #expect(driver.send(.phaseStarted(phase: "apply"))?.code == "phase_out_of_turn")
        #expect(driver.send(.phaseCompleted(phase: "identity_guards", facts: RunFacts()))?.code == "phase_out_of_turn")
        driver.send(.phaseStarted(phase: "identity_guards"))
        #expect(driver.send(.phaseStarted(phase: "identity_guards"))?.code == "phase_out_of_turn")
        #expect(driver.send(.closed)?.code == "phases_remaining")
        #expect(driver.send(.phaseStarted(phase: "x"), to: "nobody") == .unknownRun("nobody"))
        #expect(driver.start(mode: .dryRun) == .runExists("run-1"))
    }

    @Test func aLiveRunNeverSkipsAPhase() {
        var driver = LedgerDriver()
        driver.start(mode: .live)
        #expect(driver.send(.phaseSkipped(phase: "identity_guards", reason: "why not"))?.code == "phase_out_of_turn")
    }

    // MARK: - Crashes

    @Test func aLostRunnerTurnsTheSwitchOffAndThePhaseRunsAgainAfterResume() {
        var driver = LedgerDriver()
        driver.start(mode: .live)
        driver.advance(to: "apply")
        driver.send(.phaseStarted(phase: "apply"))
        #expect(driver.ledger["run-1"]!.switchOn)

        driver.send(.runnerLost(reason: "crash"))
        var run = driver.ledger["run-1"]!
        #expect(!run.switchOn && driver.ledger.killSwitchHolder == nil)
        #expect(run.phase("apply")!.status == .pending)
        #expect(run.nextStep == .awaitResume)
        #expect(driver.send(.phaseStarted(phase: "apply")) == .needsResume(run: "run-1"))
        #expect(driver.send(.killSwitchEnabled(by: "s")) == .needsResume(run: "run-1"))

        driver.send(.resumed(by: "ops"))
        run = driver.ledger["run-1"]!
        #expect(run.nextStep == .awaitKillSwitch(RunPlan.productionCut.phase("apply")!))
        driver.send(.killSwitchEnabled(by: "s"))
        driver.send(.phaseStarted(phase: "apply"))
        #expect(driver.ledger["run-1"]!.phase("apply")!.attempts == 2)
    }

    @Test func resumeWithoutARecordedLossStillTurnsTheSwitchOff() {
        var driver = LedgerDriver()
        driver.start(mode: .live)
        driver.advance(to: "apply")
        driver.send(.phaseStarted(phase: "apply"))
        driver.send(.resumed(by: "ops"))
        #expect(!driver.ledger["run-1"]!.switchOn)
        #expect(driver.ledger["run-1"]!.phase("apply")!.status == .pending)
    }

    @Test func approvalsSurviveALostRunner() {
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        driver.advance(to: "SG_1")
        driver.send(.phaseStarted(phase: "SG_1"))
        driver.send(.runnerLost(reason: "crash"))
        #expect(driver.ledger["run-1"]!.waitingGate == "SG_1")
        #expect(driver.send(.gateApproved(decision("SG_1"))) == nil)
        driver.send(.resumed(by: "ops"))
        #expect(driver.ledger["run-1"]!.phase("SG_1")!.status == .done)
    }

    // MARK: - Folding the journal

    @Test func theFoldOfJournaledEventsEqualsTheDirectState() {
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        driver.advance(to: "SG_1")
        driver.send(.phaseStarted(phase: "SG_1"))
        driver.send(.gateApproved(decision("SG_1")))
        // Given the same history as hash-chained journal events
        var events: [JournalEvent] = []
        var previous = JournalEvent.genesisHash
        var sequence: Int64 = 0
        func journal(_ event: RunEvent) {
            sequence += 1
            let entry = JournalEvent(sequence: sequence, timeMilliseconds: sequence * 1000, runID: "run-1", kind: event.kind,
                                     actor: "test", payload: event.payload, previousHash: previous)
            previous = entry.hash
            events.append(entry)
        }
        journal(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "release-notes-v0.6", target: "/tmp/pack.sqlite",
                                  operatorName: "ops", signing: "stub")))
        for phase in RunPlan.productionCut.phases.prefix(5) {
            journal(.phaseStarted(phase: phase.id))
            journal(.phaseCompleted(phase: phase.id, facts: RunFacts(json: ["n": .int(1)])))
        }
        journal(.phaseStarted(phase: "SG_1"))
        journal(.gateApproved(decision("SG_1")))
        let folded = RunLedger(events: events)
        #expect(folded.anomalies.isEmpty)
        #expect(folded["run-1"]!.phases.map(\.status) == driver.ledger["run-1"]!.phases.map(\.status))
        #expect(folded["run-1"]!.approval(of: "SG_1")?.decision == decision("SG_1"))
    }

    @Test func anIllegalEventInTheJournalIsAnAnomalyNotAStateChange() {
        let start = RunEvent.started(RunStart(mode: .live, plan: .productionCut, document: nil, target: nil,
                                              operatorName: "ops", signing: "stub"))
        let first = JournalEvent(sequence: 1, timeMilliseconds: 1, runID: "r", kind: start.kind, actor: "ops",
                                 payload: start.payload, previousHash: JournalEvent.genesisHash)
        let forged = JournalEvent(sequence: 2, timeMilliseconds: 2, runID: "r", kind: "phase.started", actor: "x",
                                  payload: .object(["phase": .string("apply")]), previousHash: first.hash)
        let garbage = JournalEvent(sequence: 3, timeMilliseconds: 3, runID: "r", kind: "what.ever", actor: "x",
                                   payload: .object([:]), previousHash: forged.hash)
        let ledger = RunLedger(events: [first, forged, garbage])
        #expect(ledger.anomalies.map(\.sequence) == [2, 3])
        #expect(ledger["r"]!.phase("apply")!.status == .pending)
    }

    @Test func everyEventSurvivesTheJournalRoundTrip() {
        let events: [RunEvent] = [
            .started(RunStart(mode: .live, plan: .productionCut, document: "d", target: "t", operatorName: "o", signing: "stub")),
            .phaseStarted(phase: "p"), .phaseCompleted(phase: "p", facts: RunFacts(json: ["a": .array([.int(-3), .null, .bool(true)])])),
            .phaseFailed(phase: "p", reason: "r\n\"q\""), .phaseSkipped(phase: "p", reason: "r"),
            .phaseProgress(phase: "p", done: 3, total: 9), .gateApproved(decision("SG_1")), .gateRejected(decision("SG_2")),
            .killSwitchEnabled(by: "s"), .killSwitchDisabled(by: "s", reason: "r"), .runnerLost(reason: "r"),
            .runnerStopped(reason: "r"), .resumed(by: "o"), .aborted(by: "o", reason: "r"), .closed,
            .refused(attempted: "gate.approved", refusal: .recorded(code: "c", message: "m")),
            .log(phase: "p", stream: "stdout", text: "héllo ✓"),
            .targetRestored(TargetRestore(backup: "/b.sqlite", sha256: "ab", by: "o", decision: nil, contentSHA256: nil)),
            .targetRestored(TargetRestore(backup: "/b.sqlite", sha256: "ab", by: "o",
                                          decision: SignedAct(by: "o", statement: ["action": .string("target.restore")], provider: "stub", signature: "s"),
                                          contentSHA256: "cd")),
        ]
        for event in events {
            let text = event.payload.canonical
            let parsed = try? JSONValue.parse(text)
            #expect(parsed.flatMap { RunEvent(kind: event.kind, payload: $0) } == event, "\(event.kind)")
        }
    }
}
