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
        /// For a decision or a sign-off, whether it passes (approves) or fails (rejects).
        public var passes: Bool?
    }

    /// Every entry of every run and every programme act, in journal order.
    public static func entries(_ ledger: RunLedger) -> [Entry] {
        (ledger.runs.values.flatMap(entries(of:)) + ledger.programme.books.flatMap { entries(of: $0.value, programme: $0.key) })
            .sorted { $0.sequence < $1.sequence }
    }

    /// The entries of one programme's signed acts and refusals, in journal order; `run` is the
    /// programme's id. An act in the book verified when it was folded (a forged one is an
    /// anomaly instead), so its verdict is its provider's.
    public static func entries(of book: ProgrammeBook, programme: String) -> [Entry] {
        var entries = book.history.map { entry in
            let act = entry.act
            return Entry(sequence: entry.sequence, time: entry.time, run: programme, kind: ProgrammeEvent.act(act).kind, actor: act.by,
                         detail: describe(act), provider: act.provider,
                         verdict: act.provider == StubSigning.providerName ? .insecure : .verified,
                         passes: act.kind == .signOff ? act.passes : nil)
        }
        entries += book.refusals.map { refused in
            Entry(sequence: refused.sequence, time: refused.time, run: programme, kind: "programme.refused", actor: refused.refusal.by,
                  detail: "\(refused.refusal.attempted) of \(refused.refusal.subject): \(refused.refusal.reason)")
        }
        return entries.sorted { $0.sequence < $1.sequence }
    }

    /// A programme act in a few words: `GATE-O6 pass`, `GAP-1 closed: run 1a2b3c4d5e6f`.
    public static func describe(_ act: ProgrammeAct) -> String {
        switch act.kind {
        case .signOff: "\(act.gate) signed off \(act.passes ? "pass" : "fail")" + (act.reason.isEmpty ? "" : ": \(act.reason)")
        case .closeGap:
            "\(act.gap) closed: " + ([act.run.map { "run \($0.prefix(12))" }, act.evidenceText.isEmpty ? nil : act.evidenceText,
                                      act.reference].compactMap { $0 }).joined(separator: "; ")
        case .reopenGap: "\(act.gap) reopened: \(act.reason)"
        case .conditionMet: "\(act.gate) condition met: \(act.condition) (\(act.evidenceText))"
        case .ruling: "ruling on \(act.gate), text sha256 \(sha256Hex(act.rulingText).prefix(16))"
        case nil: "an act of no known kind"
        }
    }

    /// The entries of one run, in journal order.
    public static func entries(of run: RunState) -> [Entry] {
        var entries = [Entry(sequence: run.startSequence, time: run.startedAt, run: run.id, kind: "run.started",
                             actor: run.start.operatorName,
                             detail: "\(run.mode.label) \(run.start.plan.id)\(run.start.document.map { " of \($0)" } ?? "")"
                                 + (run.start.package.map { " · package \($0.digest.prefix(12))" } ?? ""))]
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
        for resume in run.resumeChecks {
            entries.append(Entry(sequence: resume.sequence, time: resume.time, run: run.id, kind: RunEvent.resumeNoOp(resume.check).kind,
                                 actor: resume.check.by, detail: resume.check.summary))
        }
        for drill in run.drills {
            entries.append(Entry(sequence: drill.sequence, time: drill.time, run: run.id, kind: RunEvent.restoreDrilled(drill.drill).kind,
                                 actor: drill.drill.by, detail: drill.drill.summary))
        }
        for parity in run.parityChecks {
            entries.append(Entry(sequence: parity.sequence, time: parity.time, run: run.id, kind: RunEvent.parityChecked(parity.check).kind,
                                 actor: parity.check.by, detail: parity.check.summary))
        }
        return entries.sorted { $0.sequence < $1.sequence }
    }
}
