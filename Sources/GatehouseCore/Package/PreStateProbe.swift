/// How a command plan reads the state of the host it is about to change, as one digest: the
/// output of a command, or the contents of a file tree.
///
/// The digest is taken before SG_1 and again right before every phase that changes anything;
/// a difference from what the run last left (drift) fails the run with nothing run.
public enum PreStateProbe: Sendable, Equatable, Codable {
    /// A command run with `/bin/sh -c` in the plan's folder; its standard output is digested.
    case command(String)
    /// A folder (absolute in a package): every file's path, mode and SHA-256 are digested.
    case tree(String)
}

/// What a probe read: the digest, and enough of what it covers to say what differs.
public struct PreStateReading: Sendable, Equatable, Codable {
    /// SHA-256 over what was read.
    public var digest: String
    /// A tree's files: relative path to `mode sha256` (nil for a command, or a tree too large to list).
    public var files: [String: String]?
    /// A command's output, when it is short enough to keep.
    public var output: String?

    public init(digest: String, files: [String: String]? = nil, output: String? = nil) {
        self.digest = digest
        self.files = files
        self.output = output
    }

    /// Most files a reading lists; a larger tree is kept as its digest alone.
    public static let listedFiles = 2_000
    /// Most bytes of output a reading keeps.
    public static let keptOutput = 16 * 1024

    /// What differs between `self` (what the run expected) and `found`, in a sentence; nil when
    /// the digests are equal.
    public func drift(to found: PreStateReading) -> String? {
        guard digest != found.digest else { return nil }
        let expected = "expected \(digest.prefix(12))…, found \(found.digest.prefix(12))…"
        if let before = files, let after = found.files {
            let added = after.keys.filter { before[$0] == nil }.sorted()
            let removed = before.keys.filter { after[$0] == nil }.sorted()
            let changed = before.keys.filter { after[$0] != nil && after[$0] != before[$0] }.sorted()
            var parts: [String] = []
            if !changed.isEmpty { parts.append("changed " + Self.list(changed)) }
            if !added.isEmpty { parts.append("added " + Self.list(added)) }
            if !removed.isEmpty { parts.append("removed " + Self.list(removed)) }
            return "the tree differs (\(expected)): " + parts.joined(separator: "; ")
        }
        if let before = output, let after = found.output {
            let old = before.split(separator: "\n", omittingEmptySubsequences: false)
            let new = after.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
            let was = line < old.count ? "'\(old[line])'" : "nothing"
            let now = line < new.count ? "'\(new[line])'" : "nothing"
            return "the probe's output differs (\(expected)): line \(line + 1) was \(was), is \(now)"
        }
        return "the state differs (\(expected))"
    }

    private static func list(_ paths: [String]) -> String {
        paths.count <= 5 ? paths.joined(separator: ", ") : paths.prefix(5).joined(separator: ", ") + " and \(paths.count - 5) more"
    }
}
