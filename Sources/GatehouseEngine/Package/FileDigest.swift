import Crypto
import Foundation
import GatehouseCore

/// SHA-256 of a file's bytes, read in pieces so that a large file costs no more memory than a
/// small one.
package enum FileDigest {
    /// Bytes read at a time.
    static let pieceSize = 1 << 20

    /// The file's SHA-256 in lower-case hex and its size; `progress` is told the bytes read so far.
    /// - Throws: when the file cannot be opened or read, saying which.
    package static func sha256(of path: String, progress: (Int64) -> Void = { _ in }) throws -> (sha256: String, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileDigestError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            let piece: Data
            do { piece = try handle.read(upToCount: pieceSize) ?? Data() } catch {
                throw FileDigestError(description: "cannot read \(path): \(error.localizedDescription)")
            }
            if piece.isEmpty { break }
            hasher.update(data: piece)
            size += Int64(piece.count)
            progress(size)
        }
        return (sha256Hex(digest: hasher.finalize()), size)
    }
}

/// A file that could not be read for its digest.
package struct FileDigestError: Error, CustomStringConvertible {
    package var description: String
}
