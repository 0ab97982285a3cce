/// A run's package as `run.started` pins it: the digest every decision binds, where it was
/// read from, and the files its phases run, by SHA-256.
public struct PackagePin: Sendable, Equatable, Codable {
    /// The package's digest (``CommandPackage/digest``).
    public var digest: String
    /// The package file the run was started from; nil when the plan was packaged from the
    /// programme's folder as the run started (`gatehouse run --plan`).
    public var source: String?
    /// The files, relative to the run's folder.
    public var files: [PackagedFile]

    public init(digest: String, source: String?, files: [PackagedFile]) {
        self.digest = digest
        self.source = source
        self.files = files
    }

    /// The pin of `package`, read from `source`.
    public init(_ package: CommandPackage, source: String?) {
        self.init(digest: package.digest, source: source, files: package.files)
    }

    /// The pinned file at `path`.
    public func file(_ path: String) -> PackagedFile? {
        files.first { $0.path == path }
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["digest": .string(digest), "files": .array(files.map(\.json))]
        if let source { members["source"] = .string(source) }
        return .object(members)
    }

    public init?(json: JSONValue) {
        guard let digest = json["digest"]?.stringValue, let items = json["files"]?.arrayValue else { return nil }
        let files = items.compactMap(PackagedFile.init(json:))
        guard files.count == items.count else { return nil }
        let source = json["source"]
        guard source == nil || source?.stringValue != nil else { return nil }
        self.init(digest: digest, source: source?.stringValue, files: files)
    }
}
