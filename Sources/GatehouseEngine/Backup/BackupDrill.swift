import Foundation
import GatehouseCore

/// A restore drill of an SQLite backup: its file checked against the SHA-256 journaled,
/// decrypted (or copied) into a private directory, read there as a pack; nothing else touched.
public enum BackupDrill {
    /// The content SHA-256 the backup `file` (journaled SHA-256 `sha256`) holds, as a pack's
    /// snapshot computes it.
    public static func contentSHA256(of file: String, sha256: String) throws -> String {
        guard FileManager.default.fileExists(atPath: file) else {
            throw TargetError.badBackup(path: file, reason: "no such file; find the path in the run's backup event in the journal")
        }
        return try GnuPG.restoring(file, sha256: sha256) { plain, _ in
            // An encrypted backup's ciphertext was checked before it was decrypted; a plain one here.
            if !file.hasSuffix(".gpg"), case let found = try FileDigest.sha256(of: plain).sha256, found != sha256 {
                throw TargetError.badBackup(path: file, reason: "its SHA-256 is \(found) but \(sha256) was recorded; it was altered or is another backup")
            }
            // A scratch copy, so that reading it leaves nothing beside the backup.
            let directory = try GnuPG.privateDirectory(beside: plain)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let scratch = directory + "/drill.sqlite"
            try FileManager.default.copyItem(atPath: plain, toPath: scratch)
            return try SQLiteContextPack(path: scratch, readOnly: true).snapshot().sha256
        }
    }
}
