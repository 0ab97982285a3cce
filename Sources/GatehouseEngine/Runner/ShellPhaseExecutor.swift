import Foundation
import GatehouseCore

/// A line a command printed, and on which stream.
public struct OutputLine: Sendable, Equatable {
    public enum Stream: String, Sendable { case stdout, stderr }
    public var stream: Stream
    public var text: String

    public init(stream: Stream, text: String) {
        self.stream = stream
        self.text = text
    }
}

/// How a shell-command phase ended.
public enum ShellPhaseOutcome: Sendable, Equatable, CustomStringConvertible {
    case succeeded
    case failed(exitStatus: Int32)
    case killedBySignal(Int32)
    case timedOut(seconds: Int)
    /// The runner asked it to stop; its process group was terminated.
    case stopped
    case couldNotStart(String)

    public var description: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed(let status): "exited with status \(status)"
        case .killedBySignal(let signal): "was killed by signal \(signal)"
        case .timedOut(let seconds): "timed out after \(seconds) s and was terminated"
        case .stopped: "was stopped"
        case .couldNotStart(let reason): "could not start: \(reason)"
        }
    }
}

/// Runs a shell-command phase: `/bin/sh -c` in its own process group, its output streamed
/// line by line, killed (the whole group) on timeout or when the runner stops.
public struct ShellPhaseExecutor: Sendable {
    /// Longest line passed on whole; longer output is cut into pieces of this many bytes.
    public static let maximumLineBytes = 4096

    public var workingDirectory: String
    public var environment: [String: String]

    public init(workingDirectory: String, environment: [String: String]) {
        self.workingDirectory = workingDirectory
        self.environment = environment
    }

    /// Runs `command` to its end, its timeout, or until `shouldStop` says so.
    public func run(_ command: ShellCommand, mode: RunMode, runID: String, phaseID: String,
                    onLine: (OutputLine) -> Void, shouldStop: () -> Bool) -> ShellPhaseOutcome {
        var env = environment
        env["GATEHOUSE_MODE"] = mode.rawValue
        env["GATEHOUSE_RUN"] = runID
        env["GATEHOUSE_PHASE"] = phaseID
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { return .couldNotStart(String(cString: strerror(errno))) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for descriptor in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)

        let script = "cd " + Self.quote(workingDirectory) + " || exit 126\n" + command.command
        let arguments = ["/bin/sh", "-c", script]
        let environmentLines = env.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let spawned = withCStrings(arguments) { argv in
            withCStrings(environmentLines) { envp in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
            }
        }
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            return .couldNotStart(String(cString: strerror(spawned)))
        }

        var readers = [LineReader(descriptor: outPipe[0], stream: .stdout), LineReader(descriptor: errPipe[0], stream: .stderr)]
        let deadline = Self.now() + Double(command.timeoutSeconds)
        var ending: ShellPhaseOutcome?
        var status: Int32 = 0
        var exited = false
        var drainUntil: Double?
        while true {
            var polls = readers.filter { !$0.closed }.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
            if polls.isEmpty && exited { break }
            if !polls.isEmpty { _ = poll(&polls, nfds_t(polls.count), 100) } else { usleep(20_000) }
            for index in readers.indices where !readers[index].closed {
                readers[index].pump(onLine)
            }
            if !exited, waitpid(pid, &status, WNOHANG) == pid { exited = true; drainUntil = Self.now() + 0.2 }
            if exited {
                // A child left in the background may hold the pipes open: read briefly, then stop.
                if readers.allSatisfy(\.closed) || Self.now() > drainUntil! { break }
                continue
            }
            if ending == nil && shouldStop() { ending = .stopped }
            if ending == nil && Self.now() > deadline { ending = .timedOut(seconds: command.timeoutSeconds) }
            if ending != nil {
                Self.terminate(group: pid, &status)
                exited = true
                drainUntil = Self.now() + 0.2
            }
        }
        kill(-pid, SIGKILL)
        for index in readers.indices {
            readers[index].finish(onLine)
            close(readers[index].descriptor)
        }
        if let ending { return ending }
        if Self.exitedNormally(status) {
            let code = Self.exitCode(status)
            return code == 0 ? .succeeded : .failed(exitStatus: code)
        }
        return .killedBySignal(status & 0x7F)
    }

    /// SIGTERM to the group, two seconds' grace, then SIGKILL; reaps the shell.
    private static func terminate(group pid: pid_t, _ status: inout Int32) {
        kill(-pid, SIGTERM)
        let grace = now() + 2
        while now() < grace {
            if waitpid(pid, &status, WNOHANG) == pid {
                kill(-pid, SIGKILL)
                return
            }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    private static func exitedNormally(_ status: Int32) -> Bool { status & 0x7F == 0 }
    private static func exitCode(_ status: Int32) -> Int32 { (status >> 8) & 0xFF }

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// A string as one single-quoted shell word.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Reads one pipe without blocking and cuts what arrives into lines.
private struct LineReader {
    let descriptor: Int32
    let stream: OutputLine.Stream
    var buffer: [UInt8] = []
    var closed = false

    init(descriptor: Int32, stream: OutputLine.Stream) {
        self.descriptor = descriptor
        self.stream = stream
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    mutating func pump(_ onLine: (OutputLine) -> Void) {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                emitLines(onLine)
            } else if count == 0 {
                closed = true
                return
            } else {
                if errno != EAGAIN && errno != EINTR { closed = true }
                return
            }
        }
    }

    mutating func emitLines(_ onLine: (OutputLine) -> Void) {
        while let newline = buffer.firstIndex(of: 0x0A) {
            var line = Array(buffer[..<newline])
            buffer.removeSubrange(...newline)
            if line.last == 0x0D { line.removeLast() }
            emit(line, onLine)
        }
        while buffer.count >= ShellPhaseExecutor.maximumLineBytes {
            emit(Array(buffer.prefix(ShellPhaseExecutor.maximumLineBytes)), onLine)
            buffer.removeFirst(ShellPhaseExecutor.maximumLineBytes)
        }
    }

    mutating func finish(_ onLine: (OutputLine) -> Void) {
        pump(onLine)
        if !buffer.isEmpty {
            emit(buffer, onLine)
            buffer = []
        }
    }

    private func emit(_ bytes: [UInt8], _ onLine: (OutputLine) -> Void) {
        var start = 0
        while start < bytes.count || start == 0 {
            let end = min(bytes.count, start + ShellPhaseExecutor.maximumLineBytes)
            onLine(OutputLine(stream: stream, text: String(decoding: bytes[start..<end], as: UTF8.self)))
            start = end
            if start >= bytes.count { break }
        }
    }
}

/// Calls `body` with a NULL-terminated array of C strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
