import Foundation

/// Runs a program to its end and keeps what it printed: for the short commands a runner asks
/// of the host itself (git), not for a plan's phases (``ShellPhaseExecutor``).
package enum CapturedCommand {
    /// How a command ended and what it printed.
    package struct Result: Sendable {
        package var status: Int32
        package var output: String
        package var errors: String

        /// The output without its trailing new line.
        package var line: String { output.trimmingCharacters(in: .newlines) }
        /// The first line of the errors, for a message.
        package var firstError: String { errors.split(separator: "\n").first.map(String.init) ?? "exit status \(status)" }
    }

    /// Runs `arguments` (the first looked up on `PATH`) with `environment` added to this
    /// process's; throws when it cannot start.
    package static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out").path
        let err = folder.appendingPathComponent("err").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let started = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
        guard started == 0 else {
            throw ProcessSpawnError(reason: "cannot start \(arguments[0]): \(String(cString: strerror(started))); is it installed?")
        }
        let status = ProcessSpawn.wait(pid)
        let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        return Result(status: status, output: output, errors: errors)
    }
}
