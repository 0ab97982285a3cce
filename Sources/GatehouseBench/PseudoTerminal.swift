import Foundation

/// A program running in a pseudo-terminal of its own, at a given size: everything it writes to
/// the terminal is read with the time it arrived, so a benchmark can count bytes and latency.
public final class PseudoTerminal {
    public let pid: pid_t
    private let master: Int32
    /// Every chunk read so far: when (monotonic seconds) and how many bytes.
    public private(set) var chunks: [(time: Double, bytes: Int)] = []
    /// Everything read so far.
    public private(set) var output: [UInt8] = []
    private var exited = false

    /// Starts `arguments` with `environment` in a new session whose controlling terminal is a
    /// fresh pseudo-terminal of `width` x `height`.
    public init(_ arguments: [String], environment: [String: String], width: Int, height: Int) throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw BenchError("openpty: \(String(cString: strerror(errno)))") }
        guard let name = ttyname(slave) else { throw BenchError("ttyname: \(String(cString: strerror(errno)))") }
        let slaveName = String(cString: name)
        close(slave)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // After setsid, opening the terminal (without O_NOCTTY) makes it the controlling one,
        // so that a size change reaches the program as SIGWINCH.
        posix_spawn_file_actions_addopen(&actions, 0, slaveName, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Self.spawnSetsid)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(master)
            throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        self.master = master
    }

    /// glibc's POSIX_SPAWN_SETSID, which Swift does not see without _GNU_SOURCE.
    private static let spawnSetsid: Int16 = 0x80

    deinit {
        stop()
        close(master)
    }

    /// Reads what arrives for `seconds` (or until the program exits).
    public func read(for seconds: Double) {
        let deadline = Monotonic.now() + seconds
        while !exited {
            let left = deadline - Monotonic.now()
            if left <= 0 { break }
            readOnce(timeout: left)
        }
    }

    /// Reads what has arrived already, without waiting.
    public func readAvailable() {
        guard !exited else { return }
        readOnce(timeout: 0)
    }

    /// Reads until `condition` holds on the output, or `timeout` seconds pass; returns when it held.
    @discardableResult
    public func read(until timeout: Double, _ condition: (PseudoTerminal) -> Bool) -> Double? {
        let deadline = Monotonic.now() + timeout
        while !exited {
            if condition(self) { return Monotonic.now() }
            let left = deadline - Monotonic.now()
            if left <= 0 { return nil }
            readOnce(timeout: min(left, 0.05))
        }
        return condition(self) ? Monotonic.now() : nil
    }

    /// Reads until nothing arrives for `quiet` seconds (at most `timeout`).
    public func readUntilQuiet(_ quiet: Double, timeout: Double = 10) {
        let deadline = Monotonic.now() + timeout
        var last = Monotonic.now()
        while !exited, Monotonic.now() < deadline {
            let before = output.count
            readOnce(timeout: quiet)
            if output.count > before { last = Monotonic.now() } else if Monotonic.now() - last >= quiet { return }
        }
    }

    /// Whether the output so far contains `text`.
    public func contains(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, output.count >= needle.count else { return false }
        return output.firstRange(of: needle) != nil
    }

    /// Forgets the output read so far (the chunk log too).
    public func clear() {
        output.removeAll(keepingCapacity: true)
        chunks.removeAll(keepingCapacity: true)
    }

    /// CPU time the program has used, in seconds: nanoseconds on a CPU from /proc's schedstat
    /// (the 10 ms ticks of /proc/PID/stat cannot tell 0.1 % from 0.2 % over ten seconds).
    public func cpuSeconds() throws -> Double {
        let schedstat = try String(contentsOfFile: "/proc/\(pid)/schedstat", encoding: .utf8)
        guard let first = schedstat.split(separator: " ").first, let nanoseconds = Double(first) else {
            throw BenchError("cannot read the CPU time of \(pid) from /proc/\(pid)/schedstat")
        }
        return nanoseconds / 1e9
    }

    /// The peak resident set size of the program, in bytes (VmHWM).
    public func peakRSS() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else {
            throw BenchError("cannot read the peak RSS of \(pid) from /proc")
        }
        return kilobytes * 1024
    }

    /// Sends keys to the program.
    public func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
    }

    /// Ends the program (SIGTERM, then SIGKILL) and reaps it.
    public func stop() {
        guard !exited else { return }
        kill(pid, SIGTERM)
        for _ in 0..<50 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { exited = true; return }
            readOnce(timeout: 0.02)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exited = true
    }

    private func readOnce(timeout: Double) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(0, timeout * 1000)))
        guard ready > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBufferPointer { Foundation.read(master, $0.baseAddress, $0.count) }
        if count > 0 {
            output.append(contentsOf: buffer[0..<count])
            chunks.append((Monotonic.now(), count))
        } else if count == 0 || errno == EIO {
            // EIO once the program has closed the terminal (an interrupted read is not that).
            exited = true
        }
    }
}

/// Seconds on a clock that never goes back.
public enum Monotonic {
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// A scenario that could not run: the benchmark fails loudly instead of printing zeros.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
