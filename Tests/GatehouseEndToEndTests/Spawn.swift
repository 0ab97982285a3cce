import Foundation

/// Starts commands with posix_spawn, stdin from /dev/null and stdout and stderr into a file.
///
/// Foundation's `Process` is not used for tmux: the server that `new-session` daemonises
/// inherits descriptors that keep `Process` waiting for ever.
enum Spawn {
    /// Runs `arguments` (the command looked up on `PATH`) to its end; returns its exit status
    /// (128+N for a signal) and its output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }
        let pid = try start(arguments, outputPath: outputPath)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (exitStatus(status), output)
    }

    /// Starts `arguments` (the command looked up on `PATH`) with `environment`, or this
    /// process's own when nil, its output written to `outputPath`; returns its pid.
    static func start(_ arguments: [String], environment: [String: String]? = nil, outputPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = if let envp {
            posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
        } else {
            posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        }
        guard spawned == 0 else { throw E2EError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))") }
        return pid
    }

    /// The exit status `waitpid` reported as `raw`: the code, or 128+N for signal N.
    static func exitStatus(_ raw: Int32) -> Int32 {
        (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
    }
}
