import GatehouseCore

/// The documents a new context pack is seeded with.
///
/// The Constitution is signature critical (never cut LIVE under stub signing); the release
/// notes are small and harmless, the document to rehearse a first LIVE cut on.
public enum SampleDocuments {
    /// Every seeded document, ordered by id.
    public static let all: [TargetDocument] = [constitution, releaseNotes, rollbackRunbook].sorted { $0.id < $1.id }

    /// `constitution`: how the knowledge system governs itself, one article per unit.
    public static let constitution = document(
        id: "constitution", title: "The Constitution", signatureCritical: true,
        intro: "This Constitution governs the knowledge system: what may change it, who decides, and how every decision is recorded.",
        sections: [
            ("Article 1. Purpose", "The knowledge system keeps the documents a community relies on. It exists to keep them accurate, traceable and available."),
            ("Article 2. Supremacy", "This Constitution ranks above every other document in the system. A rule that contradicts it has no effect."),
            ("Article 3. Sovereigns", "A sovereign is a person named in the register of sovereigns. Only sovereigns may approve a change that reaches production."),
            ("Article 4. The register of sovereigns", "The register lists each sovereign with the key they sign with. Adding or removing a sovereign is an amendment."),
            ("Article 5. Sovereign gates", "A sovereign gate is a point in a run where work stops until a sovereign decides. No process may pass a gate on its own."),
            ("Article 6. Approvals", "An approval names the gate, the run and the digest of the candidates it covers. It approves that content and nothing else."),
            ("Article 7. Rejections", "A sovereign may reject at any gate without giving a reason. A rejected run ends, and its writes, if any, are rolled back."),
            ("Article 8. Signatures", "Every approval is signed with the sovereign's registered key. An unsigned or stub-signed approval is a rehearsal, not a decision."),
            ("Article 9. Signature-critical documents", "A document relied upon outside the system is signature critical. It is never changed under stub signing."),
            ("Article 10. Dry runs", "A dry run reads the target, computes every result and writes nothing. Anyone may start a dry run at any time."),
            ("Article 11. LIVE runs", "A LIVE run writes to the target. It may start only after a dry run of the same content has passed its gates."),
            ("Article 12. The kill-switch", "The kill-switch stops every LIVE write at once. While it is off, no mutating phase may start."),
            ("Article 13. Backups", "Before any LIVE write the target is backed up and the backup's digest is journaled. A write without a verified backup is forbidden."),
            ("Article 14. Restoration", "A restore returns the target to a journaled backup, byte for byte. It is recorded like any other change."),
            ("Article 15. The journal", "Every event of every run is appended to the journal and chained to the one before it by hash. The journal is never edited."),
            ("Article 16. Verification", "Anyone may verify the journal's chain at any time. A broken chain suspends all LIVE runs until the sovereigns have examined it."),
            ("Article 17. Idempotency", "Applying the same content twice changes nothing the second time. Each cut leaves a marker that proves it happened."),
            ("Article 18. Drift", "If the target changes between its snapshot and the write, the write is refused. The run must start again from a fresh snapshot."),
            ("Article 19. Amendments", "An amendment is proposed in writing, cut like any other document and approved at both sovereign gates. It takes effect when signed."),
            ("Article 20. Quorum for amendments", "An amendment needs the approval of a majority of the sovereigns in the register. Abstentions do not count toward the majority."),
            ("Article 21. Emergency measures", "In an emergency any sovereign may turn the kill-switch off. Turning it back on needs a second sovereign."),
            ("Article 22. Conflicts of interest", "A sovereign who proposed a change may not be the only one to approve it. The register records who proposed what."),
            ("Article 23. Transparency", "Runs, approvals and rejections are visible to every member. Only keys and credentials are kept secret."),
            ("Article 24. Retention", "Backups are kept for at least ninety days after the run that made them. The journal is kept for as long as the system exists."),
            ("Article 25. Review", "The sovereigns review this Constitution once a year. The review is journaled even when nothing changes."),
            ("Article 26. Interpretation", "Where this Constitution is unclear, the sovereigns decide by majority. Their reading is recorded and binds later readings."),
            ("Article 27. Continuity", "If every sovereign becomes unavailable, the system stays read only. Nothing is written until a new register is signed."),
        ])

