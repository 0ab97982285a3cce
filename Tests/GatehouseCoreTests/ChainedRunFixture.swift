import Crypto
import GatehouseCore
import GatehouseTestSupport

/// A journal built in memory as the engine would append it: each event chained to the one
/// before, checked and folded by the state machine as it goes.
struct ChainedJournal {
    var ledger = RunLedger()
    var events: [JournalEvent] = []

    /// Appends `event` to `run`; the state machine must accept it.
    mutating func append(_ event: RunEvent, run: String, actor: String = "runner") throws {
        let sequence = Int64(events.count + 1)
        let time = 1_800_000_000_000 + sequence * 10
        if let refusal = ledger.apply(event, run: run, actor: actor, sequence: sequence, time: time) {
            throw FixtureError(message: "the fixture's \(event.kind) was refused: \(refusal.message)")
        }
        events.append(JournalEvent(sequence: sequence, timeMilliseconds: time, runID: run, kind: event.kind, actor: actor,
                                   payload: event.payload, previousHash: events.last?.hash ?? JournalEvent.genesisHash))
    }

    /// A dry run of the production cut on `host`, from start to close-out, its gates approved
    /// by `alice` with `key`; `document` is the selected document's digest, `preSHA` what the
    /// target held. With `resume`, the resume after it ended is journaled too.
    mutating func dryRun(_ id: String, host: String = "alpha", key: Curve25519.Signing.PrivateKey,
                         document: String = "doc-digest-1", preSHA: String = "pre-sha-1", resume: Bool = true) throws {
        let alice = Sovereign(name: "alice", provider: Ed25519Signing.providerName,
                              publicKey: Ed25519Signing.publicKeyText(key.publicKey), gates: ["SG_1", "SG_2"])
        let fingerprint = RunFingerprint(host: host, user: "ops", system: "Debian GNU/Linux 12 (bookworm)",
                                         kernel: "Linux 6.1.0 x86_64", version: "0.1.0",
                                         commit: "1e315a8c0d2f1e315a8c0d2f1e315a8c0d2f1e31", modified: false,
                                         journal: "sqlite", target: "sqlite")
        try append(.started(RunStart(mode: .dryRun, plan: .productionCut, document: "release-notes-v0.6",
                                     target: "/srv/\(host)/pack.sqlite", operatorName: "ops", signing: Ed25519Signing.providerName,
                                     sovereigns: [alice], programmeDigest: "programme-digest-1", fingerprint: fingerprint)),
                   run: id, actor: "ops")
        while let state = ledger[id] {
            switch state.nextStep {
            case .perform(let phase, _):
                try append(.phaseStarted(phase: phase.id), run: id)
                try append(.phaseCompleted(phase: phase.id, facts: Self.facts(of: phase.id, host: host, document: document, preSHA: preSHA)),
                           run: id)
            case .skip(let phase, let reason):
                try append(.phaseSkipped(phase: phase.id, reason: reason), run: id)
            case .openGate(let phase):
                try append(.phaseStarted(phase: phase.id), run: id)
            case .awaitDecision(let gate):
                try append(.gateApproved(try TestDecisions.approval(of: state, gate: gate, by: "alice", signer: .ed25519(key))),
                           run: id, actor: "alice")
            case .closeOut:
                try append(.closed, run: id)
            case .finished:
                if resume {
                    let found = TargetSnapshot(counts: ["document": 3, "unit": 0], sha256: preSHA)
                    try append(.resumeNoOp(ResumeCheck(of: state, by: "ops", found: found)), run: id, actor: "ops")
                }
                return
            default:
                throw FixtureError(message: "the fixture's run stopped at \(state.nextStep)")
            }
        }
    }

    /// What each phase of the fixture's production cut establishes.
    static func facts(of phase: String, host: String, document: String, preSHA: String) -> RunFacts {
        switch phase {
        case "identity_guards": RunFacts(targetID: "target-of-\(host)", targetLocation: "/srv/\(host)/pack.sqlite", targetSchema: 1)
        case "pre_state_snapshot": RunFacts(preCounts: ["document": 3, "unit": 0], preStateSHA: preSHA)
        case "select_document": RunFacts(document: "release-notes-v0.6", documentTitle: "Release notes", documentDigest: document,
                                         signatureCritical: false)
        case "cut_candidates": RunFacts(candidates: 8, candidatesDigest: "candidates-of-\(document)", candidateHeadings: ["One", "Two"])
        case "validate": RunFacts(wouldInsert: 8)
        case "apply": RunFacts(wouldInsert: 8, inserted: 0, dryRun: true)
        case "verify": RunFacts(postCounts: ["document": 3, "unit": 0], postStateSHA: preSHA)
        default: RunFacts()
        }
    }

    /// The record of run `id` as `gatehouse export --format json` would write it now.
    func record(of id: String) -> RunRecord {
        let head = events.last.map { JournalHead(sequence: $0.sequence, hash: $0.hash) } ?? .genesis
        return RunRecord(ledger[id]!, events: RunRecord.segment(of: id, in: events), journalKind: "sqlite",
                         journalHead: head, exportedAt: 1_800_000_999_000)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
