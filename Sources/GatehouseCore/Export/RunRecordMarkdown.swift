/// A run's record as Markdown, for `gatehouse export RUN --format markdown`: who ran what and
/// how it ended, every phase, the facts that prove what it did, every signed decision with its
/// signature checked again, the kill-switch, the refusals, and where the run sits in its journal.
///
/// Every value goes through ``MarkdownTable/escape(_:)``, so a reason or a note with a pipe or
/// a line break in it cannot end a row or a list item.
public enum RunRecordMarkdown {
    /// The facts that are proofs, in the order a reader checks them, with what each one is.
    static let proofFacts: [(field: RunFacts.Field, meaning: String)] = [
        (.preCounts, "rows per table before the run"),
        (.preStateSHA, "SHA-256 of the target before the run"),
        (.documentDigest, "SHA-256 of the document cut"),
        (.candidates, "units the document cuts into"),
        (.candidatesDigest, "SHA-256 of the candidate units"),
        (.wouldInsert, "units the apply would write"),
        (.inserted, "units the apply wrote"),
        (.alreadyAppliedBy, "the run that already wrote them"),
        (.backupPath, "the backup taken before writing"),
        (.backupSHA256, "SHA-256 of the backup"),
        (.backupContentSHA256, "SHA-256 of what the backup holds, read back before writing"),
        (.runbookPath, "the rollback runbook written before writing"),
        (.runbookSHA256, "SHA-256 of the runbook"),
        (.postCounts, "rows per table after the run"),
        (.postStateSHA, "SHA-256 of the target after the run"),
        (.closeoutProvider, "how the close-out was signed"),
        (.closeoutSignature, "the close-out's signature"),
        (.restoredFrom, "the backup the target was restored from"),
        (.restoredSHA256, "SHA-256 of that backup"),
    ]

    /// How many characters of a signature the approvals table shows.
    public static let signaturePrefix = 16

    /// The record of `run`, with where it sits in the journal, ending in a newline; its LIVE
    /// checklist as `programme` (the journal's programmes) has it.
    /// A rollback runbook as read from its file for the record: its text, or why it is not shown.
    public enum Runbook: Sendable, Equatable {
        /// The file's text, which matches the SHA-256 the run journaled.
        case text(String)
        /// The file is missing, unreadable, or does not match (in words).
        case unavailable(String)
    }

    public static func render(_ run: RunState, proof: JournalProof, programme: ProgrammeLedger = ProgrammeLedger(),
                              runbook: Runbook? = nil) -> String {
        var lines = ["# Run \(MarkdownTable.escape(run.id))", ""]
        lines += overview(run)
        if let package = run.start.package { lines += section("Command-review package", packageLines(run, package)) }
        lines += section("Phases", phases(run))
        lines += section("Proofs", facts(run))
        lines += section("Approvals", approvals(run))
        lines += section("Kill-switch", killSwitch(run, programme: programme))
        lines += section("Refusals", refusals(run))
        switch runbook {
        case .text(let text)?:
            // Its own headings one level down, inside this record.
            lines += section("Rollback runbook", text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.hasPrefix("#") ? "##" + $0 : String($0)
            })
        case .unavailable(let why)?: lines += section("Rollback runbook", [why])
        case nil: break
        }
        lines += section("Journal proof", journal(proof))
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Sections

    private static func overview(_ run: RunState) -> [String] {
        let items: [(String, String)] = [
            ("Mode", run.mode.label), ("Plan", run.start.plan.id), ("Document", run.start.document ?? "none"),
            ("Target", run.start.target ?? "none"), ("Operator", run.start.operatorName),
            ("Signing", run.start.signing == StubSigning.providerName ? "stub (INSECURE)" : run.start.signing),
            ("Sovereigns", run.start.sovereigns.isEmpty ? "none pinned (decisions unsigned)"
                : run.start.sovereigns.map { "\($0.name) (\($0.provider))" }.joined(separator: ", ")),
            ("Programme digest", run.start.programmeDigest ?? "none recorded"),
            ("Started", utc(run.startedAt)),
            ("Ended", run.ending.map { utc($0.time) } ?? "not ended"),
            ("Outcome", run.outcome.map(\.summary) ?? "none yet: \(run.situation)"),
        ]
        return items.map { "- **\($0.0):** \(MarkdownTable.escape($0.1))" }
    }

    private static func packageLines(_ run: RunState, _ package: PackagePin) -> [String] {
        var lines = [
            "- **Digest:** \(package.digest) (every decision and kill-switch enable of the run binds it)",
            "- **Read from:** " + MarkdownTable.escape(package.source ?? "the plan, packaged in its folder as the run started"),
            "- **Run in:** " + MarkdownTable.escape(run.start.directory ?? "unknown"),
        ]
        if !run.revertedPhases.isEmpty { lines.append("- **Reverted:** " + MarkdownTable.escape(run.revertedPhases.joined(separator: ", "))) }
        lines.append("")
        lines += MarkdownTable.lines(headings: ["File", "SHA-256", "Bytes"],
                                     rows: package.files.map { [$0.path, "`\($0.sha256)`", String($0.size)] })
        return lines
    }

