import Foundation
import GatehouseCore
import GatehouseEngine
import PostgresNIO

/// Runner liveness for a PostgreSQL journal, across hosts: a runner holds a session-level
/// advisory lock on its run (`pg_try_advisory_lock`) for its whole life, on a connection of
/// its own.
///
/// The server releases the lock when that connection ends: the runner exits or crashes (its
/// host's kernel closes the socket), or its host vanishes (once the server's TCP keepalive
/// gives up on the connection, which can take minutes with the server's defaults). The lock's
/// key is derived from the run's id, so runs never share one in practice.
public final class PostgresRunnerLiveness: RunnerLiveness, @unchecked Sendable {
    private let location: PostgresLocation
    private let environment: [String: String]
    /// The session that checks other runners' locks (never holds one of its own).
    private let checker: PostgresConnectionSlot

    public init(location: PostgresLocation, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.location = location
        self.environment = environment
        checker = PostgresConnectionSlot(location: location, applicationName: "gatehouse runner check", environment: environment)
    }

    /// The advisory lock key of `run`: the first 64 bits of a SHA-256 of its id.
    public static func key(run: String) -> Int64 {
        Int64(bitPattern: UInt64(sha256Hex("gatehouse runner " + run).prefix(16), radix: 16) ?? 0)
    }

    public func claim(run: String) throws -> any RunnerClaim {
        let session = try PostgresSession.connect(to: location, applicationName: Self.applicationPrefix + RunnerIdentity.current.description,
                                                  environment: environment)
        let key = Self.key(run: run)
        guard try session.rows("SELECT pg_try_advisory_lock(\(key))").first?.decode(Bool.self) == true else {
            let holder = (try? Self.holder(of: key, session)) ?? nil
            session.close()
            throw RunnerLockError.held(run: run, holder: holder ?? "another process")
        }
        return PostgresRunnerClaim(session: session, key: key)
    }

    /// Which of `runs` a live runner's connection holds, from one look at the server's locks;
    /// every one ``RunnerPresence/unknown(_:)`` when the server cannot be asked (a runner is
    /// not declared gone on a guess).
    public func presence(of runs: [String]) -> [String: RunnerPresence] {
        do {
            let holders = try checker.use { session in try Self.holders(session) }
            return Dictionary(uniqueKeysWithValues: runs.map { run in
                guard let holder = holders[Self.key(run: run)] else { return (run, .gone(nil)) }
                return (run, .alive(holder))
            })
        } catch {
            return Dictionary(uniqueKeysWithValues: runs.map { ($0, .unknown(nil)) })
        }
    }

    /// Every advisory lock held exclusively in this database, by key, with the runner its
    /// connection's `application_name` names (nil when it names none or cannot be read).
    private static func holders(_ session: PostgresSession) throws -> [Int64: RunnerIdentity?] {
        let rows = try session.rows("""
            SELECT l.classid::bigint, l.objid::bigint, coalesce(a.application_name, '')
            FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock' AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """)
        var holders: [Int64: RunnerIdentity?] = [:]
        for row in rows {
            let (high, low, name) = try row.decode((Int64, Int64, String).self)
            let key = Int64(bitPattern: UInt64(UInt32(truncatingIfNeeded: high)) << 32 | UInt64(UInt32(truncatingIfNeeded: low)))
            holders[key] = RunnerIdentity(parsing: String(name.dropFirst(applicationPrefix.count)))
        }
        return holders
    }

    /// What a runner's connection's `application_name` starts with, before its identity.
    static let applicationPrefix = "gatehouse runner "

    /// The connection that holds `key`, as `application_name` names it.
    private static func holder(of key: Int64, _ session: PostgresSession) throws -> String? {
        let high = (key >> 32) & 0xFFFF_FFFF
        let low = key & 0xFFFF_FFFF
        let row = try session.rows("""
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = \(high) AND l.objid::bigint = \(low) AND l.objsubid = 1
            LIMIT 1
            """).first
        return try row?.decode(String.self)
    }
}

/// A runner's advisory lock, held by the session's connection: let go when the claim goes
/// (at once, so that the run is free when this returns), else when the connection ends.
final class PostgresRunnerClaim: RunnerClaim {
    private let session: PostgresSession
    private let key: Int64

    init(session: PostgresSession, key: Int64) {
        self.session = session
        self.key = key
    }

    deinit {
        _ = try? session.execute("SELECT pg_advisory_unlock(\(key))")
        session.close()
    }
}
