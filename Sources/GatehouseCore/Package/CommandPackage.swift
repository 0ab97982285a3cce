/// A command-review package: one run plan of shell commands with everything a reviewer must
/// see and a runner must hold to, bound to one programme and sealed by one digest.
///
/// It holds each phase in order with its exact command line, working directory, environment,
/// timeout, whether it changes the host and its revert; the identity the run must find and the
/// pre-state probe; and the SHA-256 and size of every file a phase runs. The files' bytes travel
/// beside it in the package file (``PackageArchive``). The digest covers all of it: a byte of a
/// script, a letter of a command or a guard changed gives another digest.
public struct CommandPackage: Sendable, Equatable {
    /// The format's name, the first line of what the digest covers.
    public static let format = "gatehouse-package-v1"

    /// The programme the package was built from: its id and the SHA-256 of its file.
    public var programmeID: String
    public var programmeDigest: String
    /// The plan, with every path the host is checked at made absolute.
    public var plan: RunPlan
    /// The files the phases run, by path relative to the plan's folder, sorted and unique.
    public var files: [PackagedFile]

    public init(programmeID: String, programmeDigest: String, plan: RunPlan, files: [PackagedFile]) {
        self.programmeID = programmeID
        self.programmeDigest = programmeDigest
        self.plan = plan
        self.files = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The package's contents as one JSON object, without its digest (what the digest covers).
    public var manifest: JSONValue {
        .object([
            "format": .string(Self.format),
            "programme": .object(["id": .string(programmeID), "digest": .string(programmeDigest)]),
            "plan": plan.json,
            "files": .array(files.map(\.json)),
        ])
    }

    /// SHA-256 over the format line and the manifest's canonical JSON.
    public var digest: String {
        sha256Hex(bytes: Array((Self.format + "\n").utf8) + manifest.canonicalBytes)
    }

    /// The file at `path`, if the package carries it.
    public func file(_ path: String) -> PackagedFile? {
        files.first { $0.path == path }
    }

    /// The command phases in order, each with the files it runs (and its revert's).
    public var commandPhases: [(phase: PlanPhase, command: ShellCommand)] {
        plan.phases.compactMap { phase in
            if case .command(let command) = phase.action { return (phase, command) }
            return nil
        }
    }
}

/// A file a package carries.
public struct PackagedFile: Sendable, Equatable, Codable {
    /// Relative to the plan's folder, with `/` between names and no `.` or `..`.
    public var path: String
    public var size: Int64
    public var sha256: String
    /// Whether it is written out executable.
    public var executable: Bool

    public init(path: String, size: Int64, sha256: String, executable: Bool) {
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.executable = executable
    }

    /// The file as the manifest lists it.
    public var json: JSONValue {
        .object(["path": .string(path), "size": .int(size), "sha256": .string(sha256), "executable": .bool(executable)])
    }

    /// The file a manifest entry lists, or nil.
    public init?(json: JSONValue) {
        guard let path = json["path"]?.stringValue, let size = json["size"]?.intValue,
              let sha = json["sha256"]?.stringValue, let executable = json["executable"]?.boolValue else { return nil }
        self.init(path: path, size: size, sha256: sha, executable: executable)
    }

    /// Whether `path` is one a package may carry: relative, names separated by `/`, none of them
    /// empty, `.` or `..`, and nothing that is not printable.
    public static func isCarriable(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        let names = path.split(separator: "/", omittingEmptySubsequences: false)
        return names.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
            && path.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
    }
}

/// Why a package cannot be read or does not hold.
public enum PackageError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a package file (what is wrong, where).
    case malformed(String)
    /// The digest the package states is not the digest of what it holds.
    case digestMismatch(stated: String, computed: String)
    /// A file's bytes are not the bytes the manifest lists.
    case fileMismatch(path: String, expected: String, found: String)
    /// A file the manifest lists is missing, or one it does not list is there.
    case fileMissing(String)
    case fileUnlisted(String)

    public var description: String {
        switch self {
        case .malformed(let what):
            "not a Gatehouse package: \(what); build one with `gatehouse package build`"
        case .digestMismatch(let stated, let computed):
            "the package states digest \(stated) but what it holds digests to \(computed): it was changed after it was built; build it again and have it reviewed"
        case .fileMismatch(let path, let expected, let found):
            "the package's file \(path) has SHA-256 \(found), not the \(expected) its manifest lists: it was changed after it was built"
        case .fileMissing(let path):
            "the package lists \(path) but does not carry it"
        case .fileUnlisted(let path):
            "the package carries \(path), which its manifest does not list"
        }
    }
}
