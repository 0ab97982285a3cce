/// A command-review package as a reviewer reads it: what it is bound to, what it checks, every
/// phase with its exact command line, folder, variables, timeout, whether it changes the host
/// and its revert, and every file with its SHA-256, in plain text, Markdown or JSON.
public enum PackageReview {
    public enum Format: String, Sendable, CaseIterable {
        case text
        case markdown
        case json
    }

    /// The package in `format`, ending in a newline. Text from the package is shown inert.
    public static func render(_ package: CommandPackage, format: Format) -> String {
        switch format {
        case .json: return String(decoding: package.manifestText, as: UTF8.self) + "\n"
        case .text: return text(package).joined(separator: "\n") + "\n"
        case .markdown: return markdown(package).joined(separator: "\n") + "\n"
        }
    }

    /// The lines of the plain-text review (what `package show` prints and SG_1's page lists).
    public static func text(_ package: CommandPackage) -> [String] {
        var lines = header(package).map { "\($0.label): \($0.value)" }
        lines.append("")
        for (number, phase) in package.plan.phases.enumerated() {
            lines.append("\(number + 1). \(phase.id) — \(phase.title)\(phase.mutates ? "  [changes the host]" : "")")
            lines += detail(of: phase, in: package).map { "     " + $0 }
        }
        lines.append("")
        lines += TextTable.lines(headings: ["sha256", "bytes", "mode", "file"],
                                 rows: package.files.map { [$0.sha256, String($0.size), $0.executable ? "755" : "644", $0.path] },
                                 rule: "-")
        return lines.map(TerminalText.inertLine)
    }

    private static func markdown(_ package: CommandPackage) -> [String] {
        var lines = ["# Command-review package \(package.plan.id)", ""]
        lines += header(package).map { "- **\($0.label)**: \(MarkdownTable.escape($0.value))" }
        lines += ["", "## Phases", ""]
        for (number, phase) in package.plan.phases.enumerated() {
            lines.append("\(number + 1). **\(MarkdownTable.escape(phase.id))** — \(MarkdownTable.escape(phase.title))\(phase.mutates ? " *(changes the host)*" : "")")
            lines += detail(of: phase, in: package).map { "   - " + MarkdownTable.escape($0) }
        }
        lines += ["", "## Files", ""]
        lines += MarkdownTable.lines(headings: ["SHA-256", "bytes", "mode", "file"],
                                     rows: package.files.map { ["`\($0.sha256)`", String($0.size), $0.executable ? "755" : "644", $0.path] })
        return lines
    }

    // MARK: - Parts

    private static func header(_ package: CommandPackage) -> [(label: String, value: String)] {
        var rows: [(String, String)] = [
            ("package digest", package.digest),
            ("plan", "\(package.plan.id): \(package.plan.title)"),
            ("programme", "\(package.programmeID), file SHA-256 \(package.programmeDigest)"),
        ]
        rows += identityLines(package.plan.identity)
        if let probe = package.plan.preState { rows.append(("pre-state", probeLine(probe))) }
        let bytes = package.files.reduce(Int64(0)) { $0 + $1.size }
        rows.append(("files", "\(package.files.count), \(bytes) bytes"))
        return rows
    }

    /// What the plan's identity guards check, one line each.
    public static func identityLines(_ identity: IdentityGuards?) -> [(label: String, value: String)] {
        guard let identity else { return [("identity", "none declared")] }
        var rows: [(String, String)] = []
        if let host = identity.host { rows.append(("host", host)) }
        if let user = identity.user { rows.append(("user", user)) }
        if let repository = identity.repository {
            rows.append(("repository", "\(repository.path) at \(repository.commit ?? "HEAD")"
                         + (repository.tag.map { ", tag \($0) on it" } ?? "")))
        }
        if let target = identity.target { rows.append(("target", "\(target.id) (named by \(target.file))")) }
        return rows
    }

    /// What a probe digests, in words.
    public static func probeLine(_ probe: PreStateProbe) -> String {
        switch probe {
        case .command(let command): "the output of `\(command)`"
        case .tree(let path): "every file under \(path)"
        }
    }

    private static func detail(of phase: PlanPhase, in package: CommandPackage) -> [String] {
        switch phase.action {
        case .gate(let gate):
            return ["sovereign gate \(gate): waits for a signed decision"]
        case .builtin(let step):
            return ["built-in step \(step.rawValue)"]
        case .host(.identityGuards):
            return ["checks " + identityLines(package.plan.identity).map { "\($0.label) \($0.value)" }.joined(separator: "; ")
                    + "; again before every phase that changes the host"]
        case .host(.preState):
            return ["digests " + (package.plan.preState.map(probeLine) ?? "nothing") + "; again before every phase that changes the host"]
        case .host(.tag(let tag)):
            let repository = package.plan.identity?.repository
            return ["git tag --annotate \(tag.name) \(repository?.commit ?? "HEAD") in \(repository?.path ?? "?") (never pushed)",
                    "message: \(tag.message)",
                    "revert: git tag --delete \(tag.name) (only a tag this run created)"]
        case .command(let command):
            var lines = commandLines(command, in: package)
            if let revert = phase.revert {
                lines.append("revert:")
                lines += commandLines(revert, in: package).map { "  " + $0 }
            }
            return lines
        }
    }

    private static func commandLines(_ command: ShellCommand, in package: CommandPackage) -> [String] {
        var lines = ["$ \(command.command)", "in \(command.directory ?? "."), timeout \(command.timeoutSeconds) s"]
        for name in command.environment.keys.sorted() { lines.append("env \(name)=\(command.environment[name]!)") }
        for path in command.files {
            let file = package.file(path)
            lines.append("file \(path)  sha256 \(file?.sha256 ?? "?")  \(file.map { "\($0.size) bytes" } ?? "")")
        }
        return lines
    }
}
