/// A step of a command plan the runner performs itself rather than through a shell.
public enum HostStep: Sendable, Equatable, Codable {
    /// Checks the plan's ``IdentityGuards``.
    case identityGuards
    /// Reads the plan's ``PreStateProbe`` and records it as the state the run starts from.
    case preState
    /// Creates a local annotated git tag (OPT-1).
    case tag(LocalTag)

    /// The step's name as journaled and shown.
    public var name: String {
        switch self {
        case .identityGuards: "identity_guards"
        case .preState: "pre_state"
        case .tag: "tag"
        }
    }
}

/// A local annotated tag at the commit the plan's repository guard pins: never pushed; the
/// same tag at the same commit is success, the name at another commit a failure; undone by
/// `git tag -d`.
public struct LocalTag: Sendable, Equatable, Codable {
    /// The tag's name, such as `v0.6.0-O4-live-dryrun`.
    public var name: String
    /// The tag's message (the runner adds the run and the programme).
    public var message: String

    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }
}
