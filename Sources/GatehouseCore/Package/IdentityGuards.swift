/// What must be true of the place a command plan runs: the host, the user, a repository at a
/// pinned commit (and a tag on it), the target's id. Each is optional; what is declared is
/// checked by the plan's `identity_guards` phase and again right before every phase that
/// changes anything.
public struct IdentityGuards: Sendable, Equatable, Codable {
    /// The host name the run must be on (`uname -n`).
    public var host: String?
    /// The user the runner must run as.
    public var user: String?
    /// A repository whose HEAD must be a commit.
    public var repository: RepositoryGuard?
    /// A file on the host that must name the target.
    public var target: TargetGuard?

    public init(host: String? = nil, user: String? = nil, repository: RepositoryGuard? = nil, target: TargetGuard? = nil) {
        self.host = host
        self.user = user
        self.repository = repository
        self.target = target
    }

    /// Whether nothing is declared.
    public var isEmpty: Bool { host == nil && user == nil && repository == nil && target == nil }
}

/// A git repository the run is bound to.
public struct RepositoryGuard: Sendable, Equatable, Codable {
    /// The repository's folder: absolute in a package (a relative one in a programme file is
    /// relative to the file's folder).
    public var path: String
    /// The commit HEAD must be: a full SHA in a package; in a programme file at least seven hex
    /// digits, or nil to pin the HEAD the package is built at.
    public var commit: String?
    /// A tag that must point at the commit (checked after the plan's own tag step creates it,
    /// when the plan has one for this name).
    public var tag: String?

    public init(path: String, commit: String?, tag: String? = nil) {
        self.path = path
        self.commit = commit
        self.tag = tag
    }
}

/// The target a run is bound to: a file on the host whose first line is the target's id.
public struct TargetGuard: Sendable, Equatable, Codable {
    /// The id the file must hold.
    public var id: String
    /// The file (absolute in a package).
    public var file: String

    public init(id: String, file: String) {
        self.id = id
        self.file = file
    }
}