    private static func phases(_ run: RunState) -> [String] {
        MarkdownTable.lines(
            headings: ["#", "Phase", "Status", "Started (UTC)", "Duration", "Attempts", "Note"],
            rows: run.phases.enumerated().map { index, record in
                [String(index + 1), record.phase.id, record.status.rawValue, record.startedAt.map(JournalTime.utc) ?? "",
                 record.duration.map(JournalTime.duration) ?? "", String(record.attempts), record.note ?? ""]
            })
    }

    private static func facts(_ run: RunState) -> [String] {
        let rows = proofFacts.compactMap { fact in
            run.facts.value(of: fact.field).flatMap { $0 == .null ? nil : [fact.field.name, fact.meaning, $0.stringValue ?? $0.canonical] }
        }
        guard !rows.isEmpty else { return ["No proofs recorded yet."] }
        return MarkdownTable.lines(headings: ["Fact", "What it is", "Value"], rows: rows)
    }

    private static func approvals(_ run: RunState) -> [String] {
        guard !run.decisions.isEmpty else { return ["No sovereign decisions."] }
        return MarkdownTable.lines(
            headings: ["Gate", "Decision", "Signer", "Provider", "Verdict", "Signed at (UTC)", "Reason", "Signature"],
            rows: run.decisions.map { recorded in
                let made = recorded.decision
                return [made.gate, recorded.approved ? "approved" : "rejected", made.by, made.provider,
                        SignatureAudit.verdict(recorded, in: run).label, signedAt(made.statement), made.reason,
                        abbreviated(made.signature)]
            })
    }

    private static func killSwitch(_ run: RunState, programme: ProgrammeLedger) -> [String] {
        guard run.mode == .live else { return ["A dry run never turns the kill-switch on: it writes nothing."] }
        var lines: [String] = []
        if run.switchEnables.isEmpty {
            lines.append("Never enabled for this run.")
        } else {
            lines += MarkdownTable.lines(
                headings: ["Signer", "Provider", "Verdict", "Enabled at (UTC)"],
                rows: run.switchEnables.map { recorded in
                    [recorded.enable.by, recorded.enable.provider, SignatureAudit.verdict(recorded, in: run).label, utc(recorded.time)]
                })
        }
        let checks = LiveChecklist.checks(for: run, programme: programme)
        let fromJournal = LiveChecklist.readsTheJournal(run, programme: programme)
        let programmeLines = checks.count - 2
        lines += ["", "Checklist for LIVE (\(LiveChecklist.source(for: run, programme: programme)), then the lines evaluated from the run):", ""]
        lines += MarkdownTable.lines(
            headings: ["Check", "Met", "Source", "Why"],
            rows: checks.enumerated().map { index, check in
                [check.label, check.met ? "yes" : "NO", index < programmeLines ? (fromJournal ? "journal" : "pinned") : "evaluated", check.why]
            })
        return lines
    }

    private static func refusals(_ run: RunState) -> [String] {
        guard !run.refusals.isEmpty else { return ["None."] }
        return MarkdownTable.lines(
            headings: ["Event", "Time (UTC)", "Attempted", "By", "Code", "Why"],
            rows: run.refusals.map { [String($0.sequence), utc($0.time), $0.attempted, $0.actor, $0.code, $0.message] })
    }

    private static func journal(_ proof: JournalProof) -> [String] {
        let chain = switch proof.chain {
        case .intact(let count, let head): "verified intact at export: \(count) events, head \(head)"
        case .broken(let sequence, let reason): "BROKEN at event \(sequence) at export: \(reason)"
        }
        return [
            "- **Run events:** \(proof.runEvents), sequence \(proof.firstSequence) to \(proof.lastSequence)",
            "- **Chain:** \(MarkdownTable.escape(chain))",
            "- **Exported:** \(utc(proof.exportedAt))",
        ]
    }

    // MARK: - Values

    private static func section(_ title: String, _ body: [String]) -> [String] {
        ["", "## \(title)", ""] + body
    }

    private static func utc(_ milliseconds: Int64) -> String {
        JournalTime.utc(milliseconds) + " UTC"
    }

    /// When the statement says it was signed, or `-` when it does not say.
    private static func signedAt(_ statement: [String: JSONValue]) -> String {
        statement["signed_at_ms"]?.intValue.map(JournalTime.utc) ?? "-"
    }

    /// The first characters of a signature, enough to tell it apart and find it in the journal.
    private static func abbreviated(_ signature: String) -> String {
        signature.count > signaturePrefix ? String(signature.prefix(signaturePrefix)) + "…" : signature
    }
}
