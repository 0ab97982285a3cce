import GatehouseCore

/// What a command plan declares beyond its commands: the identity it must find, its pre-state
/// probe, local tags, and each command's folder, variables, files and revert.
extension ProgrammeDecoder {
    func decodeIdentity(_ node: YAMLNode, of plan: String) -> IdentityGuards? {
        let what = "the identity of \(plan)"
        guard let map = read.mapping(node, what) else { return nil }
        defer { map.finish() }
        var guards = IdentityGuards()
        guards.host = map.optional("host").flatMap { read.text($0, "the host of \(what)") }
        guards.user = map.optional("user").flatMap { read.text($0, "the user of \(what)") }
        if let repoNode = map.optional("repository") {
            guards.repository = decodeRepository(repoNode, of: what)
        }
        if let targetNode = map.optional("target"), let target = read.mapping(targetNode, "the target of \(what)") {
            defer { target.finish() }
            let id = target.required("id").flatMap { read.text($0, "the target id of \(what)") }
            let file = target.required("file").flatMap { read.text($0, "the target file of \(what)") }
            if let id, let file { guards.target = TargetGuard(id: id, file: file) }
        }
        if guards.isEmpty { read.error(node, "\(what) declares nothing; give host, user, repository or target, or leave it out") }
        return guards
    }

    private func decodeRepository(_ node: YAMLNode, of what: String) -> RepositoryGuard? {
        guard let map = read.mapping(node, "the repository of \(what)") else { return nil }
        defer { map.finish() }
        let path = map.required("path").flatMap { read.text($0, "the repository path of \(what)") }
        let commit = map.optional("commit").flatMap { node -> String? in
            guard let text = read.text(node, "the commit of \(what)") else { return nil }
            let hex = text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
            guard hex, (7...64).contains(text.count) else {
                read.error(node, "the commit of \(what) must be 7 to 64 lower-case hex digits of a commit SHA, found \(NodeReader.quoted(text))")
                return nil
            }
            return text
        }
        let tag = map.optional("tag").flatMap { read.text($0, "the tag of \(what)") }
        guard let path else { return nil }
        return RepositoryGuard(path: path, commit: commit, tag: tag)
    }

    func decodePreState(_ node: YAMLNode, of plan: String) -> PreStateProbe? {
        let what = "the pre_state of \(plan)"
        guard let map = read.mapping(node, what) else { return nil }
        defer { map.finish() }
        let command = map.optional("command").flatMap { read.text($0, "the probe command of \(what)") }
        let tree = map.optional("tree").flatMap { read.text($0, "the probe tree of \(what)") }
        switch (command, tree) {
        case (let command?, nil): return .command(command)
        case (nil, let tree?): return .tree(tree)
        case (.some, .some):
            read.error(node, "\(what) gives both 'command' and 'tree'; give one")
        case (nil, nil):
            read.error(node, "\(what) needs 'command' (whose output is digested) or 'tree' (a folder whose files are)")
        }
        return nil
    }

    /// A `tag:` phase: a name, or a mapping of `name` and `message`.
    func decodeTagPhase(_ node: YAMLNode, map: NodeReader.Mapping, of plan: String, repository: RepositoryGuard?) -> PlanPhase? {
        let id = map.optional("id").flatMap { read.identifier($0, "the id of a tag phase of \(plan)") }
        let title = map.optional("title").flatMap { read.text($0, "the title of a tag phase of \(plan)") }
        var name: String?
        var message: String?
        if case .mapping = node, let tag = read.mapping(node, "the tag of \(plan)") {
            defer { tag.finish() }
            name = tag.required("name").flatMap { read.text($0, "the tag name in \(plan)") }
            message = tag.optional("message").flatMap { read.text($0, "the tag message in \(plan)") }
        } else {
            name = read.text(node, "the tag name in \(plan)")
        }
        guard let name else { return nil }
        guard Self.isTagName(name) else {
            read.error(node, "the tag name \(NodeReader.quoted(name)) in \(plan) is not one git accepts; use letters, digits, '.', '-', '_' and '/'")
            return nil
        }
        guard repository != nil else {
            read.error(node, "the tag phase of \(plan) tags the commit the plan's identity pins; declare identity: repository: {path, commit}")
            return nil
        }
        let text = message ?? "\(name) at the commit \(plan) pins"
        return PlanPhase(id: id ?? "tag", title: title ?? "Tag \(name) at the pinned commit (local, not pushed)",
                         action: .host(.tag(LocalTag(name: name, message: text))), mutates: true)
    }

