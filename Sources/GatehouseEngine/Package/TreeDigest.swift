import Foundation
import GatehouseCore

/// The contents of a file tree as one digest: every entry's path, kind, mode and SHA-256 (a
/// link's target), sorted by path, so that any byte, name, mode or link changed anywhere
/// under it gives another digest. A folder that is not there reads as its own state.
package enum TreeDigest {
    /// What the tree at `path` holds now.
    /// - Throws: when an entry cannot be read.
    package static func read(_ path: String) throws -> PreStateReading {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return PreStateReading(digest: sha256Hex("gatehouse-tree-v1\nabsent\n"), files: [:])
        }
        guard isFolder.boolValue else { throw FileDigestError(description: "\(path) is not a folder") }
        var entries: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw FileDigestError(description: "cannot list \(path)")
        }
        while let name = walker.nextObject() as? String {
            let full = path + "/" + name
            var attributes = stat()
            guard lstat(full, &attributes) == 0 else { throw FileDigestError(description: "cannot read \(full)") }
            let mode = String(attributes.st_mode & 0o7777, radix: 8)
            switch attributes.st_mode & S_IFMT {
            case S_IFREG: entries[name] = "file \(mode) \(try FileDigest.sha256(of: full).sha256)"
            case S_IFDIR: entries[name] = "folder \(mode)"
            case S_IFLNK: entries[name] = "link " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")
            default: entries[name] = "other \(mode)"
            }
        }
        var text = "gatehouse-tree-v1\n"
        for name in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            text += name + "\u{0}" + entries[name]! + "\n"
        }
        return PreStateReading(digest: sha256Hex(text), files: entries.count <= PreStateReading.listedFiles ? entries : nil)
    }
}
