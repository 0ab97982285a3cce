import GatehouseCore

/// Every act a sovereign performs on a programme (a gate signed off, a gap closed or
/// reopened, a condition recorded as met, a ruling), each signed and journaled here and
/// nowhere else: the command line and the dashboard both call these.
///
/// Each act reads the journal first and pins the programme's charter if the journal does not
/// hold this file's yet, builds its statement from the board as it stands (or as the person
/// saw it), signs it, and appends it through the store, which checks it with the rules at the
/// instant of the append (a refusal is journaled and thrown as ``ProgrammeRefusal``).
public struct ProgrammeActs {
    /// The journal's runs and programmes.
    public let store: RunStore
    /// The programme file's charter, as loaded now.
    public let charter: ProgrammeCharter
    private let clock: WallClock
    private let nonce: () -> String
    /// Asks the signer for the passphrase of a protected key file.
    private let passphrase: PrivateKeyFile.Passphrase?

    /// The acts on `programme` in `store`'s journal, signing with `clock`'s time and `nonce`'s
    /// values, opening a protected key with what `passphrase` asks of the signer.
    public init(store: RunStore, programme: Programme, clock: WallClock = .system,
                nonce: @escaping () -> String = { RunLauncher.newRunID() + RunLauncher.newRunID() },
                passphrase: PrivateKeyFile.Passphrase? = nil) {
        self.store = store
        charter = ProgrammeCharter(programme)
        self.clock = clock
        self.nonce = nonce
        self.passphrase = passphrase
    }

    /// Pins the charter, unless the journal's current one for this programme is it already.
    public func pin(actor: String) throws {
        try store.refresh()
        guard store.ledger.programme.current[charter.programme] != charter.digest else { return }
        try store.record(.pinned(charter), actor: actor)
    }

    /// The live board: this file's gates with what the journal records.
    public func board() throws -> GateBoard {
        try store.refresh()
        return store.ledger.programme.board(charter)
    }

    /// Signs `gate` off, pass or fail (with `reason`), as `sovereign`, bound to the gate's
    /// definition and to the evidence `seen` (the entry the person reviewed; the board's now
    /// when nil), and journals it.
    ///
    /// - Throws: ``ProgrammeInputError`` for a gate the programme does not have (nothing
    ///   journaled); ``SigningError`` when the key cannot sign; ``ProgrammeRefusal`` when the
    ///   rules refuse it (the refusal is journaled); the journal's errors.
    @discardableResult
    public func signOff(gate: String, pass: Bool, reason: String, as sovereign: String, keyFile: String?,
                        seen: GateBoard.Entry? = nil) throws -> ProgrammeAct {
        guard charter.gate(gate) != nil else { throw ProgrammeInputError.noGate(gate, charter: charter) }
        let entry = try seen ?? board().entry(gate)!
        return try sign(as: sovereign, keyFile: keyFile) { signedAt, nonce in
            ProgrammeStatement.signOff(entry, charter: charter, pass: pass, reason: reason, by: sovereign,
                                       signedAt: signedAt, nonce: nonce)
        }
    }

    /// Closes `gap` as `sovereign`, with a closed-out `run` (an id or a unique prefix) and/or
    /// an `evidence` text and a `reference`, and journals it.
    /// - Throws: as ``signOff(gate:pass:reason:as:keyFile:seen:)``; ``RunStoreError`` for a run not found.
    @discardableResult
    public func closeGap(_ gap: String, run: String?, evidence: String, reference: String?, as sovereign: String,
                         keyFile: String?) throws -> ProgrammeAct {
        guard charter.gap(gap) != nil else { throw ProgrammeInputError.noGap(gap, charter: charter) }
        try store.refresh()
        let runID = try run.map { try store.resolve($0).id }
        return try sign(as: sovereign, keyFile: keyFile) { signedAt, nonce in
            ProgrammeStatement.closeGap(gap, charter: charter, run: runID, evidence: evidence, reference: reference,
                                        by: sovereign, signedAt: signedAt, nonce: nonce)
        }
    }

    /// Reopens `gap` as `sovereign`, saying why, and journals it.
    @discardableResult
    public func reopenGap(_ gap: String, reason: String, as sovereign: String, keyFile: String?) throws -> ProgrammeAct {
        guard charter.gap(gap) != nil else { throw ProgrammeInputError.noGap(gap, charter: charter) }
        return try sign(as: sovereign, keyFile: keyFile) { signedAt, nonce in
            ProgrammeStatement.reopenGap(gap, charter: charter, reason: reason, by: sovereign, signedAt: signedAt, nonce: nonce)
        }
    }

