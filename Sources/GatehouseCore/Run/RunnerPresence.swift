import Foundation

/// A runner process as its lock names it: the host it runs on and its process id.
public struct RunnerIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The host name the runner runs on.
    public var host: String
    /// Its process id on that host.
    public var pid: Int32

    public init(host: String, pid: Int32) {
        self.host = host
        self.pid = pid
    }

    /// `pid N@host`, as a runner writes it into its lock.
    public var description: String { "pid \(pid)@\(host)" }

    /// Reads `pid N@host` (what ``description`` writes); nil for anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("pid "), let at = trimmed.firstIndex(of: "@") else { return nil }
        let host = String(trimmed[trimmed.index(after: at)...])
        guard let pid = Int32(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 4)..<at]), pid > 0, !host.isEmpty else {
            return nil
        }
        self.init(host: host, pid: pid)
    }
}

/// What can be seen of a run's runner from here: a live process, none, or one on a host whose
/// processes this one cannot see.
///
/// The engine finds it from the runner's lock (a file lock beside an SQLite journal, an
/// advisory lock on a PostgreSQL server); screens and `gatehouse status` show it beside the
/// journal's word for the run (``RunState/runner(seen:)``).
public enum RunnerPresence: Sendable, Equatable {
    /// A live runner holds the run (who it is, when its lock says).
    case alive(RunnerIdentity?)
    /// No runner holds the run: it crashed, was killed, or stopped; nothing moves until it is resumed.
    case gone(RunnerIdentity?)
    /// Whether its runner lives cannot be seen from here (it runs on another host, or the
    /// server that holds its lock cannot be asked).
    case unknown(RunnerIdentity?)

    /// Who the runner is or was, when known.
    public var identity: RunnerIdentity? {
        switch self {
        case .alive(let identity), .gone(let identity), .unknown(let identity): identity
        }
    }

    /// `alive`, `gone` or `unknown`.
    public var word: String {
        switch self {
        case .alive: "alive"
        case .gone: "gone"
        case .unknown: "unknown"
        }
    }

    /// Whether a live runner holds the run.
    public var isAlive: Bool {
        if case .alive = self { true } else { false }
    }

    /// Whether the run has no runner.
    public var isGone: Bool {
        if case .gone = self { true } else { false }
    }
}

extension RunState {
    /// The run's runner as the journal and its lock (`seen`; nil when not looked at) tell it
    /// together; nil once the run has ended, when it needs none.
    ///
    /// A run the journal says lost or stopped is gone, unless a live runner holds it already
    /// (one resuming it, before its `run.resumed`).
    public func runner(seen: RunnerPresence?) -> RunnerPresence? {
        guard !isEnded else { return nil }
        if case .alive = seen { return seen }
        if !runnerAttached { return .gone(seen?.identity) }
        return seen
    }

    /// ``situation``, saying where a gone runner left the run and what to do about it.
    public func situation(runner: RunnerPresence?) -> String {
        runner?.isGone == true ? goneSituation : situation
    }

    /// Where a runner that went away left the run, and what to do about it.
    var goneSituation: String {
        let place: String
        if let gate = waitingGate {
            place = " at \(gate)"
        } else if let running = runningPhase {
            place = " in \(running.phase.id)"
        } else {
            place = nextPendingPhase.map { " before \($0.phase.id)" } ?? " before the close-out"
        }
        return "runner gone\(place): nothing moves until `gatehouse resume \(shortID)`"
    }
}

extension RunLedger {
    /// The runs whose runners are worth looking at, newest first: unfinished, and attached as
    /// far as the journal knows (an ended run needs none; one recorded lost or stopped is gone
    /// already, ``RunState/runner(seen:)``).
    public var runsWithARunner: [String] {
        order.reversed().filter { id in runs[id].map { !$0.isEnded && $0.runnerAttached } ?? false }
    }
}
