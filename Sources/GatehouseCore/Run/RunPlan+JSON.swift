/// A plan as journaled in its run's `run.started` event, so a resumed run walks the same phases
/// even if the programme file changed since.
extension RunPlan {
    /// The plan as a JSON value.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "title": .string(title),
            "phases": .array(phases.map(\.json)),
        ]
        if let identity { members["identity"] = identity.json }
        if let preState { members["pre_state"] = preState.json }
        return .object(members)
    }

    /// The plan a `json` value describes, or nil if it is not one.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let title = json["title"]?.stringValue,
              let items = json["phases"]?.arrayValue else { return nil }
        var phases: [PlanPhase] = []
        for item in items {
            guard let phase = PlanPhase(json: item) else { return nil }
            phases.append(phase)
        }
        var identity: IdentityGuards?
        if let value = json["identity"] {
            guard let guards = IdentityGuards(json: value) else { return nil }
            identity = guards
        }
        var preState: PreStateProbe?
        if let value = json["pre_state"] {
            guard let probe = PreStateProbe(json: value) else { return nil }
            preState = probe
        }
        self.init(id: id, title: title, phases: phases, identity: identity, preState: preState)
    }
}

extension PlanPhase {
    /// The phase as a JSON value.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "title": .string(title), "mutates": .bool(mutates),
        ]
        switch action {
        case .builtin(let step): members["builtin"] = .string(step.rawValue)
        case .command(let command):
            members.merge(command.json) { _, new in new }
        case .gate(let gate): members["gate"] = .string(gate)
        case .host(let step):
            members["host_step"] = .string(step.name)
            if case .tag(let tag) = step { members["tag"] = .object(["name": .string(tag.name), "message": .string(tag.message)]) }
        }
        if let revert { members["revert"] = .object(revert.json) }
        return .object(members)
    }

    /// The phase a `json` value describes, or nil if it is not one.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let title = json["title"]?.stringValue,
              let mutates = json["mutates"]?.boolValue else { return nil }
        let action: PhaseAction
        if let step = json["builtin"]?.stringValue.flatMap(BuiltinStep.init(rawValue:)) {
            action = .builtin(step)
        } else if json["run"] != nil {
            guard let command = ShellCommand(json: json) else { return nil }
            action = .command(command)
        } else if let gate = json["gate"]?.stringValue {
            action = .gate(gate)
        } else if let step = json["host_step"]?.stringValue {
            switch step {
            case "identity_guards": action = .host(.identityGuards)
            case "pre_state": action = .host(.preState)
            case "tag":
                guard let name = json["tag"]?["name"]?.stringValue, let message = json["tag"]?["message"]?.stringValue else { return nil }
                action = .host(.tag(LocalTag(name: name, message: message)))
            default: return nil
            }
        } else {
            return nil
        }
        var revert: ShellCommand?
        if let value = json["revert"] {
            guard let command = ShellCommand(json: value) else { return nil }
            revert = command
        }
        self.init(id: id, title: title, action: action, mutates: mutates, revert: revert)
    }
}

extension ShellCommand {
    /// The command's members: `run` and `timeout_s`, with `directory`, `environment` and
    /// `files` when it has them (a plan journaled before they existed reads back as it was).
    public var json: [String: JSONValue] {
        var members: [String: JSONValue] = ["run": .string(command), "timeout_s": .int(Int64(timeoutSeconds))]
        if let directory { members["directory"] = .string(directory) }
        if !environment.isEmpty { members["environment"] = .object(environment.mapValues(JSONValue.string)) }
        if !paths.isEmpty { members["paths"] = .object(paths.mapValues(JSONValue.string)) }
        if !files.isEmpty { members["files"] = .array(files.map(JSONValue.string)) }
        return members
    }

    /// The command whose members `json` holds, or nil if it holds none.
    public init?(json: JSONValue) {
        guard let command = json["run"]?.stringValue, let timeout = json["timeout_s"]?.intValue,
              let seconds = Int(exactly: timeout) else { return nil }
        guard let environment = Self.variables(json["environment"]), let paths = Self.variables(json["paths"]) else { return nil }
        var files: [String] = []
        if let list = json["files"] {
            guard let items = list.arrayValue else { return nil }
            for item in items {
                guard let path = item.stringValue else { return nil }
                files.append(path)
            }
        }
        let directory = json["directory"]
        if directory != nil && directory?.stringValue == nil { return nil }
        self.init(command: command, timeoutSeconds: seconds, directory: directory?.stringValue,
                  environment: environment, paths: paths, files: files)
    }

    /// Names to texts, from an object of strings (none when absent); nil when it is not one.
    private static func variables(_ value: JSONValue?) -> [String: String]? {
        guard let value else { return [:] }
        guard let object = value.objectValue else { return nil }
        var variables: [String: String] = [:]
        for (name, item) in object {
            guard let text = item.stringValue else { return nil }
            variables[name] = text
        }
        return variables
    }
}

extension IdentityGuards {
    /// The guards as journaled.
    public var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let host { members["host"] = .string(host) }
        if let user { members["user"] = .string(user) }
        if let repository {
            var repo: [String: JSONValue] = ["path": .string(repository.path)]
            if let commit = repository.commit { repo["commit"] = .string(commit) }
            if let tag = repository.tag { repo["tag"] = .string(tag) }
            members["repository"] = .object(repo)
        }
        if let target { members["target"] = .object(["id": .string(target.id), "file": .string(target.file)]) }
        return .object(members)
    }

    /// The guards `json` describes, or nil if it is not an object of them.
    public init?(json: JSONValue) {
        guard json.objectValue != nil else { return nil }
        self.init(host: json["host"]?.stringValue, user: json["user"]?.stringValue)
        if let repo = json["repository"] {
            guard let path = repo["path"]?.stringValue else { return nil }
            repository = RepositoryGuard(path: path, commit: repo["commit"]?.stringValue, tag: repo["tag"]?.stringValue)
        }
        if let value = json["target"] {
            guard let id = value["id"]?.stringValue, let file = value["file"]?.stringValue else { return nil }
            target = TargetGuard(id: id, file: file)
        }
    }
}

extension PreStateProbe {
    /// The probe as journaled: `{"command": …}` or `{"tree": …}`.
    public var json: JSONValue {
        switch self {
        case .command(let command): .object(["command": .string(command)])
        case .tree(let path): .object(["tree": .string(path)])
        }
    }

    /// The probe `json` describes, or nil.
    public init?(json: JSONValue) {
        if let command = json["command"]?.stringValue {
            self = .command(command)
        } else if let path = json["tree"]?.stringValue {
            self = .tree(path)
        } else {
            return nil
        }
    }
}
