/// The rollback runbook of a LIVE run: the exact steps to put its target back from the backup
/// its backup phase took, written beside that backup before the apply (`RUN-N.runbook.md`), its
/// SHA-256 journaled (`runbook_sha256`).
public enum RollbackRunbook {
    /// What a runbook is written from: the run as its backup phase sees it, and the backup.
    public struct Backup: Sendable, Equatable {
        public var path: String
        public var sha256: String
        public var bytes: Int64
        /// The content SHA-256 it was read back as before the apply (nil: not read back).
        public var contentSHA256: String?
        /// The OpenPGP keys it is encrypted to (empty: a plain file).
        public var recipients: [String]

        public init(path: String, sha256: String, bytes: Int64, contentSHA256: String?, recipients: [String]) {
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
            self.contentSHA256 = contentSHA256
            self.recipients = recipients
        }
    }

    /// The runbook of `run` (LIVE, at its backup phase) for `backup` of its target `target`,
    /// whose kind is `targetKind` (`sqlite`, `postgresql`), written at `time` (ms since 1970).
    public static func markdown(_ run: RunState, backup: Backup, target: String, targetKind: String, time: Int64) -> String {
        let short = run.shortID
        let pre = run.facts.preStateSHA ?? "(none recorded)"
        let counts = run.facts.preCounts.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") } ?? "not recorded"
        let encrypted = !backup.recipients.isEmpty
        var lines = [
            "# Rollback runbook: run \(run.id)",
            "",
            "LIVE \(run.start.plan.id)\(run.start.document.map { " of \($0)" } ?? ""), started by \(run.start.operatorName). Written by its backup "
                + "phase at \(JournalTime.utc(time)) UTC, before anything was applied. Its SHA-256 is journaled with the run "
                + "(`runbook_sha256`, shown by `gatehouse status \(short)`): a copy that does not match was changed.",
            "",
            "## What it puts back",
            "",
            "- Target: `\(target)` (\(targetKind)\(run.facts.targetID.map { ", pack \($0)" } ?? ""))",
            "- Pre-state: \(counts); content SHA-256 `\(pre)`",
            "- Backup: `\(backup.path)`, \(backup.bytes) bytes, file SHA-256 `\(backup.sha256)`"
                + (backup.contentSHA256.map { "; read back before the apply as content SHA-256 `\($0)`" } ?? ""),
            encrypted
                ? "- Encrypted with OpenPGP to: " + backup.recipients.map { "`\($0)`" }.joined(separator: ", ")
                    + ". Only a holder of one of these secret keys can decrypt it: run the steps with that keyring (`GNUPGHOME`)."
                : "- Not encrypted (mode 0600): anyone who can read the file can read the target as it was.",
            "",
            "## Steps",
            "",
            "1. Make sure nothing writes meanwhile: `gatehouse killswitch status` must say OFF, and `gatehouse status \(short)` that "
                + "the run has ended (if it has not: `gatehouse abort \(short) --reason \"rolling back\"`).",
            "2. Check the backup file: `sha256sum \(backup.path)` must print `\(backup.sha256)`.",
            "3. Drill it: `gatehouse restore \(short) --drill` must say `passed: the backup holds the pre-state (SHA-256 \(pre.prefix(12))…)`"
                + (targetKind == "sqlite" ? "." : " (it restores the dump into a scratch database beside the pack's, so the pack's owner needs CREATEDB)."),
            "4. Restore, as a sovereign of the run: `gatehouse restore \(short) --as SOVEREIGN --confirm 'RESTORE \(short)'` "
                + "(with `--key FILE` for an ed25519 sovereign). It signs the decision, drills the backup again (its SHA-256, then what it holds)\(encrypted ? ", decrypts it into a private directory" : ""), "
                + "puts the target back in one transaction and journals `target.restored` with the decision.",
            "5. Check the result: step 4 prints the target's content SHA-256 after the restore; it must be `\(pre)`.",
            "",
            "## By hand, without gatehouse",
            "",
        ]
        let plain = encrypted ? "PLAIN" : backup.path
        if encrypted {
            lines.append("Decrypt into a directory only you can read: `mkdir -m 700 /tmp/rollback && gpg --decrypt --output /tmp/rollback/\(targetKind == "sqlite" ? "pack.sqlite" : "pack.dump") \(backup.path)`; below, PLAIN is that file.")
            lines.append("")
        }
        if targetKind == "sqlite" {
            lines.append("Stop every gatehouse process using the target, move `\(target)` and any `\(target)-wal`, `\(target)-shm` aside, then "
                         + "`cp \(encrypted ? "/tmp/rollback/pack.sqlite" : plain) \(target) && chmod 600 \(target)`.")
        } else {
            lines.append("`pg_restore --clean --if-exists --single-transaction --exit-on-error --dbname='\(target)' \(encrypted ? "/tmp/rollback/pack.dump" : plain)` "
                         + "as the pack's owner (password in `PGPASSWORD` or `~/.pgpass`).")
        }
        if encrypted { lines += ["", "Then remove the plain copy: `rm -r /tmp/rollback`."] }
        return lines.joined(separator: "\n") + "\n"
    }
}
