import GatehouseCore
import GatehouseTestSupport

/// A ledger driven event by event, as the engine would, with sequence numbers and times.
struct LedgerDriver {
    var ledger = RunLedger()
    var sequence: Int64 = 0
    /// The events accepted, as a journal would hold them (unchained), for a fold from scratch.
    var journal: [JournalEvent] = []

    /// Applies `event` to `run`; returns the refusal, if any.
    @discardableResult
    mutating func send(_ event: RunEvent, to run: String = "run-1", actor: String = "test") -> RunRefusal? {
        sequence += 1
        let refusal = ledger.apply(event, run: run, actor: actor, sequence: sequence, time: sequence * 1000)
        if refusal == nil { log(run: run, kind: event.kind, actor: actor, payload: event.payload) }
        return refusal
    }

    /// Adds an event to ``journal`` at the current sequence number.
    mutating func log(run: String, kind: String, actor: String, payload: JSONValue) {
        journal.append(JournalEvent(sequence: sequence, timeMilliseconds: sequence * 1000, runID: run, kind: kind, actor: actor,
                                    payload: payload, previousHash: ""))
    }

    /// Starts a production-cut run.
    @discardableResult
    mutating func start(_ run: String = "run-1", mode: RunMode) -> RunRefusal? {
        send(.started(RunStart(mode: mode, plan: .productionCut, document: "release-notes-v0.6", target: "/tmp/pack.sqlite",
                               operatorName: "ops", signing: "stub")), to: run)
    }

    /// Starts and completes (or skips) phases until the next one is `phase`.
    mutating func advance(_ run: String = "run-1", to phase: String) {
        while let state = ledger[run], let next = state.nextPendingPhase, next.phase.id != phase {
            switch state.nextStep {
            case .perform(let plan, _):
                send(.phaseStarted(phase: plan.id), to: run)
                send(.phaseCompleted(phase: plan.id, facts: facts(plan.id)), to: run)
            case .skip(let plan, let reason):
                send(.phaseSkipped(phase: plan.id, reason: reason), to: run)
            case .openGate(let plan):
                send(.phaseStarted(phase: plan.id), to: run)
                send(.gateApproved(decision(plan.id)), to: run)
            case .awaitKillSwitch:
                if send(.killSwitchEnabled(by: "sovereign"), to: run) != nil { return }
            default:
                return
            }
        }
    }
}

/// A stub-signed decision by `alice` at `gate`, bound to no run.
func decision(_ gate: String, by name: String = "alice") -> GateDecision {
    TestDecisions.decision(gate, by: name, reason: "looks right")
}

/// The facts a phase of the production cut establishes, as far as the state machine reads
/// them: the document selected is not signature-critical.
func facts(_ phase: String) -> RunFacts {
    phase == "select_document" ? RunFacts(signatureCritical: false) : RunFacts()
}
