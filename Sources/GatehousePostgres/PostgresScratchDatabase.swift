import Foundation
import GatehouseCore
import GatehouseEngine
import PostgresNIO

/// A database made beside a pack's on the same server for one read-back or drill, dropped
/// after: where a dump is restored so that what it holds can be read without touching the pack.
///
/// It is created by the pack's own user, who needs `CREATEDB` for it.
enum PostgresScratchDatabase {
    /// Creates a scratch database beside `location`'s, hands `body` its location (same user,
    /// server and password), and drops it (and any connection still on it) after.
    static func using<T>(beside location: PostgresLocation, purpose: String, environment: [String: String],
                         _ body: (PostgresLocation) throws -> T) throws -> T {
        var scratch = location
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        scratch.database = String(location.database.prefix(40)) + "_gh_\(purpose)_" + suffix
        let name = PostgresSession.quoted(identifier: scratch.database)
        func refusal(_ error: any Error) -> TargetError {
            .badBackup(path: location.description,
                       reason: "no scratch database can be created beside it as \(location.user) (\(error)); a pg_dump backup is read back "
                           + "by restoring it into one, so the role needs CREATEDB (`ALTER ROLE \(location.user) CREATEDB`); nothing was applied or restored")
        }
        let session: PostgresSession
        do { session = try PostgresSession.connect(to: location, applicationName: "gatehouse-scratch", environment: environment) } catch {
            throw refusal(error)
        }
        do { try session.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")) } catch {
            session.close()
            throw refusal(error)
        }
        defer {
            _ = try? session.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
            session.close()
        }
        return try body(scratch)
    }
}
