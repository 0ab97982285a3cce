import GatehouseCore

/// Every act a person or a script performs on the runs of one journal, each signed (where it
/// is signed) and journaled here and nowhere else: the command line and the dashboard both
/// call these.
///
/// Each act reads the journal first, so that it is decided on the state as it is now, and
/// then appends through the store, which checks it with the state machine at the instant of
/// the append (a refusal is journaled and thrown as ``RunRefusal``).
public struct RunActs {
    /// The runs the acts change.
    public let store: RunStore
    /// The time a signed statement says it was signed at.
    private let clock: WallClock
    /// A fresh nonce for each signed statement, so that no two are alike.
    private let nonce: () -> String

    /// The acts on `store`'s runs, signing with `clock`'s time and `nonce`'s values.
    public init(store: RunStore, clock: WallClock = .system,
                nonce: @escaping () -> String = { RunLauncher.newRunID() + RunLauncher.newRunID() }) {
        self.store = store
        self.clock = clock
        self.nonce = nonce
    }

    /// Signs `sovereign`'s decision at `gate` of `run` and journals it.
    ///
    /// - Returns: the decision as journaled.
    /// - Throws: ``SigningError`` when `sovereign` cannot sign for the run (nothing is
    ///   journaled); ``RunRefusal`` when the state machine refuses it (the refusal is
    ///   journaled); ``RunStoreError`` for an unknown run; the journal's errors.
    @discardableResult
    public func decide(run runID: String, gate: String, approve: Bool, reason: String,
                       as sovereign: String, keyFile: String?) throws -> GateDecision {
        let run = try current(runID)
        let signer = try SovereignSigner.forSovereign(sovereign, of: run, keyFile: keyFile)
        let statement = ApprovalStatement.make(run: run, gate: gate, approve: approve, by: sovereign, reason: reason,
                                               signedAt: clock.milliseconds(), nonce: nonce())
        let decision = GateDecision(gate: gate, by: sovereign, reason: reason, statement: statement,
                                    provider: signer.provider, signature: try signer.sign(statement))
        try store.record(approve ? .gateApproved(decision) : .gateRejected(decision), run: runID, actor: sovereign)
        return decision
    }

    /// Signs `sovereign`'s enable of the kill-switch for the LIVE run `run` and journals it;
    /// the switch goes off by itself when that run ends.
    ///
    /// - Returns: the enable as journaled.
    /// - Throws: as ``decide(run:gate:approve:reason:as:keyFile:)``.
    @discardableResult
    public func enableLive(run runID: String, as sovereign: String, keyFile: String?) throws -> SwitchEnable {
        let run = try current(runID)
        let signer = try SovereignSigner.forSovereign(sovereign, of: run, keyFile: keyFile)
        let statement = SwitchStatement.make(run: run, by: sovereign, signedAt: clock.milliseconds(), nonce: nonce())
        let enable = SwitchEnable(by: sovereign, statement: statement, provider: signer.provider,
                                  signature: try signer.sign(statement))
        try store.record(.killSwitchEnabled(enable), run: runID, actor: sovereign)
        return enable
    }

    /// Turns the kill-switch off now, for whichever run holds it.
    ///
    /// - Returns: the run that held it, or nil when it was already off (nothing is journaled).
    @discardableResult
    public func disableSwitch(by actor: String, reason: String) throws -> String? {
        try store.refresh()
        guard let holder = store.ledger.killSwitchHolder else { return nil }
        try store.record(.killSwitchDisabled(by: actor, reason: reason), run: holder, actor: actor)
        return holder
    }

    /// Aborts `run`: it ends, its runner stops (rolling back an open apply), the switch goes off.
    public func abort(run runID: String, by actor: String, reason: String) throws {
        try store.record(.aborted(by: actor, reason: reason), run: runID, actor: actor)
    }

    /// Puts the target back to the backup `run` took, then journals the restore.
    ///
    /// Refused while the run has not ended or while the kill-switch is on for any run: a
    /// restore must never race a run that may write.
    /// - Parameter putBack: writes the backup `file` (whose SHA-256 must be `sha256`) over the target.
    /// - Throws: ``RestoreRefusal`` (nothing done), `putBack`'s errors, the journal's errors.
    public func restore(run runID: String, by actor: String,
                        putBack: (_ file: String, _ sha256: String) throws -> Void) throws -> (file: String, sha256: String) {
        let run = try current(runID)
        guard let file = run.facts.backupPath, let sha = run.facts.backupSHA256 else {
            throw RestoreRefusal.noBackup(run: run.id)
        }
        guard run.isEnded else { throw RestoreRefusal.notEnded(run: run.id) }
        if let holder = store.ledger.killSwitchHolder { throw RestoreRefusal.switchOn(holder: holder) }
        try putBack(file, sha)
        try store.record(.targetRestored(backup: file, sha256: sha, by: actor), run: run.id, actor: actor)
        return (file, sha)
    }

    /// `run` as the journal holds it now.
    private func current(_ runID: String) throws -> RunState {
        try store.refresh()
        guard let run = store.ledger[runID] else { throw RunStoreError.noSuchRun(runID) }
        return run
    }
}

/// Why a restore was not done; nothing was changed.
public enum RestoreRefusal: Error, Equatable, CustomStringConvertible {
    /// The run took no backup.
    case noBackup(run: String)
    /// The run has not ended.
    case notEnded(run: String)
    /// The kill-switch is on for `holder`.
    case switchOn(holder: String)

    /// Whether it is a refusal of the moment (exit 6), not bad input (exit 2).
    public var isRefusal: Bool {
        if case .noBackup = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .noBackup(let run): "run \(run) took no backup"
        case .notEnded(let run): "refused: run \(run) has not ended; abort it first (`gatehouse abort \(run) --reason TEXT`)"
        case .switchOn(let holder): "refused: the kill-switch is on for run \(holder); restore only while no run may write"
        }
    }
}
