/// What can happen to a run: the typed form of the journal's events.
///
/// Every event is journaled with its ``kind`` and its ``payload``; folding them in order
/// (``RunLedger``) gives the state of every run.
///
/// The rare cases with large values are `indirect` (boxed): every event is the size of its
/// largest case, and a replay makes, passes and drops one per journaled event.
public enum RunEvent: Sendable, Equatable {
    /// A run begins: its mode, the plan it walks (pinned in full) and what it works on.
    indirect case started(RunStart)
    /// A phase begins; for a gate phase, the run now waits for a sovereign's decision.
    case phaseStarted(phase: String)
    /// A phase ended well, with the facts it established (counts, SHA-256s, paths); boxed,
    /// as ``RunFacts`` has a field per fact.
    indirect case phaseCompleted(phase: String, facts: RunFacts)
    /// A phase ended badly; the run fails with it.
    case phaseFailed(phase: String, reason: String)
    /// A phase that does not apply to this run (a backup in a dry run).
    case phaseSkipped(phase: String, reason: String)
    /// How far a running phase is, such as units applied out of the candidates.
    case phaseProgress(phase: String, done: Int, total: Int)
    /// A sovereign approved the gate the run waits at.
    indirect case gateApproved(GateDecision)
    /// A sovereign rejected the gate the run waits at; the run ends.
    indirect case gateRejected(GateDecision)
    /// The kill-switch is turned on for this run (and only this run), signed by a sovereign.
    indirect case killSwitchEnabled(SwitchEnable)
    /// The kill-switch is turned off.
    case killSwitchDisabled(by: String, reason: String)
    /// The run's runner went away without closing the run (a crash, a lost host); the switch
    /// is off and the phase it was in will run again on resume.
    case runnerLost(reason: String)
    /// The runner stopped on request (SIGTERM, Ctrl-C) with the run unfinished; switch off.
    case runnerStopped(reason: String)
    /// A runner took the run up again.
    case resumed(by: String)
    /// Someone ended the run before its close-out.
    case aborted(by: String, reason: String)
    /// Every phase is done: the run is closed out.
    case closed
    /// Something was asked of the run that its state does not allow; nothing else changed.
    indirect case refused(attempted: String, refusal: RunRefusal)
    /// A line of output from a phase.
    case log(phase: String, stream: String, text: String)
    /// A stretch of what a phase's command wrote to one stream, bytes as they came.
    indirect case output(OutputBatch)
    /// The target was put back to the backup this run took, on a sovereign's signed decision.
    indirect case targetRestored(TargetRestore)
    /// What a phase of a command plan changed was undone by its revert (or the revert failed).
    case phaseReverted(phase: String, by: String, succeeded: Bool, detail: String)
    /// A resume of a run that had ended: nothing was run; what the target held then.
    indirect case resumeNoOp(ResumeCheck)
    /// A parity comparison of the (ended) run with a reference, journaled as evidence.
    indirect case parityChecked(ParityCheck)
    /// A restore drill of the run's backup: decrypted into a scratch copy and read, nothing else changed.
    indirect case restoreDrilled(RestoreDrill)
}

/// What a run is when it begins.
public struct RunStart: Sendable, Equatable, Codable {
    public var mode: RunMode
    public var plan: RunPlan
    /// The document a production cut works on, if the plan uses one.
    public var document: String?
    /// The target's location (file path or URL without secrets).
    public var target: String?
    /// Who started the run.
    public var operatorName: String
    /// The signing provider of approvals and the close-out, such as `stub`.
    public var signing: String
    /// Where shell-command phases run (the programme file's directory), if the plan has any.
    public var directory: String?
    /// Who may sign this run's gates, pinned from the programme when the run started. Empty:
    /// any name may decide, stub-signed (a programme without sovereigns).
    public var sovereigns: [Sovereign]
    /// The two-person rule, the operator rule and expiries, pinned likewise.
    public var rules: ApprovalRules
    /// SHA-256 of the programme file the run started from; every signed statement binds it.
    public var programmeDigest: String?
    /// The programme's preconditions for LIVE, evaluated when the run started.
    public var preconditions: [PreconditionCheck]
    /// The command-review package a plan of shell commands runs as: its digest, which every
    /// decision binds, and the files its phases run, hashed again before each runs.
    public var package: PackagePin?
    /// Where the run ran and with what build (nil in runs journaled before it was recorded).
    public var fingerprint: RunFingerprint?
    /// The OpenPGP keys its backup is encrypted to, by fingerprint, as the programme named them.
    public var backupRecipients: [String]
    /// Whether the programme requires a passing drill of its backup before SG_2 is approved.
    public var backupDrillRequired: Bool

