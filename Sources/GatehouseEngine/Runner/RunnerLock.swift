import Foundation

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
                                                withIntermediateDirectories: true)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RunnerLockError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw RunnerLockError.held(run: run, holder: holder ?? "another process")
        }
        let text = "pid \(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Whether a live process holds the lock of `run`.
    public static func isHeld(journal journalPath: String, run: String) -> Bool {
        let path = path(journal: journalPath, run: run)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
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
