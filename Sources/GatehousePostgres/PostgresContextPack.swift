import Foundation
import GatehouseCore
import GatehouseEngine
import PostgresNIO

/// The production cut target on PostgreSQL: the context pack's tables in the schema
/// `context_pack` of a database.
///
/// Dry runs connect as the read-only role (``PostgresLocation/readOnlyUser``) and read inside
/// `BEGIN … READ ONLY` transactions that are always rolled back, so a write is refused by the
/// server itself; LIVE connects as the location's user, takes a lock that keeps other writers
/// out, re-checks the pre-state SHA-256 and writes the units with their idempotency marker in
/// one transaction. The content SHA-256 is computed as the embedded pack computes it, so the
/// same content has the same digest on either target.
public final class PostgresContextPack: ContextPackTarget {
    /// The schema version this build creates and reads.
    public static let schemaVersion = 1
    /// The schema the pack's tables live in.
    public static let schema = "context_pack"

    /// Where the pack is, as the location names it (the writer's role; no password).
    public let location: PostgresLocation
    private let session: PostgresSession
    private let readOnly: Bool
    /// The environment the pack was opened with: where its tools find the password.
    private let environment: [String: String]

    /// A content table's ordered columns and primary key (the order the SHA-256 is taken in,
    /// byte-wise as SQLite compares).
    private static func layout(of table: ContextPackTable) -> (columns: [Column], key: String) {
        switch table {
        case .document:
            ([.text("id"), .text("title"), .flag("signature_critical"), .text("body"), .text("digest")],
             "id COLLATE \"C\"")
        case .unit:
            ([.text("document_id"), .integer("ordinal"), .text("heading"), .text("body"), .text("digest"), .text("run_id")],
             "document_id COLLATE \"C\", ordinal")
        case .cutMarker:
            ([.text("document_id"), .text("document_digest"), .text("run_id"), .integer("units")],
             "document_id COLLATE \"C\", document_digest COLLATE \"C\"")
        }
    }

    private enum Column {
        case text(String), integer(String), flag(String)
        var name: String {
            switch self { case .text(let name), .integer(let name), .flag(let name): name }
        }
    }

    // MARK: - Opening and creating

    /// Opens the pack at `location`: as its read-only role when `readOnly`, else as its user.
    ///
    /// Throws ``TargetError/notATarget(location:reason:)`` when the database holds no context
    /// pack of this schema version, and a ``PostgresFailure`` when the server cannot be used.
    public init(location: PostgresLocation, readOnly: Bool,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.location = location
        self.readOnly = readOnly
        self.environment = environment
        let role = readOnly ? location.readOnlyUser : location.user
        session = try PostgresSession.connect(to: location.connecting(as: role),
                                              applicationName: readOnly ? "gatehouse-read" : "gatehouse-apply",
                                              environment: environment)
        try Self.validate(session, location: location)
    }

    /// Ends the connection now (it also ends when the pack goes away).
    public func close() {
        session.close()
    }

