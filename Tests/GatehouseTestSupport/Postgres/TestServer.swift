import Foundation
import GatehousePostgres
import PostgresNIO
import Testing

/// The PostgreSQL server the tests run against, and a fresh database per test.
///
/// `GATEHOUSE_TEST_POSTGRES` names the server as a superuser location (the password in
/// `PGPASSWORD`); `scripts/test.sh` and `.ci/run` start a throw-away cluster and set both.
/// Without it these tests fail, saying so; `GATEHOUSE_SKIP_POSTGRES=1` skips them on purpose.
public enum TestServer {
    /// The test process's environment, read once.
    public static let environment = ProcessInfo.processInfo.environment

    /// Whether a developer asked to skip the PostgreSQL tests.
    public static let skipped = environment["GATEHOUSE_SKIP_POSTGRES"] == "1"

    /// Why there is no server to test against.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The superuser location of the test server.
    public static func administrator() throws -> PostgresLocation {
        guard let text = environment["GATEHOUSE_TEST_POSTGRES"], !text.isEmpty else {
            throw Unavailable(description: """
                no PostgreSQL server for the tests: GATEHOUSE_TEST_POSTGRES is not set. Run the suite with \
                `bash scripts/test.sh` (it starts a throw-away cluster), or set GATEHOUSE_TEST_POSTGRES=postgres://USER@HOST:PORT/DB \
                and PGPASSWORD for a superuser, or GATEHOUSE_SKIP_POSTGRES=1 to skip these tests on purpose
                """)
        }
        var location = try PostgresLocation(parsing: text)
        location.sslMode = .disable
        return location
    }

    /// A superuser session on the test server's maintenance database.
    public static func administer() throws -> PostgresSession {
        try PostgresSession.connect(to: administrator(), applicationName: "gatehouse-tests")
    }

    /// Creates a database of its own for one test, dropped (with its connections) by `drop`.
    public static func scratchDatabase(_ label: String) throws -> ScratchDatabase {
        let admin = try administer()
        defer { admin.close() }
        let name = "gh_\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(UInt32.random(in: 0...UInt32.max))"
        try admin.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        var location = try administrator()
        location.database = name
        return ScratchDatabase(location: location)
    }

    /// The test server's password, for roles the tests create (so `PGPASSWORD` serves them too).
    public static var password: String { environment["PGPASSWORD"] ?? "" }
}

/// A database created for one test.
public struct ScratchDatabase: Sendable {
    /// The superuser location of the database.
    public var location: PostgresLocation

    /// The database at `location`, made elsewhere (``TestServer/scratchDatabase(_:)`` makes one).
    public init(location: PostgresLocation) {
        self.location = location
    }

    /// Creates a read-only login role of this database's own (roles are cluster-wide, and
    /// tests run in parallel) and returns the location naming it as `readonly_user`.
    public func withReadOnlyRole() throws -> PostgresLocation {
        let admin = try TestServer.administer()
        defer { admin.close() }
        let role = "ro_" + location.database
        try admin.execute(statements: [
            "CREATE ROLE \(role) LOGIN PASSWORD \(PostgresSession.quoted(literal: TestServer.password))",
            "GRANT CONNECT ON DATABASE \(location.database) TO \(role)",
        ])
        var named = location
        named.readOnlyUser = role
        return named
    }

    /// The databases made beside this one for a backup's read-back or drill (named
    /// `<database>_gh_<purpose>_<hex>`) that are still on the server.
    public func scratchDatabasesLeftBeside() throws -> [String] {
        let admin = try TestServer.administer()
        defer { admin.close() }
        let prefix = String(location.database.prefix(40)) + "_gh_"
        return try admin.rows("SELECT datname FROM pg_database WHERE starts_with(datname, \(prefix))").map { try $0.decode(String.self) }
    }

    /// Drops the database, ending any connection still on it, and the role made for it.
    public func drop() {
        guard let admin = try? TestServer.administer() else { return }
        defer { admin.close() }
        _ = try? admin.execute(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)"))
        _ = try? admin.execute(PostgresQuery(unsafeSQL: "DROP ROLE IF EXISTS ro_\(location.database)"))
    }
}

/// Rows the server counted as inserted, updated or deleted in the pack's tables.
public struct TableStatistics: Equatable, Sendable {
    public var inserted: Int64
    public var updated: Int64
    public var deleted: Int64

    /// Reads the counters once every connection of the pack's roles to `database` has ended
    /// (a backend reports its counts when it ends).
    public static func read(_ database: ScratchDatabase) throws -> TableStatistics {
        let admin = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        defer { admin.close() }
        for _ in 0..<200 {
            let busy = try admin.rows("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = \(database.location.database) AND application_name LIKE 'gatehouse-%' AND application_name <> 'gatehouse-tests'
                """).first?.decode(Int64.self) ?? 0
            if busy == 0 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        try admin.execute("SELECT pg_stat_clear_snapshot()")
        let row = try admin.rows("""
            SELECT coalesce(sum(n_tup_ins), 0)::bigint, coalesce(sum(n_tup_upd), 0)::bigint, coalesce(sum(n_tup_del), 0)::bigint
            FROM pg_stat_user_tables WHERE schemaname = 'context_pack'
            """).first
        let (inserted, updated, deleted) = try #require(row).decode((Int64, Int64, Int64).self)
        return TableStatistics(inserted: inserted, updated: updated, deleted: deleted)
    }
}
