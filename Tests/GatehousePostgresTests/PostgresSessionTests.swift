import Foundation
import GatehousePostgres
import GatehouseTestSupport
import PostgresNIO
import Testing

@Suite("PostgreSQL locations and passwords")
struct PostgresLocationTests {
    @Test func aLocationNamesUserHostPortAndDatabase() throws {
        let location = try PostgresLocation(parsing: "postgres://gatehouse@db.example:6543/contextpack")
        #expect(location == PostgresLocation(user: "gatehouse", host: "db.example", port: 6543, database: "contextpack"))
        #expect(location.readOnlyUser == "context_pack_readonly")
        #expect(location.description == "postgres://gatehouse@db.example:6543/contextpack")
    }

    @Test func thePortDefaultsTo5432AndParametersAreRead() throws {
        let location = try PostgresLocation(parsing: "postgresql://cutter@10.0.0.5/pack?readonly_user=viewer&sslmode=disable")
        #expect(location.port == 5432)
        #expect(location.readOnlyUser == "viewer")
        #expect(location.sslMode == .disable)
        #expect(location.description == "postgres://cutter@10.0.0.5:5432/pack?readonly_user=viewer&sslmode=disable")
    }

    @Test func aPasswordInTheLocationIsRefusedAndNotRepeated() {
        #expect {
            try PostgresLocation(parsing: "postgres://gatehouse:s3cret@db.example/contextpack")
        } throws: { error in
            let text = "\(error)"
            return text.contains("PGPASSWORD") && !text.contains("s3cret") && text.contains("gatehouse:***@")
        }
    }

    @Test(arguments: [
        ("postgres://db.example/pack", "no user"),
        ("postgres://gatehouse@db.example", "no database"),
        ("postgres://gatehouse@db.example/pack?mode=fast", "unknown parameter 'mode'"),
        ("postgres://gatehouse@db.example/pack?sslmode=verify-full", "expected one of disable, prefer, require"),
        ("mysql://gatehouse@db.example/pack", "expected postgres://"),
    ])
    func aBadLocationSaysWhatIsWrong(text: String, problem: String) {
        #expect {
            try PostgresLocation(parsing: text)
        } throws: { error in
            "\(error)".contains(problem)
        }
    }

    @Test func PGPASSWORDComesBeforeThePasswordFile() throws {
        let location = PostgresLocation(user: "gatehouse", host: "db", database: "pack")
        #expect(PostgresPassword.lookup(for: location, environment: ["PGPASSWORD": "from-env", "PGPASSFILE": "/nonexistent"]) == "from-env")
        #expect(PostgresPassword.lookup(for: location, environment: ["PGPASSFILE": "/nonexistent"]) == nil)
    }

    @Test func thePasswordFileMatchesItsFirstLineWithWildcardsAndEscapes() {
        let file = """
            # host:port:database:user:password
            other:5432:pack:gatehouse:wrong-host
            db:5432:pack:context_pack_readonly:reader
            db:*:pack:gatehouse:pa\\:ss\\\\word
            *:*:*:*:fallback
            """
        let writer = PostgresLocation(user: "gatehouse", host: "db", database: "pack")
        #expect(PostgresPassword.lookup(for: writer, passfile: file) == "pa:ss\\word")
        #expect(PostgresPassword.lookup(for: writer.connecting(as: "context_pack_readonly"), passfile: file) == "reader")
        #expect(PostgresPassword.lookup(for: writer.connecting(as: "someone"), passfile: file) == "fallback")
    }
}

@Suite("PostgreSQL sessions against the test server", .enabled(if: !TestServer.skipped, "GATEHOUSE_SKIP_POSTGRES=1"))
struct PostgresSessionTests {
    @Test func aSessionRunsQueriesAndTransactions() throws {
        let database = try TestServer.scratchDatabase("session")
        defer { database.drop() }
        let session = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        defer { session.close() }
        try session.execute("CREATE TABLE t (n integer)")
        try session.transaction { try session.execute("INSERT INTO t VALUES (1), (2)") }
        struct Abandon: Error {}
        #expect(throws: Abandon.self) {
            try session.transaction {
                try session.execute("INSERT INTO t VALUES (3)")
                throw Abandon()
            }
        }
        let total = try session.rows("SELECT coalesce(sum(n), 0)::bigint FROM t").first?.decode(Int64.self)
        #expect(total == 3)
    }

    @Test func aWriteInAReadOnlyTransactionIsRefusedByTheServer() throws {
        let database = try TestServer.scratchDatabase("readonly")
        defer { database.drop() }
        let session = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        defer { session.close() }
        try session.execute("CREATE TABLE t (n integer)")
        #expect {
            try session.readOnlyTransaction { try session.execute("INSERT INTO t VALUES (1)") }
        } throws: { error in
            let failure = error as? PostgresFailure
            return failure?.kind == .readOnly && failure?.sqlState == "25006"
                && "\(error)".contains("cannot execute INSERT in a read-only transaction")
        }
        #expect(try session.rows("SELECT count(*) FROM t").first?.decode(Int64.self) == 0)
    }

    @Test func aWrongPasswordIsNamedAsSuch() throws {
        let location = try TestServer.administrator()
        #expect {
            try PostgresSession.connect(to: location, applicationName: "gatehouse-tests", environment: ["PGPASSWORD": "wrong", "PGPASSFILE": "/nonexistent"])
        } throws: { error in
            (error as? PostgresFailure)?.kind == .authentication && "\(error)".contains("refused the password of role 'postgres'")
        }
    }

    @Test func aMissingRoleAndAMissingDatabaseAreNamed() throws {
        let location = try TestServer.administrator()
        #expect {
            try PostgresSession.connect(to: location.connecting(as: "nobody_here"), applicationName: "gatehouse-tests")
        } throws: { error in
            // The server answers a wrong role like a wrong password, so as not to reveal which roles exist.
            [.missingRole, .authentication].contains((error as? PostgresFailure)?.kind) && "\(error)".contains("nobody_here")
        }
        var elsewhere = location
        elsewhere.database = "no_such_database"
        #expect {
            try PostgresSession.connect(to: elsewhere, applicationName: "gatehouse-tests")
        } throws: { error in
            (error as? PostgresFailure)?.kind == .missingDatabase && "\(error)".contains("no_such_database")
        }
    }

    @Test func noServerAtThePortIsUnreachable() throws {
        var location = try TestServer.administrator()
        location.port = 1  // nothing listens on port 1
        #expect {
            try PostgresSession.connect(to: location, applicationName: "gatehouse-tests")
        } throws: { error in
            (error as? PostgresFailure)?.kind == .unreachable && "\(error)".contains("is the server running")
        }
    }
}
