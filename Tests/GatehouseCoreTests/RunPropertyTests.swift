import GatehouseCore
import GatehouseTestSupport
import Testing

/// Random histories against the state machine's safety properties.
struct RunPropertyTests {
    /// Everything a history may try, valid or not.
    enum Move: CaseIterable {
        case performNext, failRunning, completeRunning, skipNext, openGate
        case approve1, approve2, reject, enable, disable, crash, stop, resume, abort, close
    }

    @Test(arguments: 0..<4)
    func noHistoryWritesWithTheSwitchOffOrLeavesItOn(batch: UInt64) {
        var random = SplitMix64(seed: 0x6A7E_4045 &+ batch)
        var moves = 0
        var liveWrites = 0
        var closedRuns = 0
        for _ in 0..<200 {
            var closed: Set<String> = []
            defer { closedRuns += closed.count }
            var driver = LedgerDriver()
            let runs = ["dry", "live-a", "live-b"]
            driver.start("dry", mode: .dryRun)
            driver.start("live-a", mode: .live)
            driver.start("live-b", mode: .live)
            for _ in 0..<300 {
                let run = runs[Int(random.next() % UInt64(runs.count))]
                // Moves that make progress come up more often, so histories reach the writes.
                let progress: [Move] = [.performNext, .performNext, .performNext, .completeRunning, .completeRunning,
                                        .completeRunning, .skipNext, .approve1, .approve2, .enable, .resume, .close]
                let pool = random.next() % 10 < 8 ? progress : Move.allCases
                let move = pool[Int(random.next() % UInt64(pool.count))]
                let state = driver.ledger[run]!
                switch move {
                case .performNext:
                    if let next = state.nextPendingPhase { driver.send(.phaseStarted(phase: next.phase.id), to: run) }
                case .failRunning:
                    if let running = state.runningPhase { driver.send(.phaseFailed(phase: running.phase.id, reason: "x"), to: run) }
                case .completeRunning:
                    if let running = state.runningPhase { driver.send(.phaseCompleted(phase: running.phase.id, facts: facts(running.phase.id)), to: run) }
                case .skipNext:
                    if let next = state.nextPendingPhase { driver.send(.phaseSkipped(phase: next.phase.id, reason: "x"), to: run) }
                case .openGate:
                    if let gate = state.phases.first(where: { $0.phase.gate != nil && $0.status == .pending }) {
                        driver.send(.phaseStarted(phase: gate.phase.id), to: run)
                    }
                case .approve1: driver.send(.gateApproved(decision("SG_1")), to: run)
                case .approve2: driver.send(.gateApproved(decision("SG_2")), to: run)
                case .reject: driver.send(.gateRejected(decision(random.next() % 2 == 0 ? "SG_1" : "SG_2")), to: run)
                case .enable: driver.send(.killSwitchEnabled(by: "s"), to: run)
                case .disable: driver.send(.killSwitchDisabled(by: "s", reason: "x"), to: run)
                case .crash: driver.send(.runnerLost(reason: "x"), to: run)
                case .stop: driver.send(.runnerStopped(reason: "x"), to: run)
                case .resume: driver.send(.resumed(by: "o"), to: run)
                case .abort: driver.send(.aborted(by: "o", reason: "x"), to: run)
                case .close: driver.send(.closed, to: run)
                }
                moves += 1
                checkInvariants(driver.ledger)
                if let state = driver.ledger[run], state.mode == .live, let running = state.runningPhase, running.phase.mutates {
                    liveWrites += 1
                }
                if driver.ledger[run]?.outcome == .closed { closed.insert("\(run)") }
            }
        }
        // The histories do reach LIVE writes and close-outs, so the properties were exercised.
        #expect(moves == 200 * 300)
        #expect(liveWrites > 50)
        #expect(closedRuns > 2)
    }

    private func checkInvariants(_ ledger: RunLedger) {
        var holders: [String] = []
        for run in ledger.runs.values {
            if run.switchOn {
                holders.append(run.id)
                // The switch is on only for a run whose LIVE checklist is all met.
                #expect(LiveChecklist.unmet(run, programme: ledger.programme).isEmpty, "run \(run.id) holds the switch with preconditions unmet")
            }
            // A LIVE phase that changes the target only ever started with the switch on.
            for phase in run.phases where phase.attempts > 0 && phase.phase.mutates && run.mode == .live {
                #expect(phase.startedWithSwitchOn, "run \(run.id) started \(phase.phase.id) with the switch off")
            }
            // A dry run never holds the switch and is never told to write.
            if run.mode == .dryRun { #expect(!run.switchOn) }
            if case .perform(_, let writes) = run.nextStep, writes {
                #expect(run.mode == .live && run.switchOn, "run \(run.id) may write without the switch")
            }
            // The switch never outlives its run, nor a lost runner.
            if run.isEnded || !run.runnerAttached { #expect(!run.switchOn, "run \(run.id) ended with the switch on") }
        }
        #expect(holders.count <= 1)
        #expect(ledger.killSwitchHolder == holders.first)
    }
}
