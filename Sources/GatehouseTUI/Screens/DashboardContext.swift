import GatehouseCore

/// What the dashboard shows besides the programme: the runs as the journal holds them, the
/// time now (for the running phase's duration) and whether this is a read-only watcher.
///
/// The app reads these from the journal and the clock; screens only draw them, so every frame
/// is a function of (programme, state, context) and testable on a canvas.
public struct DashboardContext: Sendable, Equatable {
    /// The fold of the journal.
    public var ledger: RunLedger
    /// Milliseconds since 1970, as the app's clock read them for this frame.
    public var now: Int64
    /// Opened with `--readonly` or as `gatehouse watch`: no key changes anything.
    public var readOnly: Bool
    /// Where the journal is, and whether it could be read, in words (shown when there are no runs).
    public var journalNote: String?
    /// Who signs decisions and kill-switch enables made from this dashboard (`--as`).
    public var signer: String
    /// The journal's hash chain as last verified: nil before there is a journal to verify.
    /// Broken, every tab says the state shown is not trusted.
    public var journalTrust: ChainVerification?
    /// The checkpoints of the fold the opening passed over (edited, cut short, moved), newest
    /// first: not trusted, and every tab says so until `gatehouse verify` is run.
    public var ignoredCheckpoints: [LedgerCheckpoint.Problem] = []
    /// What the runner locks said of the unfinished runs' runners at the last look, by run
    /// (empty when nobody looked: the journal's word alone is shown).
    public var runners: [String: RunnerPresence]

    /// The programme's charter, made once for the programme shown (nil: made as needed).
    public var charter: ProgrammeCharter?

    /// Run records from elsewhere (`--reference FILE`, each checked when read) that a run can
    /// be compared with on the Runs tab (`c`), besides the journal's own runs.
    public var references: [ParitySide] = []

    /// The signer's key file, when it is sealed under a passphrase: the signing flow asks for
    /// it before it signs (nil for no key file, or one without a passphrase).
    public var protectedKeyFile: String?

    /// The live gate board of `programme`: its file with what the journal records.
    public func board(_ programme: Programme) -> GateBoard {
        ledger.programme.board(charter ?? ProgrammeCharter(programme))
    }

    public init(ledger: RunLedger = RunLedger(), now: Int64 = 0, readOnly: Bool = false, journalNote: String? = nil,
                signer: String = "", journalTrust: ChainVerification? = nil, runners: [String: RunnerPresence] = [:]) {
        self.ledger = ledger
        self.now = now
        self.readOnly = readOnly
        self.journalNote = journalNote
        self.signer = signer
        self.journalTrust = journalTrust
        self.runners = runners
    }

    /// `run`'s runner as the journal and its lock tell it; nil once the run has ended.
    public func runner(_ run: RunState) -> RunnerPresence? {
        run.runner(seen: runners[run.id])
    }

    /// The first event that breaks the journal's chain, and why; nil while it is intact (or unchecked).
    public var brokenJournal: (sequence: Int64, reason: String)? {
        guard case .broken(let sequence, let reason) = journalTrust else { return nil }
        return (sequence, reason)
    }

    /// The run the Runs tab shows: the one picked, or the newest.
    public func selectedRun(_ state: DashboardState) -> RunState? {
        if let id = state.selectedRunID, let run = ledger[id] { return run }
        return ledger.newest
    }
}
