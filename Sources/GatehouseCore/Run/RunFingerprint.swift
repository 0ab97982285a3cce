/// Where a run ran and with what: the host, the system, the gatehouse build, and the kinds of
/// journal and target, as `run.started` records them.
///
/// With the programme, plan and package digests the start already carries, it is what two runs
/// on two hosts are compared by before their phases are (``RunParity``).
public struct RunFingerprint: Sendable, Equatable, Codable {
    /// The host's name, as the runner's host reported it.
    public var host: String
    /// The user the runner ran as.
    public var user: String
    /// The operating system, such as `Debian GNU/Linux 12 (bookworm)`.
    public var system: String
    /// The kernel: name, release and machine, such as `Linux 6.1.0-18-amd64 x86_64`.
    public var kernel: String
    /// The gatehouse version that ran it.
    public var version: String
    /// The commit that build was made from (`unknown` outside a git checkout).
    public var commit: String
    /// Whether the checkout differed from `commit` when it was built.
    public var modified: Bool
    /// The kind of journal the run was journaled in: `sqlite` or `postgresql`.
    public var journal: String
    /// The kind of target it worked on (`sqlite`, `postgresql`); nil for a plan with none.
    public var target: String?

    public init(host: String, user: String, system: String, kernel: String, version: String, commit: String,
                modified: Bool, journal: String, target: String?) {
        self.host = host
        self.user = user
        self.system = system
        self.kernel = kernel
        self.version = version
        self.commit = commit
        self.modified = modified
        self.journal = journal
        self.target = target
    }

    /// The build as one line: `0.1.0 (1e315a8c0d2f)`, `0.1.0 (1e315a8c0d2f, with local changes)`.
    public var build: String {
        let commitText = commit == "unknown" ? "commit unknown" : String(commit.prefix(12))
        return "\(version) (\(commitText)\(modified ? ", with local changes" : ""))"
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "host": .string(host), "user": .string(user), "system": .string(system), "kernel": .string(kernel),
            "version": .string(version), "commit": .string(commit), "modified": .bool(modified),
            "journal": .string(journal),
        ]
        if let target { members["target"] = .string(target) }
        return .object(members)
    }

    /// The fingerprint `json` records, or nil when a member is missing or of the wrong type.
    public init?(json: JSONValue) {
        guard let host = json["host"]?.stringValue, let user = json["user"]?.stringValue,
              let system = json["system"]?.stringValue, let kernel = json["kernel"]?.stringValue,
              let version = json["version"]?.stringValue, let commit = json["commit"]?.stringValue,
              let modified = json["modified"]?.boolValue, let journal = json["journal"]?.stringValue else { return nil }
        let target = json["target"]
        guard target == nil || target?.stringValue != nil else { return nil }
        self.init(host: host, user: user, system: system, kernel: kernel, version: version, commit: commit,
                  modified: modified, journal: journal, target: target?.stringValue)
    }
}

extension RunStart {
    /// The SHA-256 of the plan the run follows, over its canonical JSON as `run.started` records
    /// it: two runs of the same plan have the same digest on any host.
    public var planDigest: String {
        sha256Hex("gatehouse-plan-v1\n" + plan.json.canonical)
    }
}
