/// What `gatehouse status` prints: the runs of a journal, or one run, as text (and as JSON,
/// in StatusExport+JSON.swift; see docs/json-output.md).
public enum StatusExport {
    /// The run list: the kill-switch, then one line per run, newest first, with its runner as
    /// the journal and `seen` (what the runner locks say, by run) tell it.
    public static func list(_ ledger: RunLedger, seen: [String: RunnerPresence] = [:]) -> String {
        var out = "kill-switch: " + (ledger.killSwitchHolder.map { "ON for run \($0)" } ?? "OFF") + "\n"
        let runs = ledger.newestFirst
        if runs.isEmpty { return out + "no runs yet (start one with `gatehouse run --dry-run`)\n" }
        let rows = runs.map { state in
            let runner = state.runner(seen: seen[state.id])
            return [state.id, state.mode.label, state.start.plan.id, state.start.document ?? "-", JournalTime.utc(state.startedAt),
                    runnerColumn(runner), state.situation(runner: runner)]
        }
        out += table(["RUN", "MODE", "PLAN", "DOCUMENT", "STARTED (UTC)", "RUNNER", "STATUS"], rows)
        if !ledger.anomalies.isEmpty {
            out += "WARNING: \(ledger.anomalies.count) journaled event(s) were not accepted by the state machine (first: event \(ledger.anomalies[0].sequence): \(ledger.anomalies[0].reason)); run `gatehouse verify`\n"
        }
        return out
    }

    /// The facts a run's detail lists, in this order.
    private static let shownFacts: [RunFacts.Field] = [
        .preCounts, .preStateSHA, .candidates, .candidatesDigest, .backupPath, .backupSHA256,
        .backupContentSHA256, .runbookPath, .runbookSHA256, .inserted, .wouldInsert, .alreadyAppliedBy, .postCounts, .postStateSHA, .closeoutSignature,
    ]

    /// A runner in the list: who it is while alive, GONE, or `?` when it cannot be seen.
    private static func runnerColumn(_ runner: RunnerPresence?) -> String {
        switch runner {
        case nil: "-"
        case .alive(let identity)?: identity?.description ?? "alive"
        case .gone?: "GONE"
        case .unknown(let identity)?: "? " + (identity?.description ?? "")
        }
    }

    /// Where a run ran: `ran on alpha as ops · Debian GNU/Linux 12 · Linux 6.1.0 x86_64 · gatehouse 0.1.0 (1e315a8c0d2f) · sqlite journal, postgresql target`.
    public static func fingerprintLine(_ fingerprint: RunFingerprint) -> String {
        "ran on \(fingerprint.host) as \(fingerprint.user) · \(fingerprint.system) · \(fingerprint.kernel) · gatehouse \(fingerprint.build) · "
            + "\(fingerprint.journal) journal" + (fingerprint.target.map { ", \($0) target" } ?? "")
    }

    /// A runner in a run's detail, with what to do when it is gone.
    static func runnerLine(_ runner: RunnerPresence?, run state: RunState) -> String? {
        switch runner {
        case nil: nil
        case .alive(let identity)?: "runner: \(identity?.description ?? "a live process") (alive)"
        case .gone(let identity)?:
            "runner: GONE\(identity.map { " (was \($0))" } ?? ""): nothing moves until `gatehouse resume \(state.shortID)`"
        case .unknown(let identity)?:
            "runner: \(identity?.description ?? "unknown"): whether it lives cannot be seen from here"
        }
    }

    private static func table(_ headings: [String], _ rows: [[String]]) -> String {
        TextTable.lines(headings: headings, rows: rows, rule: "-").joined(separator: "\n") + "\n"
    }

    /// One run in detail: its runner (as the journal and `seen`, its lock, tell it), phases,
    /// the facts a person checks, decisions, refusals.
    public static func detail(_ state: RunState, seen: RunnerPresence? = nil) -> String {
        let runner = state.runner(seen: seen)
        var out = "run \(state.id)  \(state.mode.label)  plan \(state.start.plan.id)  operator \(state.start.operatorName)\n"
        out += "status: \(state.situation(runner: runner))\(state.outcome.map { " — \($0.summary)" } ?? "")\n"
        if let line = runnerLine(runner, run: state) { out += line + "\n" }
        out += "kill-switch: \(state.switchOn ? "ON for this run" : "off")\n"
        if let document = state.start.document { out += "document: \(document)\n" }
        if let target = state.start.target { out += "target: \(target)\n" }
        if let fingerprint = state.start.fingerprint { out += fingerprintLine(fingerprint) + "\n" }
        out += "plan digest: \(state.start.planDigest)"
            + (state.start.programmeDigest.map { "  programme \($0.prefix(12))" } ?? "")
            + (state.start.package.map { "  package \($0.digest.prefix(12))" } ?? "") + "\n"
        for resume in state.resumeChecks {
            out += "resumed after it ended by \(resume.check.by) at \(JournalTime.utc(resume.time)): \(resume.check.summary)\n"
        }
        out += "\n"
        let rows = state.phases.enumerated().map { index, record in
            [String(index + 1), record.phase.id, record.status.rawValue,
             record.startedAt.map(JournalTime.utc) ?? "", record.duration.map(JournalTime.duration) ?? "", record.note ?? ""]
        }
        out += table(["#", "PHASE", "STATE", "STARTED (UTC)", "TOOK", "NOTE"], rows)
        let known = state.facts.values(of: Self.shownFacts)
        if !known.isEmpty {
            out += "\nfacts:\n"
            for (key, value) in known { out += "  \(key): \(value.stringValue ?? value.canonical)\n" }
        }
        if !state.decisions.isEmpty {
            out += "\ndecisions:\n"
            for decision in state.decisions {
                out += "  \(decision.decision.gate) \(decision.approved ? "approved" : "rejected") by \(decision.decision.by) at \(JournalTime.utc(decision.time)) (event \(decision.sequence), \(decision.decision.provider)\(decision.decision.provider == StubSigning.providerName ? ", INSECURE" : ""))\n"
            }
        }
        if !state.refusals.isEmpty {
            out += "\nrefused:\n"
            for refusal in state.refusals {
                out += "  event \(refusal.sequence) \(refusal.attempted) by \(refusal.actor): \(refusal.message)\n"
            }
        }
        return out
    }
}
