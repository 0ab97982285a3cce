import GatehouseCore
import GatehouseEngine

/// A journal's ledger driven act by act, as the engine would: the programme's charter pinned,
/// statements made from the board as it stands and stub-signed, runs driven to their close.
struct ProgrammeDriver {
    var runs = LedgerDriver()
    var charter: ProgrammeCharter
    private var nonce = 0

    /// A driver over `programme` (the embedded O5 by default), its charter pinned.
    init(_ programme: Programme = ProgrammeLoader.embedded()) {
        charter = ProgrammeCharter(programme)
        pin(charter)
    }

    var ledger: RunLedger { runs.ledger }
    var board: GateBoard { ledger.programme.board(charter) }

    /// Pins `charter` as the programme's current one.
    @discardableResult
    mutating func pin(_ charter: ProgrammeCharter) -> ProgrammeRefusal? {
        self.charter = charter
        return send(.pinned(charter))
    }

    /// Applies `event` at the next sequence number; returns the refusal, if any, which is
    /// journaled in its place (as the store does).
    @discardableResult
    mutating func send(_ event: ProgrammeEvent) -> ProgrammeRefusal? {
        runs.sequence += 1
        guard let refusal = runs.ledger.apply(event, sequence: runs.sequence, time: runs.sequence * 1000) else {
            runs.log(run: "", kind: event.kind, actor: "test", payload: event.payload)
            return nil
        }
        if case .pinned = event { return refusal }
        send(.refused(refusal))
        return refusal
    }

    /// Folds an event straight into the ledger and the journal, unchecked by the driver: what
    /// a hand-edited journal would hold.
    mutating func forge(_ event: ProgrammeEvent) {
        runs.sequence += 1
        runs.log(run: "", kind: event.kind, actor: "mallory", payload: event.payload)
        runs.ledger.apply(runs.journal[runs.journal.count - 1])
    }

    /// Sends `statement` stub-signed (or with `signature`).
    @discardableResult
    mutating func send(_ statement: [String: JSONValue], signature: String? = nil) -> ProgrammeRefusal? {
        send(.act(ProgrammeAct(statement: statement, provider: StubSigning.providerName,
                               signature: signature ?? StubSigning.sign(statement))))
    }

    private mutating func nextNonce() -> String {
        nonce += 1
        return "n\(nonce)"
    }

    /// The statement of a sign-off of `gate` as the board shows it now.
    mutating func signOffStatement(_ gate: String, pass: Bool = true, reason: String = "", by name: String = "demo") -> [String: JSONValue] {
        guard let entry = board.entry(gate) else { preconditionFailure("the programme has no gate \(gate)") }
        return ProgrammeStatement.signOff(entry, charter: charter, pass: pass, reason: reason, by: name,
                                          signedAt: runs.sequence * 1000, nonce: nextNonce())
    }

    @discardableResult
    mutating func signOff(_ gate: String, pass: Bool = true, reason: String = "", by name: String = "demo") -> ProgrammeRefusal? {
        send(signOffStatement(gate, pass: pass, reason: reason, by: name))
    }

    @discardableResult
    mutating func closeGap(_ gap: String, run: String? = nil, evidence: String = "deployed and checked", by name: String = "demo") -> ProgrammeRefusal? {
        send(ProgrammeStatement.closeGap(gap, charter: charter, run: run, evidence: evidence, reference: nil, by: name,
                                         signedAt: runs.sequence * 1000, nonce: nextNonce()))
    }

    @discardableResult
    mutating func reopenGap(_ gap: String, reason: String = "it regressed", by name: String = "demo") -> ProgrammeRefusal? {
        send(ProgrammeStatement.reopenGap(gap, charter: charter, reason: reason, by: name, signedAt: runs.sequence * 1000, nonce: nextNonce()))
    }

    @discardableResult
    mutating func conditionMet(_ condition: String, of gate: String, evidence: String = "reviewed", by name: String = "demo") -> ProgrammeRefusal? {
        send(ProgrammeStatement.conditionMet(condition, of: gate, charter: charter, evidence: evidence, by: name,
                                             signedAt: runs.sequence * 1000, nonce: nextNonce()))
    }

    @discardableResult
    mutating func ruling(_ text: String, on gate: String, by name: String = "demo") -> ProgrammeRefusal? {
        send(ProgrammeStatement.ruling(text, on: gate, charter: charter, by: name, signedAt: runs.sequence * 1000, nonce: nextNonce()))
    }

    /// Drives a production-cut run of `mode` through every phase; closes it out when `close`.
    mutating func run(_ id: String, mode: RunMode = .dryRun, close: Bool = true) {
        runs.start(id, mode: mode)
        runs.advance(id, to: "(none)")
        if close { runs.send(.closed, to: id) }
    }

    /// Journals a parity comparison of run `id` (ended) with the developer host's reference.
    mutating func showParity(_ id: String, holds: Bool = true) {
        runs.send(.parityChecked(ParityCheck(by: "ops", referenceRun: "dev-host-run", referenceSource: "o4.json", referenceHost: "dev",
                                             referenceHead: "5e1f", holds: holds, differingFields: holds ? [] : ["pre_state_snapshot.pre_sha"],
                                             differences: holds ? 0 : 1, expected: 8)), to: id)
    }

    /// O5 up to GATE-O7 signed: GAP-1 closed by a closed-out dry run shown at parity with a
    /// reference, GATE-O6's condition met and GATE-O6 signed, GATE-O7 signed.
    mutating func throughGateO7() {
        run("dry-1")
        showParity("dry-1")
        closeGap("GAP-1", run: "dry-1")
        conditionMet("a deploy command-review package", of: "GATE-O6")
        signOff("GATE-O6")
        signOff("GATE-O7")
    }
}
