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
public final class PostgresContextPack: CutTarget {
    /// The schema version this build creates and reads.
    public static let schemaVersion = 1
    /// The schema the pack's tables live in.
    public static let schema = "context_pack"

    /// Where the pack is, as the location names it (the writer's role; no password).
    public let location: PostgresLocation
    private let session: PostgresSession
    private let readOnly: Bool

    /// The content tables, in the order the snapshot reads them, each with its ordered columns
    /// and primary key (the order the SHA-256 is taken in, byte-wise as SQLite compares).
    private static let contentTables: [(name: String, columns: [Column], key: String)] = [
        ("document", [.text("id"), .text("title"), .flag("signature_critical"), .text("body"), .text("digest")],
         "id COLLATE \"C\""),
        ("unit", [.text("document_id"), .integer("ordinal"), .text("heading"), .text("body"), .text("digest"), .text("run_id")],
         "document_id COLLATE \"C\", ordinal"),
        ("cut_marker", [.text("document_id"), .text("document_digest"), .text("run_id"), .integer("units")],
         "document_id COLLATE \"C\", document_digest COLLATE \"C\""),
    ]

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
        for table in ["meta"] + contentTables.map(\.name) {
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

    public func snapshot() throws -> TargetSnapshot {
        try session.readOnlyTransaction(consistent: true) { try self.currentSnapshot() }
    }

    public func documents() throws -> [TargetDocument] {
        try session.rows("SELECT id, title, signature_critical, body, digest FROM context_pack.document ORDER BY id COLLATE \"C\"").map { row in
            let (id, title, critical, body, digest) = try row.decode((String, String, Bool, String, String).self)
            return TargetDocument(id: id, title: title, signatureCritical: critical, body: body, digest: digest)
        }
    }

    /// Counts and content SHA-256, read in the transaction in progress.
    private func currentSnapshot() throws -> TargetSnapshot {
        var counts: [String: Int64] = [:]
        for table in Self.contentTables {
            counts[table.name] = try session.rows(PostgresQuery(unsafeSQL: "SELECT count(*) FROM context_pack.\(table.name)"))
                .first?.decode(Int64.self) ?? 0
        }
        return TargetSnapshot(counts: counts, sha256: try contentSHA256())
    }

    /// SHA-256 over every row of the content tables, one canonical JSON line per row, exactly
    /// as ``SQLiteContextPack`` computes it (a flag is the integer 0 or 1, as SQLite stores it).
    private func contentSHA256() throws -> String {
        var bytes: [UInt8] = []
        for table in Self.contentTables {
            let columns = table.columns.map { PostgresSession.quoted(identifier: $0.name) }.joined(separator: ", ")
            let rows = try session.rows(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM context_pack.\(table.name) ORDER BY \(table.key)"))
            for row in rows {
                var fields: [String: JSONValue] = [:]
                for (column, cell) in zip(table.columns, row) {
                    switch column {
                    case .text(let name): fields[name] = .string(try cell.decode(String.self))
                    case .integer(let name): fields[name] = .int(try cell.decode(Int64.self))
                    case .flag(let name): fields[name] = .int(try cell.decode(Bool.self) ? 1 : 0)
                    }
                }
                bytes += JSONValue.array([.string(table.name), .object(fields)]).canonical.utf8
                bytes.append(0x0A)
            }
        }
        return DocumentCut.digest(ofBytes: bytes)
    }

    // MARK: - Applying

    /// The whole dry apply in one `READ ONLY` transaction that is rolled back: the pre-state,
    /// the checks and what would be written, then the post-state, proved equal to the pre-state.
    public func dryApply(document: TargetDocument, units: [CandidateUnit], runID: String) throws -> ApplyOutcome {
        try session.readOnlyTransaction(consistent: true) {
            let before = try currentSnapshot()
            try checkDocument(document)
            let outcome: ApplyOutcome
            if let previous = try marker(for: document) {
                outcome = ApplyOutcome(inserted: 0, alreadyAppliedBy: previous)
            } else {
                try checkNoUnits(of: document)
                outcome = ApplyOutcome(inserted: units.count, alreadyAppliedBy: nil)
            }
            let after = try currentSnapshot()
            guard after == before else {
                throw TargetError.notATarget(location: location.description,
                                             reason: "its content changed inside a read-only transaction (SHA-256 \(before.sha256.prefix(12))… → \(after.sha256.prefix(12))…); nothing was written by this run")
            }
            return outcome
        }
    }

    public func apply(document: TargetDocument, units: [CandidateUnit], runID: String, expectedPreState: String,
                      progress: (Int) throws -> Void, beforeCommit: () throws -> Void) throws -> ApplyOutcome {
        guard !readOnly else {
            throw TargetError.notATarget(location: location.description,
                                         reason: "it was opened as the read-only role \(location.readOnlyUser), so nothing can be written; open it as the writer to apply a cut")
        }
        return try session.transaction {
            // Writers wait here until this commits; readers go on. Held from the check to the commit.
            try session.execute("LOCK TABLE context_pack.document, context_pack.unit, context_pack.cut_marker IN SHARE ROW EXCLUSIVE MODE")
            try checkDocument(document)
            if let previous = try marker(for: document) {
                return ApplyOutcome(inserted: 0, alreadyAppliedBy: previous)
            }
            let found = try contentSHA256()
            guard found == expectedPreState else {
                throw TargetError.drift(expected: expectedPreState, found: found)
            }
            try checkNoUnits(of: document)
            for (index, unit) in units.enumerated() {
                try session.execute("""
                    INSERT INTO context_pack.unit (document_id, ordinal, heading, body, digest, run_id)
                    VALUES (\(document.id), \(Int64(unit.ordinal)), \(unit.heading), \(unit.body), \(unit.digest), \(runID))
                    """)
                try progress(index + 1)
            }
            try session.execute("""
                INSERT INTO context_pack.cut_marker (document_id, document_digest, run_id, units)
                VALUES (\(document.id), \(document.digest), \(runID), \(Int64(units.count)))
                """)
            try beforeCommit()
            return ApplyOutcome(inserted: units.count, alreadyAppliedBy: nil)
        }
    }

    /// The run whose marker says this document content was already cut, if any.
    private func marker(for document: TargetDocument) throws -> String? {
        try session.rows("SELECT run_id FROM context_pack.cut_marker WHERE document_id = \(document.id) AND document_digest = \(document.digest)")
            .first?.decode(String.self)
    }

    /// Throws unless the pack holds `document` with the same digest.
    private func checkDocument(_ document: TargetDocument) throws {
        guard let digest = try session.rows("SELECT digest FROM context_pack.document WHERE id = \(document.id)").first?.decode(String.self) else {
            throw TargetError.unknownDocument(document.id, available: try documents().map(\.id))
        }
        guard digest == document.digest else {
            throw TargetError.drift(expected: document.digest, found: digest)
        }
    }

    /// Throws when units of the document, cut from other content, are already there.
    private func checkNoUnits(of document: TargetDocument) throws {
        if let previous = try session.rows("SELECT run_id FROM context_pack.unit WHERE document_id = \(document.id) LIMIT 1").first?.decode(String.self) {
            throw TargetError.notATarget(
                location: location.description,
                reason: "document '\(document.id)' already holds units that run \(previous) cut from other content; restore a backup taken before that run to cut it again")
        }
    }

    // MARK: - Backup

    public var backupFileExtension: String { "dump" }

    public func backup(to path: String) throws -> BackupRecord {
        try PostgresDump.backup(location, to: path)
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
