import GatehouseCore
import GatehouseEngine

extension TargetAddress {
    /// Puts `run`'s backup `file` (journaled SHA-256 `sha256`) back over this target, as
    /// `gatehouse restore` and the dashboard's restore do; returns the target's content
    /// SHA-256 after it.
    ///
    /// The backup proves itself first: its file's SHA-256, then a drill of what it holds
    /// against the run's pre-state; only then is it decrypted (when encrypted) and written.
    /// - Parameter step: told what is being done, for a progress line.
    /// - Throws: ``TargetError`` (a backup that does not prove itself: nothing written), the
    ///   target's and gpg's errors.
    func putBack(_ run: RunState, file: String, sha256: String, step: (String) -> Void = { _ in }) throws -> String {
        step("checking \(file): its SHA-256, then what it holds")
        let content = try drill(backupPath: file, sha256: sha256)
        guard content == run.facts.preStateSHA else {
            throw TargetError.badBackup(path: file, reason: "it holds content SHA-256 \(content), not the run's pre-state \(run.facts.preStateSHA ?? "(none recorded)"); it was not put back")
        }
        step("putting \(description) back from \(file)")
        try GnuPG.restoring(file, sha256: sha256) { plain, plainSHA in
            try restore(backupPath: plain, expectedSHA256: plainSHA)
        }
        return try open(readOnly: true).snapshot().sha256
    }
}
