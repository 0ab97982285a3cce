import Foundation
import GatehouseCore

/// A backup a LIVE run took before its apply, and what it was found to hold.
public struct TakenBackup: Sendable, Equatable {
    /// The file as it is kept: ciphertext when it was encrypted.
    public var record: BackupRecord
    /// The content SHA-256 of what it holds, computed as the target's snapshot computes it; nil
    /// where the target cannot read a backup back.
    public var contentSHA256: String?

    public init(record: BackupRecord, contentSHA256: String?) {
        self.record = record
        self.contentSHA256 = contentSHA256
    }
}

extension CutTarget {
    /// A plain backup read back; or one taken into a private directory, read there, encrypted
    /// beside it to `recipients` and removed.
    public func takeBackup(to path: String, encryptingTo recipients: [String]) throws -> TakenBackup {
        guard !recipients.isEmpty else {
            let record = try backup(to: path)
            return TakenBackup(record: record, contentSHA256: try contentSHA256(of: record))
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw TargetError.badBackup(path: path, reason: "a file already exists there and a backup never overwrites one; choose a new path")
        }
        let directory = try GnuPG.privateDirectory(beside: path)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let name = URL(fileURLWithPath: path.hasSuffix(".gpg") ? String(path.dropLast(4)) : path).lastPathComponent
        let plain = try backup(to: directory + "/" + name)
        let content = try contentSHA256(of: plain)
        try GnuPG.encrypt(plain.path, to: path, recipients: recipients)
        let (sha256, bytes) = try FileDigest.sha256(of: path)
        return TakenBackup(record: BackupRecord(path: path, sha256: sha256, bytes: bytes), contentSHA256: content)
    }
}
