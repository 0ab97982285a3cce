/// Tells a run whose runner is alive from one whose runner is gone, and lets a runner claim
/// its run for as long as it lives.
///
/// Beside an SQLite journal it is a file lock on the journal's host (``RunnerLockFiles``);
/// beside a PostgreSQL journal, whose runner and watchers may sit on different hosts, a lock
/// the database server holds for the runner's connection.
public protocol RunnerLiveness: Sendable {
    /// Claims `run` for as long as the returned claim lives (and no longer than the process).
    /// - Throws: ``RunnerLockError/held(run:holder:)`` when a live runner has it already.
    func claim(run: String) throws -> any RunnerClaim
    /// Whether a live runner holds `run`.
    func isHeld(run: String) -> Bool
}

/// A runner's hold on its run: released when the value goes, or the process ends however it ends.
public protocol RunnerClaim: AnyObject {}

extension RunnerLock: RunnerClaim {}

/// Runner liveness by ``RunnerLock``: an `flock` on a file beside an SQLite journal.
public struct RunnerLockFiles: RunnerLiveness {
    /// The journal the lock files are beside.
    public var journalPath: String

    public init(journalPath: String) {
        self.journalPath = journalPath
    }

    public func claim(run: String) throws -> any RunnerClaim {
        try RunnerLock(journal: journalPath, run: run)
    }

    public func isHeld(run: String) -> Bool {
        RunnerLock.isHeld(journal: journalPath, run: run)
    }
}