    /// A command's `directory`, `environment`, `paths` and `files`.
    func decodeCommandSetting(_ map: NodeReader.Mapping, of what: String) -> (directory: String?, environment: [String: String],
                                                                              paths: [String: String], files: [String]) {
        let directory = map.optional("directory").flatMap { node -> String? in
            guard let text = read.text(node, "the directory of \(what)") else { return nil }
            guard text == "." || PackagedFile.isCarriable(text) else {
                read.error(node, "the directory of \(what) must be a folder under the programme's folder, written relative to it, found \(NodeReader.quoted(text))")
                return nil
            }
            return text == "." ? nil : text
        }
        let environment = map.optional("environment").map { variables($0, "the environment of \(what)") } ?? [:]
        let paths = map.optional("paths").map { variables($0, "the paths of \(what)") } ?? [:]
        for name in Set(environment.keys).intersection(paths.keys).sorted() {
            read.error(map.node, "\(what) sets \(name) in both 'environment' and 'paths'; give it once")
        }
        let files = map.optional("files").flatMap { node in
            read.texts(node, "the files of \(what)")?.compactMap { text, item -> String? in
                guard PackagedFile.isCarriable(text) else {
                    read.error(item, "a file of \(what) must be under the programme's folder, written relative to it without '.' or '..', found \(NodeReader.quoted(text))")
                    return nil
                }
                return text
            }
        } ?? []
        return (directory, environment, paths, files)
    }

    /// A phase's `revert`: a command line, or a mapping of `run`, `timeout`, `directory`,
    /// `environment`, `paths` and `files` as a phase has them.
    func decodeRevert(_ node: YAMLNode, of what: String) -> ShellCommand? {
        if case .scalar = node {
            return read.text(node, "the revert of \(what)").map { ShellCommand(command: $0, timeoutSeconds: Self.defaultTimeout) }
        }
        guard let map = read.mapping(node, "the revert of \(what)") else { return nil }
        defer { map.finish() }
        let command = map.required("run").flatMap { read.text($0, "the revert command of \(what)") }
        let timeout = map.optional("timeout").flatMap { read.integer($0, "the revert timeout of \(what) (seconds)", in: 1...86_400) }
        let setting = decodeCommandSetting(map, of: "the revert of \(what)")
        guard let command else { return nil }
        return ShellCommand(command: command, timeoutSeconds: timeout ?? Self.defaultTimeout, directory: setting.directory,
                            environment: setting.environment, paths: setting.paths, files: setting.files)
    }

    /// A mapping of variable names to texts.
    private func variables(_ node: YAMLNode, _ what: String) -> [String: String] {
        guard let map = read.mapping(node, what) else { return [:] }
        var result: [String: String] = [:]
        for (name, keyNode) in map.keys {
            let valid = !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
                && !("0"..."9").contains(name.unicodeScalars.first!)
            guard valid else {
                read.error(keyNode, "\(NodeReader.quoted(name)) in \(what) is not a variable name; use letters, digits and '_', not starting with a digit")
                _ = map.optional(name)
                continue
            }
            guard !name.hasPrefix("GATEHOUSE_") else {
                read.error(keyNode, "\(name) in \(what) is set by the runner itself; choose another name")
                _ = map.optional(name)
                continue
            }
            if let value = map.optional(name).flatMap({ read.text($0, "\(name) in \(what)") }) { result[name] = value }
        }
        return result
    }

    /// Whether git would take `name` as a tag (a conservative subset of `git check-ref-format`).
    static func isTagName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("-"), !name.hasPrefix("/"), !name.hasSuffix("/"), !name.hasSuffix(".lock"),
              !name.hasSuffix("."), !name.contains(".."), !name.contains("//"), !name.contains("@{") else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-/".unicodeScalars.contains($0)) }
    }
}
