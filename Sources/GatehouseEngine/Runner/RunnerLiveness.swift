import Foundation
import GatehouseCore

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
    /// What can be seen from here of the runners of `runs`: one answer for each.
    func presence(of runs: [String]) -> [String: RunnerPresence]
}

extension RunnerLiveness {
    /// What can be seen from here of the runner of `run`.
    public func presence(of run: String) -> RunnerPresence {
        presence(of: [run])[run] ?? .unknown(nil)
    }

    /// What can be seen of the runners of the runs in `ledger` the journal believes attached
    /// and unfinished (``RunLedger/runsWithARunner``), so a watcher's once-a-second look
    /// skips the ended, lost and stopped ones.
    public func presence(in ledger: RunLedger) -> [String: RunnerPresence] {
        let runs = ledger.runsWithARunner
        return runs.isEmpty ? [:] : presence(of: runs)
    }
}

/// A runner's hold on its run: released when the value goes, or the process ends however it ends.
public protocol RunnerClaim: AnyObject {}

extension RunnerLock: RunnerClaim {}

/// Runner liveness by ``RunnerLock``: an `flock` on a file beside an SQLite journal.
///
/// A lock another host's runner took on a shared file system may not be visible here: a free
/// lock whose file names another host is ``RunnerPresence/unknown(_:)``, not gone.
public struct RunnerLockFiles: RunnerLiveness {
    /// The journal the lock files are beside.
    public var journalPath: String

    public init(journalPath: String) {
        self.journalPath = journalPath
    }

    public func claim(run: String) throws -> any RunnerClaim {
        try RunnerLock(journal: journalPath, run: run)
    }

    public func presence(of runs: [String]) -> [String: RunnerPresence] {
        let here = RunnerIdentity.current.host
        return Dictionary(uniqueKeysWithValues: runs.map { run in
            let probe = RunnerLock.probe(journal: journalPath, run: run)
            switch probe {
            case .held(let holder): return (run, .alive(holder))
            case .free(let last?) where last.host != here: return (run, .unknown(last))
            case .free(let last): return (run, .gone(last))
            }
        })
    }
}

extension RunnerIdentity {
    /// This process, on this host.
    public static var current: RunnerIdentity {
        var name = [CChar](repeating: 0, count: 256)
        let named = gethostname(&name, name.count - 1) == 0
        let host = named ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return RunnerIdentity(host: host, pid: getpid())
    }
}
