/// The phases a run walks through, in order.
///
/// The embedded ``productionCut`` plan drives the built-in context-pack target; a programme
/// may add plans whose phases are shell commands (a team's own deploy package) that pass
/// through the same sovereign gates.
public struct RunPlan: Sendable, Equatable, Codable {
    /// The plan's id, as `gatehouse run --plan` names it.
    public var id: String
    /// What the plan does, in a few words.
    public var title: String
    /// The phases, in order; ids are unique.
    public var phases: [PlanPhase]
    /// What must be true of where a command plan runs (host, user, repository, target),
    /// checked by its `identity_guards` phase and again before every phase that changes anything.
    public var identity: IdentityGuards?
    /// What a command plan digests as the host's state before it changes anything, checked
    /// again before every phase that does (abort-on-drift).
    public var preState: PreStateProbe?

    public init(id: String, title: String, phases: [PlanPhase], identity: IdentityGuards? = nil, preState: PreStateProbe? = nil) {
        self.id = id
        self.title = title
        self.phases = phases
        self.identity = identity
        self.preState = preState
    }

    /// The phase with this id, if the plan has one.
    public func phase(_ id: String) -> PlanPhase? { phases.first { $0.id == id } }
}

/// One step of a plan: built in, a shell command, or a sovereign gate.
public struct PlanPhase: Sendable, Equatable, Codable {
    /// Unique within the plan, such as `apply`.
    public var id: String
    /// What the screens show, such as `Apply candidates`.
    public var title: String
    /// What the phase does.
    public var action: PhaseAction
    /// Whether the phase may change the target. In a LIVE run such a phase starts only while
    /// the kill-switch is on for that run.
    public var mutates: Bool
    /// The command that undoes what the phase changed, for a command phase that has one.
    public var revert: ShellCommand?

    public init(id: String, title: String, action: PhaseAction, mutates: Bool, revert: ShellCommand? = nil) {
        self.id = id
        self.title = title
        self.action = action
        self.mutates = mutates
        self.revert = revert
    }

    /// The gate this phase waits at, if it is a sovereign gate.
    public var gate: String? {
        if case .gate(let id) = action { return id }
        return nil
    }
}

/// What a phase does when it runs.
public enum PhaseAction: Sendable, Equatable, Codable {
    /// A step of the built-in context-pack cut.
    case builtin(BuiltinStep)
    /// A shell command run with `/bin/sh -c`, killed after its timeout.
    case command(ShellCommand)
    /// A pause until a sovereign approves (or rejects) the gate with this id.
    case gate(String)
    /// A step of a command plan that the runner performs itself (guards, probe, local tag).
    case host(HostStep)
}

/// The steps of the built-in production cut of a context-pack document.
public enum BuiltinStep: String, Sendable, Equatable, CaseIterable, Codable {
    case identityGuards = "identity_guards"
    case preStateSnapshot = "pre_state_snapshot"
    case selectDocument = "select_document"
    case cutCandidates = "cut_candidates"
    case validate
    case backup
    case apply
    case verify
    case signAndCloseOut = "sign_and_close_out"
}

/// A shell command phase: the command line, where it runs, what it is given, how long it may
/// take, and the files it runs.
public struct ShellCommand: Sendable, Equatable, Codable {
    /// Run with `/bin/sh -c`, with `GATEHOUSE_MODE`, `GATEHOUSE_RUN` and `GATEHOUSE_PHASE` set.
    public var command: String
    /// After this many seconds the command's process group is terminated and the phase fails.
    public var timeoutSeconds: Int
    /// Where it starts, relative to the plan's folder (nil: the folder itself).
    public var directory: String?
    /// The variables it is given beyond the runner's own and the `GATEHOUSE_*` ones.
    public var environment: [String: String]
    /// Variables whose values are paths relative to the plan's folder, as a programme file
    /// writes them; building the plan's package moves them into ``environment``, absolute.
    public var paths: [String: String]
    /// The files it runs or reads, relative to the plan's folder: hashed into a package and
    /// hashed again right before the command starts.
    public var files: [String]

    public init(command: String, timeoutSeconds: Int, directory: String? = nil, environment: [String: String] = [:],
                paths: [String: String] = [:], files: [String] = []) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
        self.directory = directory
        self.environment = environment
        self.paths = paths
        self.files = files
    }
}

extension RunPlan {
    /// The id of the embedded plan.
    public static let productionCutID = "production-cut"

    /// The seed's production cut in eleven phases, over the embedded context-pack target.
    public static let productionCut = RunPlan(
        id: productionCutID,
        title: "Production cut of one context-pack document",
        phases: [
            PlanPhase(id: "identity_guards", title: "Identity guards", action: .builtin(.identityGuards), mutates: false),
            PlanPhase(id: "pre_state_snapshot", title: "Pre-state snapshot", action: .builtin(.preStateSnapshot), mutates: false),
            PlanPhase(id: "select_document", title: "Select document (policy checks)", action: .builtin(.selectDocument), mutates: false),
            PlanPhase(id: "cut_candidates", title: "Cut candidates", action: .builtin(.cutCandidates), mutates: false),
            PlanPhase(id: "validate", title: "Validate candidates", action: .builtin(.validate), mutates: false),
            PlanPhase(id: "SG_1", title: "Sovereign gate SG_1", action: .gate("SG_1"), mutates: false),
            PlanPhase(id: "backup", title: "Backup", action: .builtin(.backup), mutates: true),
            PlanPhase(id: "apply", title: "Apply", action: .builtin(.apply), mutates: true),
            PlanPhase(id: "verify", title: "Verify", action: .builtin(.verify), mutates: false),
            PlanPhase(id: "SG_2", title: "Sovereign gate SG_2", action: .gate("SG_2"), mutates: false),
            PlanPhase(id: "sign_and_close_out", title: "Sign and close out", action: .builtin(.signAndCloseOut), mutates: false),
        ])
}
