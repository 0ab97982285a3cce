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
    /// The journal's runner locks: a restore claims them, an enable looks at them.
    private let liveness: (any RunnerLiveness)?
    /// Asks the signer for the passphrase of a protected key file.
    private let passphrase: PrivateKeyFile.Passphrase?

    /// The acts on `store`'s runs, signing with `clock`'s time and `nonce`'s values, locking
    /// through `liveness` (the journal's runner locks), opening a protected key with what
    /// `passphrase` asks of the signer.
    public init(store: RunStore, liveness: (any RunnerLiveness)? = nil, clock: WallClock = .system,
                nonce: @escaping () -> String = { RunLauncher.newRunID() + RunLauncher.newRunID() },
                passphrase: PrivateKeyFile.Passphrase? = nil) {
        self.store = store
        self.liveness = liveness
        self.clock = clock
        self.nonce = nonce
        self.passphrase = passphrase
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
        let signer = try SovereignSigner.forSovereign(sovereign, of: run, keyFile: keyFile, passphrase: passphrase)
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
        let signer = try SovereignSigner.forSovereign(sovereign, of: run, keyFile: keyFile, passphrase: passphrase)
        let statement = SwitchStatement.make(run: run, by: sovereign, signedAt: clock.milliseconds(), nonce: nonce())
        let enable = SwitchEnable(by: sovereign, statement: statement, provider: signer.provider,
                                  signature: try signer.sign(statement))
        // Held while the enable is journaled, so that a restore cannot begin in between.
        let restoreLock: (any RunnerClaim)?
        do {
            restoreLock = try liveness?.claim(run: Self.restoreLockName)
        } catch RunnerLockError.held(_, let holder) {
            let refusal = RunRefusal.restoreInProgress(run: runID, holder: holder)
            try store.record(.refused(attempted: "killswitch.enabled", refusal: refusal), run: runID, actor: sovereign)
            throw refusal
        }
        try withExtendedLifetime(restoreLock) {
            try store.record(.killSwitchEnabled(enable), run: runID, actor: sovereign)
        }
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

    /// Puts the target back to the backup `run` took, on `sovereign`'s signed decision with
    /// the phrase `typed` (``RestoreStatement/phrase(for:)``), then journals the restore.
    ///
    /// The decision is checked by the state machine before anything is touched: unsigned (no
    /// key), signed by someone who is not a sovereign of the run, a wrong phrase, a run that
    /// has not ended or the kill-switch on for any run are refused and the refusal journaled.
    /// Then the run's lock and the journal's restore lock are claimed (no resume of the run,
    /// no kill-switch enable meanwhile), `putBack` checks the backup's digests and writes it
    /// over the target, and the restore is journaled with what the target holds after it.
    /// - Parameter putBack: checks the backup `file` (SHA-256 `sha256`, content the run's
    ///   pre-state) and writes it over the target; returns the target's content SHA-256 after.
    ///   A ``RestoreRefusal`` or ``TargetError`` it throws is journaled as a refusal.
    /// - Throws: ``RestoreRefusal`` (nothing done), ``RunRefusal`` (journaled), `putBack`'s
    ///   errors, ``RunnerLockError`` when the lock is held, the journal's errors.
    @discardableResult
    public func restore(run runID: String, as sovereign: String, keyFile: String?, typed phrase: String,
                        putBack: (_ file: String, _ sha256: String) throws -> String) throws -> TargetRestore {
        let run = try current(runID)
        guard let file = run.facts.backupPath, let sha = run.facts.backupSHA256 else {
            throw RestoreRefusal.noBackup(run: run.id)
        }
        func refuse(_ reason: String) throws -> Never {
            let refusal = RunRefusal.restoreInvalid(run: run.id, reason: reason)
            try store.record(.refused(attempted: "target.restored", refusal: refusal), run: run.id, actor: sovereign)
            throw refusal
        }
        let decision: SignedAct
        do {
            let signer = try SovereignSigner.forSovereign(sovereign, of: run, keyFile: keyFile, passphrase: passphrase)
            let statement = RestoreStatement.make(run: run, by: sovereign, typed: phrase, signedAt: clock.milliseconds(), nonce: nonce())
            decision = SignedAct(by: sovereign, statement: statement, provider: signer.provider, signature: try signer.sign(statement))
        } catch let error as SigningError {
            try refuse("no signed decision: \(error.description)")
        }
        var restore = TargetRestore(backup: file, sha256: sha, by: sovereign, decision: decision, contentSHA256: nil)
        func check() throws {
            guard let refusal = store.ledger.check(.targetRestored(restore), run: run.id) else { return }
            try store.record(.refused(attempted: "target.restored", refusal: refusal), run: run.id, actor: sovereign)
            throw refusal
        }
        try check()
        // The run's lock (no resume) and the restore lock (no kill-switch enable) for as long
        // as the target is being written; the journal is read again once they are held, so an
        // enable journaled meanwhile is seen.
        let claims: [any RunnerClaim]
        do {
            claims = try liveness.map { [try $0.claim(run: run.id), try $0.claim(run: Self.restoreLockName)] } ?? []
        } catch RunnerLockError.held(let name, let holder) {
            try refuse(name == Self.restoreLockName ? "another restore is under way (\(holder))" : "the run has a live runner (\(holder))")
        }
        defer { withExtendedLifetime(claims) {} }
        if !claims.isEmpty {
            try store.refresh()
            try check()
        }
        do {
            restore.contentSHA256 = try putBack(file, sha)
        } catch let refusal as RestoreRefusal {
            try refuse(refusal.description)
        } catch let error as TargetError {
            try refuse(error.description)
        }
        try store.record(.targetRestored(restore), run: run.id, actor: sovereign)
        return restore
    }

    /// The name under which a restore claims the journal's runner locks: while it is held,
    /// no kill-switch goes on.
    public static let restoreLockName = "target-restore"

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
