/// The journal form of run events: a kind and a canonical JSON payload.
extension RunEvent {
    /// The event kind as journaled, such as `phase.completed`.
    public var kind: String {
        switch self {
        case .started: "run.started"
        case .phaseStarted: "phase.started"
        case .phaseCompleted: "phase.completed"
        case .phaseFailed: "phase.failed"
        case .phaseSkipped: "phase.skipped"
        case .phaseProgress: "phase.progress"
        case .gateApproved: "gate.approved"
        case .gateRejected: "gate.rejected"
        case .killSwitchEnabled: "killswitch.enabled"
        case .killSwitchDisabled: "killswitch.disabled"
        case .runnerLost: "run.runner_lost"
        case .runnerStopped: "run.runner_stopped"
        case .resumed: "run.resumed"
        case .aborted: "run.aborted"
        case .closed: "run.closed"
        case .refused: "run.refused"
        case .log: "log"
        case .output: "output"
        case .targetRestored: "target.restored"
        case .phaseReverted: "phase.reverted"
        case .resumeNoOp: "run.resume_noop"
        case .parityChecked: "run.parity_checked"
        case .restoreDrilled: "backup.drilled"
        }
    }

    /// Whether losing this event in a crash would lose a decision: such events are appended
    /// with a durable commit (the journal commits every event durably today).
    public var mustBeDurable: Bool {
        switch self {
        case .log, .output, .phaseProgress: false
        default: true
        }
    }

    /// The event's data.
    public var payload: JSONValue {
        switch self {
        case .started(let start):
            var members: [String: JSONValue] = [
                "mode": .string(start.mode.rawValue), "plan": start.plan.json,
                "operator": .string(start.operatorName), "signing": .string(start.signing),
            ]
            if let document = start.document { members["document"] = .string(document) }
            if let target = start.target { members["target"] = .string(target) }
            if let directory = start.directory { members["directory"] = .string(directory) }
            if !start.sovereigns.isEmpty {
                members["sovereigns"] = .array(start.sovereigns.map(\.json))
                members["approval_rules"] = start.rules.json
            }
            if let digest = start.programmeDigest { members["programme_digest"] = .string(digest) }
            if !start.preconditions.isEmpty { members["preconditions"] = .array(start.preconditions.map(\.json)) }
            if let package = start.package { members["package"] = package.json }
            if let fingerprint = start.fingerprint { members["fingerprint"] = fingerprint.json }
            if !start.backupRecipients.isEmpty { members["backup_recipients"] = .array(start.backupRecipients.map(JSONValue.string)) }
            if start.backupDrillRequired { members["backup_drill_required"] = .bool(true) }
            return .object(members)
        case .phaseStarted(let phase):
            return .object(["phase": .string(phase)])
        case .phaseCompleted(let phase, let facts):
            return .object(["phase": .string(phase), "facts": .object(facts.json)])
        case .phaseFailed(let phase, let reason), .phaseSkipped(let phase, let reason):
            return .object(["phase": .string(phase), "reason": .string(reason)])
        case .phaseProgress(let phase, let done, let total):
            return .object(["phase": .string(phase), "done": .int(Int64(done)), "total": .int(Int64(total))])
        case .gateApproved(let decision), .gateRejected(let decision):
            return .object([
                "gate": .string(decision.gate), "by": .string(decision.by), "reason": .string(decision.reason),
                "statement": .object(decision.statement), "provider": .string(decision.provider),
                "signature": .string(decision.signature),
            ])
        case .killSwitchEnabled(let enable):
            return Self.json(enable)
        case .killSwitchDisabled(let by, let reason), .aborted(let by, let reason):
            return .object(["by": .string(by), "reason": .string(reason)])
        case .runnerLost(let reason), .runnerStopped(let reason):
            return .object(["reason": .string(reason)])
        case .resumed(let by):
            return .object(["by": .string(by)])
        case .closed:
            return .object([:])
        case .refused(let attempted, let refusal):
            return .object(["attempted": .string(attempted), "code": .string(refusal.code), "message": .string(refusal.message)])
        case .log(let phase, let stream, let text):
            return .object(["phase": .string(phase), "stream": .string(stream), "text": .string(text)])
        case .output(let batch):
            return batch.json
        case .targetRestored(let restore):
            var members: [String: JSONValue] = ["backup": .string(restore.backup), "sha256": .string(restore.sha256), "by": .string(restore.by)]
            if let decision = restore.decision { members["decision"] = Self.json(decision) }
            if let content = restore.contentSHA256 { members["content_sha256"] = .string(content) }
            return .object(members)
        case .phaseReverted(let phase, let by, let succeeded, let detail):
            return .object(["phase": .string(phase), "by": .string(by), "ok": .bool(succeeded), "detail": .string(detail)])
        case .resumeNoOp(let check):
            return check.json
        case .parityChecked(let check):
            return check.json
        case .restoreDrilled(let drill):
            return drill.json
        }
    }