    /// `release-notes-v0.6`: what changed in version 0.6; small, and safe to cut LIVE.
    public static let releaseNotes = document(
        id: "release-notes-v0.6", title: "Release notes v0.6", signatureCritical: false,
        intro: "Version 0.6 is a maintenance release. It changes no file formats and needs no migration.",
        sections: [
            ("Highlights", "The dashboard shows the state of the current run next to the gate board. Runs can be rehearsed end to end as dry runs."),
            ("Dashboard", "The gates tab lists macros and policy rules before the gaps, so it fits on an 80 by 24 terminal."),
            ("Journal", "Every run event is chained by hash. `gatehouse verify` reports the first event that does not match."),
            ("Context packs", "A new context pack is seeded with three sample documents to rehearse on."),
            ("Fixes", "Wide characters no longer shift the columns of the matrix. The mono theme is chosen when NO_COLOR is set."),
            ("Known issues", "Resizing the terminal during a run redraws the screen only after the next key press."),
            ("Upgrading", "Replace the binary. Existing journals and context packs are read as they are."),
        ])

    /// `rollback-runbook`: how to put a context pack back as it was before a LIVE run.
    public static let rollbackRunbook = document(
        id: "rollback-runbook", title: "Rollback runbook", signatureCritical: false,
        intro: "Follow these steps, in order, to restore a context pack from the backup a LIVE run took before it wrote.",
        sections: [
            ("When to roll back", "Roll back when a LIVE cut wrote content that must not stay, or when the pack fails verification after a run."),
            ("Who may roll back", "Any operator may restore a backup. A sovereign must be told before the restore and acknowledge it afterwards."),
            ("Stop further writes", "Turn the kill-switch off so that no LIVE run starts while you work. Dry runs may continue."),
            ("Find the run", "Look up the LIVE run that wrote the unwanted content on the dashboard or with `gatehouse verify`. Note its run id."),
            ("Find the backup", "The run's backup event in the journal gives the backup file's path and its SHA-256. Do not pick a backup by date alone."),
            ("Check the backup file", "Make sure the file exists and is readable. Do not open it with other tools: opening it for writing may change its bytes."),
            ("Keep a copy of the current pack", "Copy the current pack aside before restoring. It is the evidence of what the run did."),
            ("Restore", "Run the restore command with the run id:\n\n```\ngatehouse restore <run-id>\n```\n\nThe command checks the backup's SHA-256 against the journal and refuses a file that does not match."),
            ("If the restore is refused", "A refused restore changes nothing. Read the reason: a digest mismatch means the backup was altered or is not the one journaled."),
            ("Restoring by hand", "If the command cannot be used, the backup may be copied over the pack while no process has it open. Check the digest first."),
            ("Verify the pack", "Open the dashboard and compare the pack's snapshot with the pre-state the run journaled. The counts and the SHA-256 must match."),
            ("Verify the journal", "Run `gatehouse verify`. The restore must appear as an event and the chain must be intact."),
            ("Resume", "Turn the kill-switch back on only when both checks pass and a sovereign agrees."),
            ("Report", "Write down what went wrong, which run was rolled back and which backup was used. Attach the copy of the pack you kept."),
        ])

    /// A document made of a title, an introduction and one `##` section per entry.
    private static func document(id: String, title: String, signatureCritical: Bool, intro: String,
                                 sections: [(String, String)]) -> TargetDocument {
        let parts = ["# \(title)", intro] + sections.map { "## \($0.0)\n\n\($0.1)" }
        let body = parts.joined(separator: "\n\n") + "\n"
        return TargetDocument(id: id, title: title, signatureCritical: signatureCritical, body: body,
                              digest: DocumentCut.digest(of: body))
    }
}
