import Foundation

/// The few questions and changes a command plan asks of a local git repository: its HEAD, a
/// commit named in full, where a tag points, and a local annotated tag made or deleted.
/// Nothing here talks to a remote.
package struct GitRepository: Sendable {
    /// The repository's folder.
    package var path: String

    package init(path: String) {
        self.path = path
    }

    /// What git said when it refused.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Whether the folder is a git work tree or repository.
    package var isRepository: Bool {
        (try? git(["rev-parse", "--git-dir"]).status) == 0
    }

    /// The full SHA of HEAD.
    package func head() throws -> String {
        try commit("HEAD")
    }

    /// The full SHA of the commit `name` (a SHA, possibly abbreviated, a tag, a branch).
    package func commit(_ name: String) throws -> String {
        let result = try git(["rev-parse", "--verify", "--quiet", name + "^{commit}"])
        guard result.status == 0, !result.line.isEmpty else {
            throw Failure(description: "\(path) has no commit '\(name)'")
        }
        return result.line
    }

    /// The commit the tag `name` points at, or nil when there is no such tag.
    package func tagTarget(_ name: String) throws -> String? {
        let result = try git(["rev-parse", "--verify", "--quiet", "refs/tags/\(name)^{commit}"])
        return result.status == 0 && !result.line.isEmpty ? result.line : nil
    }

    /// Creates the annotated tag `name` at `commit` with `message`, as `tagger`.
    package func createTag(_ name: String, at commit: String, message: String, tagger: String) throws {
        let result = try git(["tag", "--annotate", "--message", message, name, commit],
                             environment: ["GIT_COMMITTER_NAME": tagger, "GIT_COMMITTER_EMAIL": "\(tagger)@gatehouse.invalid"])
        guard result.status == 0 else { throw Failure(description: "git tag \(name) in \(path) failed: \(result.firstError)") }
    }

    /// Deletes the tag `name`.
    package func deleteTag(_ name: String) throws {
        let result = try git(["tag", "--delete", name])
        guard result.status == 0 else { throw Failure(description: "git tag -d \(name) in \(path) failed: \(result.firstError)") }
    }

    private func git(_ arguments: [String], environment: [String: String] = [:]) throws -> CapturedCommand.Result {
        // The repository is the host's, not configured by whoever runs this: no hooks, no pager.
        try CapturedCommand.run(["git", "-C", path, "-c", "core.hooksPath=/dev/null"] + arguments,
                                environment: environment.merging(["GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"]) { a, _ in a })
    }
}