    /// Creates the pack's schema and tables at `location`, seeded with ``SampleDocuments``, as
    /// the location's user, and grants the read-only role what a dry run needs.
    ///
    /// One transaction: a failure leaves the database as it was. Refuses a database that
    /// already has the schema. Returns the pack and, when the read-only role does not exist
    /// yet, what to run so that dry runs can connect.
    public static func create(location: PostgresLocation,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (pack: PostgresContextPack, readOnlyRoleMissing: Bool) {
        let session = try PostgresSession.connect(to: location, applicationName: "gatehouse-init", environment: environment)
        defer { session.close() }
        let roleExists = try session.transaction { () throws -> Bool in
            let present = try session.rows("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)")
            guard present.isEmpty else {
                throw TargetError.notATarget(
                    location: location.description,
                    reason: "database '\(location.database)' already has a schema '\(schema)' and a new pack is never created over one; open it, or drop the schema first")
            }
            try session.execute(statements: Self.ddl)
            try session.execute("INSERT INTO context_pack.meta (key, value) VALUES ('target_id', \(UUID().uuidString.lowercased())), ('schema_version', \(String(schemaVersion)))")
            for document in SampleDocuments.all {
                try session.execute("""
                    INSERT INTO context_pack.document (id, title, signature_critical, body, digest)
                    VALUES (\(document.id), \(document.title), \(document.signatureCritical), \(document.body), \(document.digest))
                    """)
            }
            let role = try session.rows("SELECT 1 FROM pg_roles WHERE rolname = \(location.readOnlyUser)")
            if !role.isEmpty { try grantReading(to: location.readOnlyUser, session) }
            return !role.isEmpty
        }
        return (try PostgresContextPack(location: location, readOnly: false, environment: environment), !roleExists)
    }

    /// Lets `role` read the pack (and nothing more): what `gatehouse init` grants.
    static func grantReading(to role: String, _ session: PostgresSession) throws {
        let quoted = PostgresSession.quoted(identifier: role)
        try session.execute(statements: [
            "GRANT USAGE ON SCHEMA context_pack TO \(quoted)",
            "GRANT SELECT ON ALL TABLES IN SCHEMA context_pack TO \(quoted)",
        ])
    }

    /// The SQL a DBA runs (as a role that may create roles) so that dry runs can connect.
    public static func readOnlyRoleSQL(_ location: PostgresLocation) -> String {
        let role = PostgresSession.quoted(identifier: location.readOnlyUser)
        return """
            CREATE ROLE \(role) LOGIN PASSWORD '…';
            GRANT CONNECT ON DATABASE \(PostgresSession.quoted(identifier: location.database)) TO \(role);
            GRANT USAGE ON SCHEMA context_pack TO \(role);
            GRANT SELECT ON ALL TABLES IN SCHEMA context_pack TO \(role);
            ALTER ROLE \(role) SET default_transaction_read_only = on;
            """
    }

    private static let ddl = [
        "CREATE SCHEMA context_pack",
        """
        CREATE TABLE context_pack.meta (
            key text PRIMARY KEY,
            value text NOT NULL
        )
        """,
        """
        CREATE TABLE context_pack.document (
            id text PRIMARY KEY,
            title text NOT NULL,
            signature_critical boolean NOT NULL,
            body text NOT NULL,
            digest text NOT NULL
        )
        """,
        """
        CREATE TABLE context_pack.unit (
            document_id text NOT NULL REFERENCES context_pack.document(id),
            ordinal bigint NOT NULL CHECK (ordinal > 0),
            heading text NOT NULL,
            body text NOT NULL,
            digest text NOT NULL,
            run_id text NOT NULL,
            PRIMARY KEY (document_id, ordinal)
        )
        """,
        """
        CREATE TABLE context_pack.cut_marker (
            document_id text NOT NULL REFERENCES context_pack.document(id),
            document_digest text NOT NULL,
            run_id text NOT NULL,
            units bigint NOT NULL,
            PRIMARY KEY (document_id, document_digest)
        )
        """,
    ]

    /// Throws unless the session's database holds a context pack of this schema version.
    private static func validate(_ session: PostgresSession, location: PostgresLocation) throws {
        let place = "database '\(location.database)' on \(location.host):\(location.port)"
        let hasSchema = try session.rows("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)")
        guard !hasSchema.isEmpty else {
            throw TargetError.notATarget(location: location.description,
                                         reason: "\(place) has no schema '\(schema)'; create the pack with `gatehouse init --target \(location)`")
        }
        for table in ["meta"] + ContextPackTable.allCases.map(\.name) {
            let found = try session.rows("SELECT 1 FROM pg_tables WHERE schemaname = \(schema) AND tablename = \(table)")
            guard !found.isEmpty else {
                throw TargetError.notATarget(location: location.description,
                                             reason: "the table \(schema).\(table) is missing from \(place); restore the pack from a backup")
            }
        }
        let version = try session.rows("SELECT value FROM context_pack.meta WHERE key = 'schema_version'").first?.decode(String.self)
        guard let version else {
            throw TargetError.notATarget(location: location.description, reason: "its meta table has no schema_version; it is not a Gatehouse context pack")
        }
        guard version == String(schemaVersion) else {
            throw TargetError.notATarget(location: location.description,
                                         reason: "its schema version is \(version) but this gatehouse reads version \(schemaVersion); use a gatehouse that matches it")
        }
    }

    // MARK: - Reading

    public func identity() throws -> TargetIdentity {
        let rows = try session.rows("SELECT key, value FROM context_pack.meta")
        var meta: [String: String] = [:]
        for row in rows {
            let (key, value) = try row.decode((String, String).self)
            meta[key] = value
        }
        return TargetIdentity(id: meta["target_id"] ?? "", location: location.description,
                              schemaVersion: meta["schema_version"].flatMap { Int($0) } ?? 0)
    }

    public func documents() throws -> [TargetDocument] {
        try session.rows("SELECT id, title, signature_critical, body, digest FROM context_pack.document ORDER BY id COLLATE \"C\"").map { row in
            let (id, title, critical, body, digest) = try row.decode((String, String, Bool, String, String).self)
            return TargetDocument(id: id, title: title, signatureCritical: critical, body: body, digest: digest)
        }
    }

    // MARK: - Backup

    public var backupFileExtension: String { "dump" }


    public var kind: String { "postgresql" }

    /// A libpq URI (`pg_restore --dbname=…` reads it), without gatehouse's own parameters.
    public var clientAddress: String { location.libpqURI }

    public func backup(to path: String) throws -> BackupRecord {
        try PostgresDump.backup(location, to: path, environment: environment)
    }

    /// Streamed into gpg and into a scratch database's restore at once (``PostgresDump``).
    public func takeBackup(to path: String, encryptingTo recipients: [String]) throws -> TakenBackup {
        try PostgresDump.backup(location, to: path, encryptingTo: recipients, environment: environment)
    }

    /// Read back by restoring the dump into a scratch database beside the pack's.
    public func contentSHA256(of record: BackupRecord) throws -> String? {
        try PostgresDump.drill(backup: record.path, sha256: record.sha256, into: location, environment: environment)
    }
}

/// The pack's storage: transactions and statements on the pack's session.
extension PostgresContextPack: ContextPackStore {
    public var storage: ContextPackStorage { ContextPackStorage(self) }