    /// The event a journaled kind and payload describe, or nil for an unknown kind or a payload
    /// that lacks what the kind needs.
    public init?(kind: String, payload: JSONValue) {
        self.init(kind: kind) { payload[$0] }
    }

    /// The event a journaled kind and payload members describe (how the fold reads a payload:
    /// see ``JSONMembers``), or nil for an unknown kind or a payload that lacks what it needs.
    public init?(kind: String, payload: JSONMembers) {
        self.init(kind: kind) { payload[$0] }
    }

    private init?(kind: String, member payload: (String) -> JSONValue?) {
        // Looked up only where the kind needs them: a replay decodes every event, and each
        // lookup hashes its key.
        var phase: String? { payload("phase")?.stringValue }
        var reason: String? { payload("reason")?.stringValue }
        var by: String? { payload("by")?.stringValue }
        switch kind {
        // The kinds a run journals most, first: a chatty phase's output, its progress.
        case "output":
            guard let batch = OutputBatch(member: payload) else { return nil }
            self = .output(batch)
        case "log":
            guard let phase, let stream = payload("stream")?.stringValue, let text = payload("text")?.stringValue else { return nil }
            self = .log(phase: phase, stream: stream, text: text)
        case "phase.progress":
            guard let phase, let done = payload("done")?.intValue, let total = payload("total")?.intValue else { return nil }
            self = .phaseProgress(phase: phase, done: Int(done), total: Int(total))
        case "run.started":
            guard let start = Self.start(payload) else { return nil }
            self = .started(start)
        case "phase.started":
            guard let phase else { return nil }
            self = .phaseStarted(phase: phase)
        case "phase.completed":
            guard let phase, let facts = payload("facts")?.objectValue else { return nil }
            self = .phaseCompleted(phase: phase, facts: RunFacts(json: facts))
        case "phase.failed", "phase.skipped":
            guard let phase, let reason else { return nil }
            self = kind == "phase.failed" ? .phaseFailed(phase: phase, reason: reason) : .phaseSkipped(phase: phase, reason: reason)
        case "gate.approved", "gate.rejected":
            guard let decision = Self.decision(payload) else { return nil }
            self = kind == "gate.approved" ? .gateApproved(decision) : .gateRejected(decision)
        case "killswitch.enabled":
            guard let enable = Self.signedAct(payload) else { return nil }
            self = .killSwitchEnabled(enable)
        case "killswitch.disabled":
            guard let by, let reason else { return nil }
            self = .killSwitchDisabled(by: by, reason: reason)
        case "run.runner_lost", "run.runner_stopped":
            guard let reason else { return nil }
            self = kind == "run.runner_lost" ? .runnerLost(reason: reason) : .runnerStopped(reason: reason)
        case "run.resumed":
            guard let by else { return nil }
            self = .resumed(by: by)
        case "run.aborted":
            guard let by, let reason else { return nil }
            self = .aborted(by: by, reason: reason)
        case "run.closed":
            self = .closed
        case "run.refused":
            guard let attempted = payload("attempted")?.stringValue, let code = payload("code")?.stringValue,
                  let message = payload("message")?.stringValue else { return nil }
            self = .refused(attempted: attempted, refusal: .recorded(code: code, message: message))
        case "target.restored":
            guard let backup = payload("backup")?.stringValue, let sha = payload("sha256")?.stringValue, let by else { return nil }
            let signed = payload("decision"), content = payload("content_sha256")
            let decision = signed?.objectValue.flatMap { members in Self.signedAct { members[$0] } }
            // Either may be absent (a journal older than them); present, each must read.
            guard (signed == nil) == (decision == nil), content == nil || content?.stringValue != nil else { return nil }
            self = .targetRestored(TargetRestore(backup: backup, sha256: sha, by: by, decision: decision, contentSHA256: content?.stringValue))
        case "phase.reverted":
            guard let phase = payload("phase")?.stringValue, let by, let succeeded = payload("ok")?.boolValue,
                  let detail = payload("detail")?.stringValue else { return nil }
            self = .phaseReverted(phase: phase, by: by, succeeded: succeeded, detail: detail)
        case "run.resume_noop":
            guard let check = ResumeCheck(payload) else { return nil }
            self = .resumeNoOp(check)
        case "run.parity_checked":
            guard let check = ParityCheck(payload) else { return nil }
            self = .parityChecked(check)
        case "backup.drilled":
            guard let drill = RestoreDrill(payload) else { return nil }
            self = .restoreDrilled(drill)
        default:
            return nil
        }
    }

