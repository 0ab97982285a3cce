import Crypto
import Foundation
import GatehouseCore

/// Programs joined through this process, as `producer | tee >(consumer…)` but with the bytes
/// counted and hashed on their way: what a backup streams from `pg_dump` into `gpg` and into a
/// scratch `pg_restore` at once, or from `gpg --decrypt` into `pg_restore`, with no plain copy
/// on disk.
package enum PipedCommands {
    /// How the two programs ended, and what passed between them.
    package struct Result: Sendable {
        /// The producer's exit status and what it wrote on stderr.
        package var producer: CapturedCommand.Result
        /// Each consumer's exit status, stdout and stderr, in the order they were given.
        package var consumers: [CapturedCommand.Result]
        /// SHA-256 (lower-case hex) of the bytes the producer wrote.
        package var sha256: String
        package var bytes: Int64
        /// The program names, producer first.
        package var names: [String]
        /// The first program that failed, as `name exit N: first line of its stderr`; nil when none did.
        package var failure: String? {
            for (name, result) in zip(names, [producer] + consumers) where result.status != 0 {
                return "\(name) exit \(result.status): \(result.firstError)"
            }
            return nil
        }
    }

    /// Bytes moved at a time.
    static let pieceSize = 1 << 20

    /// Runs `producer` with its stdout into this process and on into each of `consumers`'
    /// stdin, all with `environment` (this process's own when nil; `arguments[0]` looked up on
    /// `PATH` unless it holds a slash), and waits for them all. `progress` is told the bytes
    /// moved so far.
    ///
    /// A consumer that ends early does not stop this process (its SIGPIPE is taken here) nor
    /// the others: they go on being fed. Throws only when a program cannot be started.
    package static func run(_ producer: [String], into consumers: [[String]], environment: [String: String]? = nil,
                            progress: (Int64) -> Void = { _ in }) throws -> Result {
        precondition(!consumers.isEmpty, "a pipe needs a consumer")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-pipe-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

        // Every descriptor is close-on-exec: a child gets only the ends dup2'ed onto its 0 and 1.
        var opened: [Int32] = []
        defer { opened.forEach { close($0) } }
        func pipeEnds() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [-1, -1]
            // (pipe2 is not in Glibc's Swift overlay; set close-on-exec just after.)
            guard pipe(&ends) == 0 else { throw ProcessSpawnError(reason: "no pipe can be made: \(String(cString: strerror(errno)))") }
            opened += ends
            ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
            return (ends[0], ends[1])
        }
        func closeOpened(_ descriptor: Int32) {
            close(descriptor)
            opened.removeAll { $0 == descriptor }
        }
        var started: [pid_t] = []
        func waitForStarted() { started.forEach { _ = ProcessSpawn.wait($0) } }

        let source = try pipeEnds()
        let sinks = try consumers.map { _ in try pipeEnds() }
        for (index, consumer) in consumers.enumerated() {
            do {
                started.append(try spawn(consumer, stdin: sinks[index].read, stdout: .path(file("out-\(index)")),
                                         stderr: file("err-\(index)"), environment: environment))
            } catch {
                opened.forEach { close($0) }
                opened = []
                waitForStarted()
                throw error
            }
            closeOpened(sinks[index].read)
        }
        let producerPID: pid_t
        do {
            producerPID = try spawn(producer, stdin: nil, stdout: .descriptor(source.write), stderr: file("err-producer"), environment: environment)
        } catch {
            opened.forEach { close($0) }
            opened = []
            waitForStarted()
            throw error
        }
        closeOpened(source.write)

        let (sha256, bytes) = copy(from: source.read, to: sinks.map(\.write), progress: progress)
        opened.forEach { close($0) }
        opened = []
        let producerStatus = ProcessSpawn.wait(producerPID)
        let consumerResults = started.enumerated().map { index, pid in
            let status = ProcessSpawn.wait(pid)
            return CapturedCommand.Result(status: status, output: text(file("out-\(index)")), errors: text(file("err-\(index)")))
        }
        return Result(producer: CapturedCommand.Result(status: producerStatus, output: "", errors: text(file("err-producer"))),
                      consumers: consumerResults, sha256: sha256, bytes: bytes,
                      names: ([producer] + consumers).map { URL(fileURLWithPath: $0[0]).lastPathComponent })
    }

    /// Moves every byte from `source` to each of `sinks`, hashing them; stops writing to a sink
    /// once it is closed (and goes on reading, so the producer is not left blocked).
    private static func copy(from source: Int32, to sinks: [Int32], progress: (Int64) -> Void) -> (String, Int64) {
        // A closed sink raises SIGPIPE: blocked on this thread while writing, and taken after.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var taken: Int32 = 0
                sigwait(&pipeSignal, &taken)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        var hasher = SHA256()
        var total: Int64 = 0
        var open = Array(repeating: true, count: sinks.count)
        var buffer = [UInt8](repeating: 0, count: pieceSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, pieceSize) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            hasher.update(data: buffer[0..<count])
            total += Int64(count)
            progress(total)
            for (index, sink) in sinks.enumerated() {
                var offset = 0
                while open[index] && offset < count {
                    let written = buffer.withUnsafeBytes { write(sink, $0.baseAddress! + offset, count - offset) }
                    if written < 0 {
                        if errno == EINTR { continue }
                        open[index] = false
                    } else {
                        offset += written
                    }
                }
            }
        }
        return (sha256Hex(digest: hasher.finalize()), total)
    }

    private enum Output {
        case descriptor(Int32)
        case path(String)
    }

    private static func spawn(_ arguments: [String], stdin: Int32?, stdout: Output, stderr: String,
                              environment: [String: String]?) throws -> pid_t {
        precondition(!arguments.isEmpty, "a process needs a command")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin { posix_spawn_file_actions_adddup2(&actions, stdin, 0) } else { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        switch stdout {
        case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, 1)
        case .path(let path): posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // The child gets SIGPIPE's default action back, as a shell's pipeline would give it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        let variables = environment ?? ProcessInfo.processInfo.environment
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let started = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard started == 0 else {
            throw ProcessSpawnError(reason: "cannot start \(arguments[0]): \(String(cString: strerror(started))); is it installed?")
        }
        return pid
    }
}