    public init(mode: RunMode, plan: RunPlan, document: String?, target: String?, operatorName: String, signing: String,
                directory: String? = nil, sovereigns: [Sovereign] = [], rules: ApprovalRules = ApprovalRules(),
                programmeDigest: String? = nil, preconditions: [PreconditionCheck] = [], package: PackagePin? = nil,
                fingerprint: RunFingerprint? = nil, backupRecipients: [String] = [], backupDrillRequired: Bool = false) {
        self.mode = mode
        self.plan = plan
        self.document = document
        self.target = target
        self.operatorName = operatorName
        self.signing = signing
        self.directory = directory
        self.sovereigns = sovereigns
        self.rules = rules
        self.programmeDigest = programmeDigest
        self.preconditions = preconditions
        self.package = package
        self.fingerprint = fingerprint
        self.backupRecipients = backupRecipients
        self.backupDrillRequired = backupDrillRequired
    }
}

/// A sovereign's decision at a gate, with what it was bound to.
public struct GateDecision: Sendable, Equatable, Codable {
    public var gate: String
    /// The sovereign's name.
    public var by: String
    public var reason: String
    /// The values the decision signs (pre-state SHA, candidates digest, ...).
    public var statement: [String: JSONValue]
    /// The signing provider's name, such as `stub`.
    public var provider: String
    /// The signature over the statement, as the provider writes it.
    public var signature: String

    public init(gate: String, by: String, reason: String, statement: [String: JSONValue], provider: String, signature: String) {
        self.gate = gate
        self.by = by
        self.reason = reason
        self.statement = statement
        self.provider = provider
        self.signature = signature
    }
}

/// A sovereign's signed act on a run other than a gate decision (the kill-switch enable, a
/// restore): who, and their signature over what they saw.
public struct SignedAct: Sendable, Equatable, Codable {
    /// The sovereign's name.
    public var by: String
    /// The values the act signs (see ``SwitchStatement``, ``RestoreStatement``).
    public var statement: [String: JSONValue]
    /// The signing provider's name, such as `stub`.
    public var provider: String
    /// The signature over the statement.
    public var signature: String

    public init(by: String, statement: [String: JSONValue], provider: String, signature: String) {
        self.by = by
        self.statement = statement
        self.provider = provider
        self.signature = signature
    }
}

/// The kill-switch turned on for one LIVE run, as a sovereign signed it.
public typealias SwitchEnable = SignedAct

/// A run's target put back from the backup the run took.
public struct TargetRestore: Sendable, Equatable {
    /// The backup file.
    public var backup: String
    /// Its SHA-256, checked before it was put back.
    public var sha256: String
    /// Who restored it.
    public var by: String
    /// The sovereign's signed decision to restore (nil in journals older than the decision).
    public var decision: SignedAct?
    /// The target's content SHA-256 read after the restore.
    public var contentSHA256: String?

    public init(backup: String, sha256: String, by: String, decision: SignedAct?, contentSHA256: String?) {
        self.backup = backup
        self.sha256 = sha256
        self.by = by
        self.decision = decision
        self.contentSHA256 = contentSHA256
    }
}

extension RunEvent {
    /// An unsigned enable by `name`, for the package's tests: only a run that pinned no
    /// sovereigns accepts it.
    package static func killSwitchEnabled(by name: String) -> RunEvent {
        .killSwitchEnabled(SwitchEnable(by: name, statement: [:], provider: StubSigning.providerName, signature: ""))
    }
}