    /// A run's start as `run.started` records it.
    private static func start(_ payload: (String) -> JSONValue?) -> RunStart? {
        guard let mode = payload("mode")?.stringValue.flatMap(RunMode.init(rawValue:)),
              let plan = payload("plan").flatMap(RunPlan.init(json:)),
              let operatorName = payload("operator")?.stringValue,
              let signing = payload("signing")?.stringValue else { return nil }
        // Every pinned precondition must read back: dropping a red one would open the switch.
        let pinned = payload("preconditions")?.arrayValue ?? []
        let preconditions = pinned.compactMap(PreconditionCheck.init(json:))
        guard preconditions.count == pinned.count else { return nil }
        // A package that does not read back would let its scripts run unchecked.
        var package: PackagePin?
        if let value = payload("package") {
            guard let pin = PackagePin(json: value) else { return nil }
            package = pin
        }
        var fingerprint: RunFingerprint?
        if let value = payload("fingerprint") {
            guard let read = RunFingerprint(json: value) else { return nil }
            fingerprint = read
        }
        var backupRecipients: [String] = []
        if let value = payload("backup_recipients") {
            guard let items = value.arrayValue, case let names = items.compactMap(\.stringValue), names.count == items.count else { return nil }
            backupRecipients = names
        }
        return RunStart(mode: mode, plan: plan, document: payload("document")?.stringValue,
                        target: payload("target")?.stringValue, operatorName: operatorName, signing: signing,
                        directory: payload("directory")?.stringValue,
                        sovereigns: payload("sovereigns")?.arrayValue?.compactMap(Sovereign.init(json:)) ?? [],
                        rules: payload("approval_rules").flatMap(ApprovalRules.init(json:)) ?? ApprovalRules(),
                        programmeDigest: payload("programme_digest")?.stringValue,
                        preconditions: preconditions, package: package, fingerprint: fingerprint,
                        backupRecipients: backupRecipients, backupDrillRequired: payload("backup_drill_required") == .bool(true))
    }

    /// A sovereign's signed decision as `gate.approved` and `gate.rejected` record it.
    private static func decision(_ payload: (String) -> JSONValue?) -> GateDecision? {
        guard let gate = payload("gate")?.stringValue, let by = payload("by")?.stringValue,
              let reason = payload("reason")?.stringValue,
              let statement = payload("statement")?.objectValue,
              let provider = payload("provider")?.stringValue,
              let signature = payload("signature")?.stringValue else { return nil }
        return GateDecision(gate: gate, by: by, reason: reason, statement: statement, provider: provider, signature: signature)
    }

    /// A signed act as `killswitch.enabled` (and a restore's `decision`) records it.
    private static func signedAct(_ payload: (String) -> JSONValue?) -> SignedAct? {
        guard let by = payload("by")?.stringValue, let statement = payload("statement")?.objectValue,
              let provider = payload("provider")?.stringValue,
              let signature = payload("signature")?.stringValue else { return nil }
        return SignedAct(by: by, statement: statement, provider: provider, signature: signature)
    }

    /// How a signed act is recorded.
    private static func json(_ act: SignedAct) -> JSONValue {
        .object(["by": .string(act.by), "statement": .object(act.statement), "provider": .string(act.provider), "signature": .string(act.signature)])
    }
}
