import Foundation
import GatehousePostgres
import PostgresNIO

/// A throw-away database on a PostgreSQL server, for the benchmark's and the end-to-end tests'
/// journals: created empty, dropped (with any connection still on it) by ``drop()``.
///
/// The server is named by a superuser location in `GATEHOUSE_BENCH_POSTGRES`, else
/// `GATEHOUSE_TEST_POSTGRES` (what `scripts/test.sh` sets), its password in `PGPASSWORD`.
public final class PostgresScratch {
    /// The superuser location of the new database.
    public let location: PostgresLocation
    /// The location the database was created from.
    private let server: PostgresLocation

    /// The server's superuser location from the environment, or nil when none is set.
    public static func server(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresLocation? {
        guard let text = [environment["GATEHOUSE_BENCH_POSTGRES"], environment["GATEHOUSE_TEST_POSTGRES"]]
            .compactMap({ $0 }).first(where: { !$0.isEmpty }) else { return nil }
        return try PostgresLocation(parsing: text)
    }

    /// Creates a database named after `label` on `server`.
    public init(_ label: String, on server: PostgresLocation) throws {
        self.server = server
        let admin = try PostgresSession.connect(to: server, applicationName: "gatehouse scratch")
        defer { admin.close() }
        var location = server
        location.database = "gh_\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(UInt32.random(in: 0...UInt32.max))"
        try admin.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(location.database)"))
        self.location = location
    }

    /// Drops the database, ending any connection still on it.
    public func drop() {
        guard let admin = try? PostgresSession.connect(to: server, applicationName: "gatehouse scratch") else { return }
        defer { admin.close() }
        _ = try? admin.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)"))
    }
}