    /// The evidence a closed-out run of a command-review package gives, in words that name the
    /// run, its package digest and plan: what meets a condition such as "a deploy
    /// command-review package".
    /// - Throws: ``RunStoreError`` for a run not found; ``ProgrammeInputError/notAPackageRun(run:why:)``.
    public func packageEvidence(run: String) throws -> String {
        try store.refresh()
        let state = try store.resolve(run)
        guard let package = state.start.package else {
            throw ProgrammeInputError.notAPackageRun(run: state.id, why: "it ran \(state.start.plan.id), not a command-review package")
        }
        guard state.outcome == .closed else {
            throw ProgrammeInputError.notAPackageRun(run: state.id, why: "it has not closed out (\(state.situation))")
        }
        return "run \(state.id) (\(state.mode.label)) closed out the command-review package \(package.digest) of plan \(state.start.plan.id)"
            + (package.source.map { " read from \($0)" } ?? "")
    }

    /// Records `condition` of `gate` as met (nil: the gate's one condition not met yet), with
    /// `evidence`, as `sovereign`, and journals it.
    @discardableResult
    public func conditionMet(gate: String, condition: String?, evidence: String, as sovereign: String,
                             keyFile: String?) throws -> ProgrammeAct {
        guard let definition = charter.gate(gate) else { throw ProgrammeInputError.noGate(gate, charter: charter) }
        let conditions = definition.requires.compactMap { requirement -> String? in
            if case .condition(let text, false) = requirement { return text }
            return nil
        }
        let chosen: String
        if let condition {
            chosen = condition
        } else {
            let open = try conditions.filter { try board().book.conditions[gate]?[$0] == nil }
            guard open.count == 1 else { throw ProgrammeInputError.whichCondition(gate: gate, conditions: open.isEmpty ? conditions : open) }
            chosen = open[0]
        }
        return try sign(as: sovereign, keyFile: keyFile) { signedAt, nonce in
            ProgrammeStatement.conditionMet(chosen, of: gate, charter: charter, evidence: evidence, by: sovereign,
                                            signedAt: signedAt, nonce: nonce)
        }
    }

    /// Records a ruling on the xhigh `gate`, its `text`, as `sovereign`, and journals it.
    @discardableResult
    public func recordRuling(gate: String, text: String, as sovereign: String, keyFile: String?) throws -> ProgrammeAct {
        guard charter.gate(gate) != nil else { throw ProgrammeInputError.noGate(gate, charter: charter) }
        return try sign(as: sovereign, keyFile: keyFile) { signedAt, nonce in
            ProgrammeStatement.ruling(text, on: gate, charter: charter, by: sovereign, signedAt: signedAt, nonce: nonce)
        }
    }

    /// Pins the charter, makes the statement, signs it as `sovereign` and journals the act.
    private func sign(as sovereign: String, keyFile: String?,
                      _ statement: (_ signedAt: Int64, _ nonce: String) -> [String: JSONValue]) throws -> ProgrammeAct {
        let signer = try SovereignSigner.forProgramme(sovereign, charter: charter, keyFile: keyFile, passphrase: passphrase)
        try pin(actor: sovereign)
        let made = statement(clock.milliseconds(), nonce())
        let act = ProgrammeAct(statement: made, provider: signer.provider, signature: try signer.sign(made))
        try store.record(.act(act), actor: sovereign)
        return act
    }
}

/// A programme act asked for with a name the programme does not have; nothing was journaled.
public enum ProgrammeInputError: Error, Equatable, CustomStringConvertible {
    case noGate(String, gates: [String])
    case noGap(String, gaps: [String])
    /// The gate has several conditions (or none) not yet met: say which.
    case whichCondition(gate: String, conditions: [String])
    /// A run named as a package's evidence that is not a closed-out run of one.
    case notAPackageRun(run: String, why: String)

    static func noGate(_ id: String, charter: ProgrammeCharter) -> ProgrammeInputError {
        .noGate(id, gates: charter.gates.filter { !$0.isSovereign }.map(\.id))
    }

    static func noGap(_ id: String, charter: ProgrammeCharter) -> ProgrammeInputError {
        .noGap(id, gaps: charter.gaps.map(\.id))
    }

    public var description: String {
        switch self {
        case .noGate(let id, let gates):
            "the programme has no gate '\(id)' (its gates: \(gates.joined(separator: ", ")))"
        case .noGap(let id, let gaps):
            "the programme has no gap '\(id)' (its gaps: \(gaps.joined(separator: ", ")))"
        case .whichCondition(let gate, let conditions):
            conditions.isEmpty
                ? "\(gate) has no condition to record"
                : "say which condition of \(gate) is met with --condition TEXT: \(conditions.map { "'\($0)'" }.joined(separator: ", "))"
        case .notAPackageRun(let run, let why):
            "run \(run) is not evidence of a command-review package: \(why); name a closed-out run of `gatehouse run --package`"
        }
    }
}
