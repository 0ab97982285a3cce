import Foundation
import GatehouseCore

/// Runs a shell-command phase: `/bin/sh -c` in its own process group, its output streamed
/// in batches, killed (the whole group) on timeout or when the runner stops.
///
/// The command sees the base environment, its own variables, and `GATEHOUSE_MODE` (`dryrun` or
/// `live`), `GATEHOUSE_RUN` and `GATEHOUSE_PHASE`; runs in its directory under
/// `workingDirectory` (or that itself), and reads `/dev/null`.
/// On a timeout or a stop its process group gets SIGTERM, then SIGKILL after a grace of two
/// seconds. Whatever it left running in the background is killed once the shell has exited
/// and a short drain of the output is over, so a lingering child cannot hang the phase.
public struct ShellPhaseExecutor: Sendable {
    /// Longest line passed on whole; longer output is cut into pieces of at most this many bytes.
    public static let maximumLineBytes = OutputLineSplitter.maximumLineBytes
    /// How long a terminated process group has to exit before it is killed, in seconds.
    static let terminationGrace = 2.0
    /// How long output is still read after the shell exited, in seconds.
    static let drainAfterExit = 0.2
    /// How long one wait for output lasts before the stop request and the deadline are checked.
    static let pollMilliseconds: Int32 = 100
    /// Most bytes read from one stream before the clock is looked at again.
    static let readBurstBytes = 256 * 1024

    /// The directory the command starts in.
    public var workingDirectory: String
    /// The environment the command inherits, before the `GATEHOUSE_*` variables are added.
    public var environment: [String: String]

    /// An executor starting commands in `workingDirectory` with `environment` (the runner passes its own).
    public init(workingDirectory: String, environment: [String: String]) {
        self.workingDirectory = workingDirectory
        self.environment = environment
    }

    /// Runs `command` to its end, its timeout, or until `shouldStop` returns true, passing each
    /// line it prints to `onLine` (in order within each stream).
    public func run(_ command: ShellCommand, mode: RunMode, runID: String, phaseID: String,
                    onLine: (OutputLine) -> Void, shouldStop: () -> Bool) -> ShellPhaseOutcome {
        var lines = [ShellLineSplitter(stream: .stdout, maximumBytes: Self.maximumLineBytes),
                     ShellLineSplitter(stream: .stderr, maximumBytes: Self.maximumLineBytes)]
        return run(command, mode: mode, runID: runID, phaseID: phaseID, onBatch: { batch in
            let index = batch.stream == OutputLine.Stream.stdout.rawValue ? 0 : 1
            lines[index].append(batch.bytes[...], onLine)
            if batch.isLast { lines[index].finish(onLine) }
        }, shouldStop: shouldStop)
    }

    /// Runs `command` to its end, its timeout, or until `shouldStop` returns true, passing what
    /// it writes to `onBatch` in batches (see ``OutputBatch``), in order within each stream.
    public func run(_ command: ShellCommand, mode: RunMode, runID: String, phaseID: String,
                    onBatch: (OutputBatch) -> Void, shouldStop: () -> Bool) -> ShellPhaseOutcome {
        var variables = environment
        for (name, value) in command.environment { variables[name] = value }
        variables["GATEHOUSE_MODE"] = mode.rawValue
        variables["GATEHOUSE_RUN"] = runID
        variables["GATEHOUSE_PHASE"] = phaseID

        let folder = command.directory.map { workingDirectory + "/" + $0 } ?? workingDirectory
        if let problem = Self.directoryProblem(folder) { return .couldNotStart(problem) }
        guard let output = ProcessPipe.make() else {
            return .couldNotStart("cannot create a pipe for its output: \(Self.errorText(errno)); close some files or raise the limit")
        }
        guard let errors = ProcessPipe.make() else {
            let reason = errno
            output.closeBoth()
            return .couldNotStart("cannot create a pipe for its output: \(Self.errorText(reason)); close some files or raise the limit")
        }
        let started = Self.spawn(command.command, in: folder, environment: variables,
                                 stdout: output.writeEnd, stderr: errors.writeEnd)
        close(output.writeEnd)
        close(errors.writeEnd)
        let pid: pid_t
        switch started {
        case .success(let leader):
            pid = leader
        case .failure(let failure):
            close(output.readEnd)
            close(errors.readEnd)
            return .couldNotStart(failure.reason)
        }

        var group = ProcessGroupWatch(leader: pid, streams: [
            ProcessStreamReader(descriptor: output.readEnd, phase: phaseID, stream: .stdout),
            ProcessStreamReader(descriptor: errors.readEnd, phase: phaseID, stream: .stderr),
        ])
        let ending = group.watch(deadline: Self.now() + Double(command.timeoutSeconds), timeout: command.timeoutSeconds,
                                 onBatch: onBatch, shouldStop: shouldStop)
        if let ending { return ending }
        return Self.outcome(of: group.status)
    }

    // MARK: - Starting

    /// Why the command cannot start in `directory`, or nil when it can.
    private static func directoryProblem(_ directory: String) -> String? {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            return "its working directory \(directory) cannot be used: \(errorText(errno)); check the programme file's location"
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return "its working directory \(directory) is not a directory"
        }
        return nil
    }

    /// Starts `/bin/sh -c command` as the leader of a new process group.
    private static func spawn(_ command: String, in directory: String, environment: [String: String],
                              stdout: Int32, stderr: Int32) -> Result<pid_t, SpawnFailure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        let script: String
        if let addchdir = Self.addchdir, addchdir(&actions, directory) == 0 {
            script = command
        } else {
            script = "cd " + quote(directory) + " || exit 126\n" + command
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        // The runner ignores the signals it catches; the command gets their default actions back.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)

        let arguments = ["/bin/sh", "-c", script]
        let variables = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(variables) { envp in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
            }
        }
        guard result == 0 else {
            return .failure(SpawnFailure("/bin/sh could not be started in \(directory): \(errorText(result))"))
        }
        return .success(pid)
    }

    /// `posix_spawn_file_actions_addchdir_np`, where the C library has it (glibc 2.29 and later
    /// does, but its Swift module does not export it); without it the script changes directory.
    private static let addchdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// A reason the shell could not start, as `couldNotStart` reports it.
    private struct SpawnFailure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    // MARK: - Ending

    private static func outcome(of status: Int32?) -> ShellPhaseOutcome {
        guard let status else { return .failed(exitStatus: -1) }
        let signal = status & 0x7F
        if signal == 0 {
            let code = (status >> 8) & 0xFF
            return code == 0 ? .succeeded : .failed(exitStatus: code)
        }
        return .killedBySignal(signal)
    }

    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// A string as one single-quoted shell word.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
