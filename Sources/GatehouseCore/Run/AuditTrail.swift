/// The journal as an auditor reads it: who started each run, every signed decision and
/// kill-switch enable with its signature checked again, every refusal, and how runs ended.
public enum AuditTrail {
    /// One line of the trail.
    public struct Entry: Sendable, Equatable {
        /// The event's sequence number (for an outcome, the run's last event).
        public var sequence: Int64
        public var time: Int64
        public var run: String
        /// What happened: `run.started`, `gate.approved`, `killswitch.enabled`, `run.refused`, ...
        public var kind: String
        /// Who: the operator, the signer, the actor refused.
        public var actor: String
        /// The rest, in words.
        public var detail: String
        /// For a signed event, the provider it was signed with.
        public var provider: String?
        /// For a signed event, how its signature stands.
        public var verdict: SignatureVerdict?
    }

    /// Every entry of every run, in journal order.
    public static func entries(_ ledger: RunLedger) -> [Entry] {
        ledger.runs.values.flatMap(entries(of:)).sorted { $0.sequence < $1.sequence }
    }

    /// The entries of one run, in journal order.
    public static func entries(of run: RunState) -> [Entry] {
        var entries = [Entry(sequence: run.startSequence, time: run.startedAt, run: run.id, kind: "run.started",
                             actor: run.start.operatorName,
                             detail: "\(run.mode.label) \(run.start.plan.id)\(run.start.document.map { " of \($0)" } ?? "")")]
        for decision in run.decisions {
            let made = decision.decision
            entries.append(Entry(sequence: decision.sequence, time: decision.time, run: run.id,
                                 kind: decision.approved ? "gate.approved" : "gate.rejected", actor: made.by,
                                 detail: made.gate + (made.reason.isEmpty ? "" : ": \(made.reason)"),
                                 provider: made.provider, verdict: SignatureAudit.verdict(decision, in: run)))
        }
        for enable in run.switchEnables {
            entries.append(Entry(sequence: enable.sequence, time: enable.time, run: run.id, kind: "killswitch.enabled",
                                 actor: enable.enable.by, detail: "LIVE enabled",
                                 provider: enable.enable.provider, verdict: SignatureAudit.verdict(enable, in: run)))
        }
        for refusal in run.refusals {
            entries.append(Entry(sequence: refusal.sequence, time: refusal.time, run: run.id, kind: "run.refused",
                                 actor: refusal.actor, detail: "\(refusal.attempted) \(refusal.code): \(refusal.message)"))
        }
        if let outcome = run.outcome, let ending = run.ending {
            entries.append(Entry(sequence: ending.sequence, time: ending.time, run: run.id, kind: "run.\(outcome.word)",
                                 actor: "", detail: outcome.summary))
        }
        return entries.sorted { $0.sequence < $1.sequence }
    }
}
