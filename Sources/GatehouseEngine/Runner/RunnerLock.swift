import Foundation
import GatehouseCore

/// The lock a runner holds on its run for as long as it lives: an `flock` on a small file
/// next to the journal, released by the kernel when the process dies, however it dies.
///
/// It is how Gatehouse tells a run whose runner is alive from one whose runner crashed.
public final class RunnerLock {
    private let descriptor: Int32
    /// The lock file.
    public let path: String

    /// The lock file for `run` of the journal at `journalPath`.
    public static func path(journal journalPath: String, run: String) -> String {
        journalPath + ".runners/" + run + ".lock"
    }

    /// Takes the lock, or throws when another process holds it.
    public init(journal journalPath: String, run: String) throws {
        path = Self.path(journal: journalPath, run: run)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RunnerLockError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw RunnerLockError.held(run: run, holder: holder ?? "another process")
        }
        let text = "\(RunnerIdentity.current)\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// What the lock of `run` says: held by a live process, or free; either way, the runner
    /// its file names, when it names one.
    public enum Probe: Equatable {
        case held(RunnerIdentity?)
        case free(RunnerIdentity?)
    }

    /// Looks at the lock of `run` without taking it for longer than the look.
    public static func probe(journal journalPath: String, run: String) -> Probe {
        let path = path(journal: journalPath, run: run)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .free(nil) }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &bytes, bytes.count, 0)
        let holder = count > 0 ? RunnerIdentity(parsing: String(decoding: bytes[..<count], as: UTF8.self)) : nil
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return .free(holder)
        }
        return .held(holder)
    }
}

/// Why a runner could not take its run.
public enum RunnerLockError: Error, Equatable, CustomStringConvertible {
    case held(run: String, holder: String)
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let run, let holder):
            "run \(run) already has a runner (\(holder)); watch it with `gatehouse log \(run) --follow`"
        case .cannotOpen(let path, let reason):
            "cannot open the runner lock \(path): \(reason)"
        }
    }
}
