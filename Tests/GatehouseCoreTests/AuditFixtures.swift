import GatehouseCore
import GatehouseTestSupport

/// The facts the production cut's phases record, enough for every proof of a record.
func proofFacts(_ phase: String) -> RunFacts {
    RunFacts(json: proofFactMembers(phase))
}

/// ``proofFacts(_:)`` as journaled members, by name.
func proofFactMembers(_ phase: String) -> [String: JSONValue] {
    switch phase {
    case "pre_state_snapshot": ["pre_counts": .object(["unit": .int(0)]), "pre_sha": .string("pre-sha")]
    case "select_document": ["document_digest": .string("doc-digest"), "signature_critical": .bool(false)]
    case "cut_candidates": ["candidates": .int(8), "candidates_digest": .string("cand-digest")]
    case "apply": ["inserted": .int(0), "would_insert": .int(8)]
    case "verify": ["post_counts": .object(["unit": .int(0)]), "post_sha": .string("pre-sha")]
    case "sign_and_close_out": ["closeout_provider": .string("stub"), "closeout_signature": .string("stub-sha256:close")]
    default: [:]
    }
}

extension LedgerDriver {
    /// Drives `run` from wherever it is to its close-out: each phase completes with
    /// ``proofFacts(_:)``, a dry run skips its backup, and `approver` approves each gate with a
    /// statement made for the run as it stands, signed by `sign`. Stops at anything else.
    mutating func driveToClose(_ run: String, approver: String, reason: String = "", sign: TestSigner = .stub) throws {
        while let state = ledger[run] {
            let refusal: RunRefusal?
            switch state.nextStep {
            case .perform(let phase, _):
                send(.phaseStarted(phase: phase.id), to: run)
                refusal = send(.phaseCompleted(phase: phase.id, facts: proofFacts(phase.id)), to: run)
            case .skip(let phase, let why):
                refusal = send(.phaseSkipped(phase: phase.id, reason: why), to: run)
            case .openGate(let phase):
                refusal = send(.phaseStarted(phase: phase.id), to: run)
            case .awaitDecision(let gate):
                let decision = try TestDecisions.approval(of: state, gate: gate, by: approver, reason: reason, signedAt: sequence * 1000,
                                                          nonce: "nonce-\(sequence)", signer: sign)
                refusal = send(.gateApproved(decision), to: run, actor: approver)
            case .closeOut:
                refusal = send(.closed, to: run)
            default:
                return
            }
            if let refusal { throw refusal }
        }
    }
}

/// A run start of the production cut with `sovereigns` pinned.
func signedStart(mode: RunMode = .dryRun, sovereigns: [Sovereign], preconditions: [PreconditionCheck] = []) -> RunEvent {
    .started(RunStart(mode: mode, plan: .productionCut, document: "release-notes-v0.6", target: "/tmp/pack.sqlite",
                      operatorName: "olga", signing: sovereigns.first?.provider ?? StubSigning.providerName,
                      sovereigns: sovereigns, programmeDigest: "prog-digest", preconditions: preconditions))
}

/// The O5 demo sovereign: stub-signed, for both gates.
let demoSovereign = Sovereign(name: "demo", provider: StubSigning.providerName, publicKey: nil, gates: ["SG_1", "SG_2"])