    package var packLocation: String { location.description }

    package var writeRefusal: String? {
        readOnly ? "it was opened as the read-only role \(location.readOnlyUser), so nothing can be written; open it as the writer to apply a cut" : nil
    }

    /// `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`, always rolled back.
    package func readingConsistently<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try session.readOnlyTransaction(consistent: true) { try body(session) }
    }

    /// Writers wait on the lock until this commits; readers go on. Held from the first statement to the commit.
    package func writingExclusively<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try session.transaction {
            try session.execute("LOCK TABLE context_pack.document, context_pack.unit, context_pack.cut_marker IN SHARE ROW EXCLUSIVE MODE")
            return try body(session)
        }
    }

    package func rowCount(of table: ContextPackTable, in session: PostgresSession) throws -> Int64 {
        try session.rows(PostgresQuery(unsafeSQL: "SELECT count(*) FROM context_pack.\(table.name)")).first?.decode(Int64.self) ?? 0
    }

    /// A flag is the integer 0 or 1, as SQLite stores it.
    package func forEachRow(of table: ContextPackTable, in session: PostgresSession,
                            _ body: ([String: JSONValue]) -> Void) throws {
        let layout = Self.layout(of: table)
        let columns = layout.columns.map { PostgresSession.quoted(identifier: $0.name) }.joined(separator: ", ")
        let rows = try session.rows(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM context_pack.\(table.name) ORDER BY \(layout.key)"))
        for row in rows {
            var fields: [String: JSONValue] = [:]
            for (column, cell) in zip(layout.columns, row) {
                switch column {
                case .text(let name): fields[name] = .string(try cell.decode(String.self))
                case .integer(let name): fields[name] = .int(try cell.decode(Int64.self))
                case .flag(let name): fields[name] = .int(try cell.decode(Bool.self) ? 1 : 0)
                }
            }
            body(fields)
        }
    }

    package func documentDigest(id: String, in session: PostgresSession) throws -> String? {
        try session.rows("SELECT digest FROM context_pack.document WHERE id = \(id)").first?.decode(String.self)
    }

    package func documentIDs(in session: PostgresSession) throws -> [String] {
        try session.rows("SELECT id FROM context_pack.document ORDER BY id COLLATE \"C\"").map { try $0.decode(String.self) }
    }

    package func markerRun(for document: TargetDocument, in session: PostgresSession) throws -> String? {
        try session.rows("SELECT run_id FROM context_pack.cut_marker WHERE document_id = \(document.id) AND document_digest = \(document.digest)")
            .first?.decode(String.self)
    }

    package func unitRun(ofDocument id: String, in session: PostgresSession) throws -> String? {
        try session.rows("SELECT run_id FROM context_pack.unit WHERE document_id = \(id) LIMIT 1").first?.decode(String.self)
    }

    package func insert(_ unit: CandidateUnit, ofDocument id: String, runID: String, in session: PostgresSession) throws {
        try session.execute("""
            INSERT INTO context_pack.unit (document_id, ordinal, heading, body, digest, run_id)
            VALUES (\(id), \(Int64(unit.ordinal)), \(unit.heading), \(unit.body), \(unit.digest), \(runID))
            """)
    }

    package func insertMarker(for document: TargetDocument, runID: String, units: Int, in session: PostgresSession) throws {
        try session.execute("""
            INSERT INTO context_pack.cut_marker (document_id, document_digest, run_id, units)
            VALUES (\(document.id), \(document.digest), \(runID), \(Int64(units)))
            """)
    }
}

extension PostgresSession {
    /// A read-only transaction; `consistent` reads every statement from one snapshot
    /// (REPEATABLE READ), so counts and digest taken one after the other agree.
    func readOnlyTransaction<T>(consistent: Bool, _ body: () throws -> T) throws -> T {
        guard consistent else { return try readOnlyTransaction(body) }
        return try readOnlyTransaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }
}
