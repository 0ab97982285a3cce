import Foundation

/// Starts `gatehouse run` as a process of its own, so that a dashboard can start a run that
/// outlives it and never writes to its terminal.
public enum DetachedRunner {
    /// The running executable's path.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts `executable arguments` in a new process group with stdin from /dev/null and its
    /// output appended to `logPath`; returns its pid.
    public static func start(executable: String, arguments: [String], logPath: String) throws -> pid_t {
        try FileManager.default.createDirectory(atPath: (logPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw DetachedRunnerError(reason: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }
}

/// A runner process that could not be started.
public struct DetachedRunnerError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
