import Foundation

/// Starts a process with posix_spawn: stdin from /dev/null, stdout and stderr into one file.
///
/// Foundation's `Process` is not used: a child that daemonises (tmux's server, a runner that
/// outlives its dashboard) inherits descriptors that keep `Process` waiting for ever.
package enum ProcessSpawn {
    /// How the child's output file is opened.
    package enum Output: Sendable {
        /// Appended to, so that one log keeps every start.
        case append(String)
        /// Emptied first.
        case truncate(String)
    }

    /// Starts `arguments` (`arguments[0]` looked up on `PATH` unless it holds a slash) with
    /// `environment`, or this process's own when nil; returns its pid.
    ///
    /// With `detached`, the child leads a process group of its own and starts with the
    /// default action for SIGINT, SIGTERM, SIGHUP and SIGPIPE, so that a terminal's signals
    /// and a parent's ignored ones do not reach it.
    package static func start(_ arguments: [String], environment: [String: String]? = nil,
                              output: Output, detached: Bool = false) throws -> pid_t {
        precondition(!arguments.isEmpty, "a process needs a command")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        switch output {
        case .append(let path): posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        case .truncate(let path): posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if detached { detach(&attributes) }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        var result: Int32 = 0
        // A script just written is "busy" while any child forked meanwhile (by another thread)
        // still holds the writing descriptor, until that child execs: moments, so try again.
        for attempt in 0..<Self.busyAttempts {
            result = if let envp {
                posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
            } else {
                posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
            }
            guard result == ETXTBSY, attempt + 1 < Self.busyAttempts else { break }
            usleep(UInt32(10_000 * (attempt + 1)))
        }
        guard result == 0 else {
            throw ProcessSpawnError(reason: "cannot start \(arguments[0]): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// How many times a start refused with ETXTBSY is made (waiting 10, 20, … ms between).
    static let busyAttempts = 8

    /// Waits for `pid` to end; its exit code, or 128+N when signal N ended it.
    package static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return exitStatus(status)
    }

    /// The exit status `waitpid` reported as `raw`: the code, or 128+N for signal N.
    package static func exitStatus(_ raw: Int32) -> Int32 {
        (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
    }

    private static func detach(_ attributes: inout posix_spawnattr_t) {
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
    }
}

/// A process that could not be started.
package struct ProcessSpawnError: Error, CustomStringConvertible {
    package var reason: String
    package var description: String { reason }
}
