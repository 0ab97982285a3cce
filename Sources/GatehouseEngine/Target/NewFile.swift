import Foundation

/// Puts a new file in place only when complete, and never over an existing one: a crash
/// leaves either no file or the whole file (packs, backups, restores).
public enum NewFile {
    /// A fresh path in the directory of `path`, for building a file before it is put in place;
    /// folders that are not there yet are made 0700 (those that are keep their mode).
    public static func temporaryPath(beside path: String, purpose: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return directory.appendingPathComponent(".\(url.lastPathComponent).\(purpose)-\(UUID().uuidString)").path
    }

    /// Writes `text` as a new file at `path` (0600), complete or not at all; a file already
    /// there is replaced only by a write of the same path (a phase run again).
    public static func write(_ text: String, to path: String) throws {
        let temporary = try temporaryPath(beside: path, purpose: "write")
        defer { unlink(temporary) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard chmod(temporary, 0o600) == 0, rename(temporary, path) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// Moves the complete file `temporary` to `path` unless something is there; false if it is.
    ///
    /// A hard link never replaces an existing file; file systems without hard links fall back
    /// to a rename after a check. The directory is synced so the new name survives a crash.
    public static func place(_ temporary: String, at path: String) throws -> Bool {
        if link(temporary, path) == 0 {
            unlink(temporary)
        } else {
            let code = errno
            if code == EEXIST || FileManager.default.fileExists(atPath: path) { return false }
            guard rename(temporary, path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        }
        let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY)
        if directory >= 0 {
            _ = fsync(directory)
            _ = close(directory)
        }
        return true
    }
}
