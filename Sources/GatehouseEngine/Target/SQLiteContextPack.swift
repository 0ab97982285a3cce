import Foundation
import GatehouseCore
import GRDB

/// The embedded cut target: a "context pack", one SQLite file holding documents and the units
/// cut from them.
///
/// The file is kept in rollback-journal mode (`journal_mode = DELETE`, never WAL) with
/// `synchronous = FULL`: a read-only open leaves its bytes exactly as they were, every commit
/// is durable, and a backup or restore is a single SQLite transaction that a crash leaves
/// either undone or done, never half done.
public struct SQLiteContextPack: ContextPackTarget {
    /// The schema version this build creates and reads.
    public static let schemaVersion = 1

    private let queue: DatabaseQueue
    private let location: String
    private let readOnly: Bool

    /// Where the pack's file is, as given when it was opened or created.
    public var path: String { location }

    /// The file's path.
    public var clientAddress: String { location }

    // MARK: - Opening and creating

    /// Opens the existing context pack at `path`, for reading only when `readOnly` is true.
    ///
    /// Throws ``TargetError/notATarget(location:reason:)`` when there is no file at `path`, or
    /// when the file is not a context pack of this schema version.
    public init(path: String, readOnly: Bool) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TargetError.notATarget(location: path, reason: "no such file; create it with `gatehouse init`")
        }
        guard !isDirectory.boolValue else {
            throw TargetError.notATarget(location: path, reason: "it is a directory; give the path of the context pack file inside it")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: Self.configuration(readOnly: readOnly))
        } catch let error as DatabaseError {
            throw TargetError.notATarget(location: path, reason: "SQLite cannot open it (\(error.message ?? "\(error.resultCode)"))")
        }
        location = path
        self.readOnly = readOnly
        do {
            try queue.read { db in try Self.validate(db, location: path) }
        } catch let error as DatabaseError {
            throw TargetError.notATarget(location: path, reason: "it is not a readable SQLite database (\(error.message ?? "\(error.resultCode)"))")
        }
    }

    /// Creates a new context pack at `path`, seeded with ``SampleDocuments``, and opens it for writing.
    ///
    /// The pack is built in a temporary file next to `path` and moved into place only when
    /// complete, so a crash never leaves a half-seeded pack. Refuses a path where a file exists.
    public static func create(path: String) throws -> SQLiteContextPack {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw existingFile(path)
        }
        let temporary = try NewFile.temporaryPath(beside: path, purpose: "creating")
        defer { removeDatabaseFiles(temporary) }
        // The pack is the production data: readable by its owner alone, from its first byte.
        let created = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if created >= 0 { close(created) }
        let queue = try DatabaseQueue(path: temporary, configuration: configuration(readOnly: false))
        try queue.write { db in
            try db.execute(sql: schema)
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('target_id', ?), ('schema_version', ?)",
                           arguments: [UUID().uuidString.lowercased(), String(schemaVersion)])
            for document in SampleDocuments.all {
                try db.execute(
                    sql: "INSERT INTO document (id, title, signature_critical, body, digest) VALUES (?, ?, ?, ?, ?)",
                    arguments: [document.id, document.title, document.signatureCritical, document.body, document.digest])
            }
        }
        try queue.close()
        guard try NewFile.place(temporary, at: path) else { throw existingFile(path) }
        return try SQLiteContextPack(path: path, readOnly: false)
    }

    /// Busy waits up to 10 s for another process's lock; durable commits; never WAL.
    private static func configuration(readOnly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if !readOnly {
                // The default for a new file; switching a WAL file back needs a writable connection.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
        }
        return configuration
    }

    private static let schema = """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        CREATE TABLE document (
            id TEXT PRIMARY KEY NOT NULL,
            title TEXT NOT NULL,
            signature_critical INTEGER NOT NULL CHECK (signature_critical IN (0, 1)),
            body TEXT NOT NULL,
            digest TEXT NOT NULL
        );
        CREATE TABLE unit (
            document_id TEXT NOT NULL REFERENCES document(id),
            ordinal INTEGER NOT NULL CHECK (ordinal > 0),
            heading TEXT NOT NULL,
            body TEXT NOT NULL,
            digest TEXT NOT NULL,
            run_id TEXT NOT NULL,
            PRIMARY KEY (document_id, ordinal)
        );
        CREATE TABLE cut_marker (
            document_id TEXT NOT NULL REFERENCES document(id),
            document_digest TEXT NOT NULL,
            run_id TEXT NOT NULL,
            units INTEGER NOT NULL,
            PRIMARY KEY (document_id, document_digest)
        );
        """

    /// The primary key of a content table, the order its rows are digested in.
    private static func key(of table: ContextPackTable) -> String {
        switch table {
        case .document: "id"
        case .unit: "document_id, ordinal"
        case .cutMarker: "document_id, document_digest"
        }
    }

    /// Throws ``TargetError/notATarget(location:reason:)`` unless `db` is a context pack of this schema version.
    private static func validate(_ db: Database, location: String) throws {
        let notAPack = "it is an SQLite database but not a Gatehouse context pack"
        guard try db.tableExists("meta") else {
            throw TargetError.notATarget(location: location, reason: "\(notAPack) (it has no meta table)")
        }
        let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'")
        guard let version else {
            throw TargetError.notATarget(location: location, reason: "\(notAPack) (its meta table has no schema_version)")
        }
        guard version == String(schemaVersion) else {
            throw TargetError.notATarget(
                location: location,
                reason: "its schema version is \(version) but this gatehouse reads version \(schemaVersion); use a gatehouse that matches it")
        }
        guard try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'target_id'") != nil else {
            throw TargetError.notATarget(location: location, reason: "\(notAPack) (its meta table has no target_id)")
        }
        for table in ContextPackTable.allCases.map(\.name) {
            guard try db.tableExists(table) else {
                throw TargetError.notATarget(location: location, reason: "the \(table) table is missing; restore the pack from a backup")
            }
        }
    }

    // MARK: - Reading

    public func identity() throws -> TargetIdentity {
        let location = location
        return try queue.read { db in
            let meta = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM meta")
                .map { ($0["key"] as String, $0["value"] as String) })
            return TargetIdentity(id: meta["target_id"] ?? "", location: location,
                                  schemaVersion: meta["schema_version"].flatMap { Int($0) } ?? 0)
        }
    }

    public func documents() throws -> [TargetDocument] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, title, signature_critical, body, digest FROM document ORDER BY id").map { row in
                TargetDocument(id: row["id"], title: row["title"], signatureCritical: row["signature_critical"],
                               body: row["body"], digest: row["digest"])
            }
        }
    }

    // MARK: - Backup and restore

    public func backup(to path: String) throws -> BackupRecord {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw TargetError.badBackup(path: path, reason: "a file already exists there and a backup never overwrites one; choose a new path")
        }
        let temporary = try NewFile.temporaryPath(beside: path, purpose: "backup")
        defer { Self.removeDatabaseFiles(temporary) }
        let destination = try DatabaseQueue(path: temporary, configuration: Self.configuration(readOnly: false))
        // One step: the whole pack is copied under one read lock, a consistent snapshot.
        do {
            try queue.backup(to: destination)
            try destination.close()
        } catch let error as DatabaseError {
            try? destination.close()
            throw TargetError.badBackup(path: path, reason: "the copy could not be written (\(Self.writeFailure(error))); make room in "
                                        + "\(URL(fileURLWithPath: temporary).deletingLastPathComponent().path) and start a new run; nothing was applied")
        }
        // A backup is the whole target: readable by its owner alone.
        guard chmod(temporary, 0o600) == 0 else {
            throw TargetError.badBackup(path: path, reason: "its mode cannot be set to 0600 (\(String(cString: strerror(errno)))); nothing was applied")
        }
        guard try NewFile.place(temporary, at: path) else {
            throw TargetError.badBackup(path: path, reason: "a file appeared there while the backup was written; choose a new path")
        }
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return BackupRecord(path: path, sha256: try Self.sha256(ofFile: path), bytes: bytes)
    }

    /// Why SQLite could not write a copy, in words: its own message is often only a code.
    private static func writeFailure(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_FULL: "the disk is full"
        case .SQLITE_IOERR: "SQLite's write failed with an I/O error: the disk is full, a file-size limit was reached or the disk failed"
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: "the folder cannot be written"
        default: "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "no message")"
        }
    }

    /// The content SHA-256 of the backup file, opened read-only as a pack.
    public func contentSHA256(of record: BackupRecord) throws -> String? {
        do {
            return try SQLiteContextPack(path: record.path, readOnly: true).snapshot().sha256
        } catch TargetError.notATarget(_, let reason) {
            throw TargetError.badBackup(path: record.path, reason: "it cannot be read back as a context pack (\(reason)); nothing was applied")
        }
    }

    /// Puts the backup at `backupPath` back in place of the pack at `targetPath`.
    ///
    /// Refuses, changing nothing, unless the backup's SHA-256 is `expectedSHA256` (the one
    /// journaled when it was taken) and it is a context pack; refuses too when `targetPath`
    /// holds something other than the same pack (a different pack, or not a pack at all). The
    /// copy is one SQLite transaction: the target is left either as it was or as the backup.
    public static func restore(backupPath: String, expectedSHA256: String, into targetPath: String) throws {
        guard FileManager.default.fileExists(atPath: backupPath) else {
            throw TargetError.badBackup(path: backupPath, reason: "no such file; find the path in the run's backup event in the journal")
        }
        let found = try sha256(ofFile: backupPath)
        guard found == expectedSHA256 else {
            throw TargetError.badBackup(
                path: backupPath,
                reason: "its SHA-256 is \(found) but \(expectedSHA256) was recorded; it was altered or is another backup; nothing was restored")
        }
        let backup: SQLiteContextPack
        do {
            backup = try SQLiteContextPack(path: backupPath, readOnly: true)
        } catch TargetError.notATarget(_, let reason) {
            throw TargetError.badBackup(path: backupPath, reason: "it is not a context pack: \(reason); nothing was restored")
        }
        let backupIdentity = try backup.identity()
        let backupSnapshot = try backup.snapshot()

        if FileManager.default.fileExists(atPath: targetPath) {
            let current: SQLiteContextPack
            do {
                current = try SQLiteContextPack(path: targetPath, readOnly: true)
            } catch TargetError.notATarget(_, let reason) {
                throw TargetError.badBackup(
                    path: backupPath,
                    reason: "\(targetPath) is not a context pack (\(reason)); move it aside and restore again to put the backup in a new file")
            }
            let currentID = try current.identity().id
            guard currentID == backupIdentity.id else {
                throw TargetError.badBackup(
                    path: backupPath,
                    reason: "it is a backup of pack \(backupIdentity.id) but \(targetPath) holds pack \(currentID); nothing was restored")
            }
            let destination = try DatabaseQueue(path: targetPath, configuration: configuration(readOnly: false))
            // One step, so one transaction on the target: a crash leaves it old (hot journal) or new.
            try backup.queue.backup(to: destination)
            try destination.close()
        } else {
            let temporary = try NewFile.temporaryPath(beside: targetPath, purpose: "restoring")
            defer { removeDatabaseFiles(temporary) }
            let destination = try DatabaseQueue(path: temporary, configuration: configuration(readOnly: false))
            try backup.queue.backup(to: destination)
            try destination.close()
            guard try NewFile.place(temporary, at: targetPath) else {
                throw TargetError.badBackup(path: backupPath, reason: "a file appeared at \(targetPath) during the restore; restore again")
            }
        }

        let restored = try SQLiteContextPack(path: targetPath, readOnly: true)
        guard try restored.snapshot() == backupSnapshot, try restored.identity().id == backupIdentity.id else {
            throw TargetError.badBackup(path: backupPath, reason: "\(targetPath) does not match the backup after the restore; restore again")
        }
    }

    /// SHA-256 (lower-case hex) of the bytes of the file at `path`.
    public static func sha256(ofFile path: String) throws -> String {
        DocumentCut.digest(ofBytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    // MARK: - Files

    private static func existingFile(_ path: String) -> TargetError {
        .notATarget(location: path, reason: "a file already exists there and a new pack is never created over one; open it, or choose another path")
    }

    /// Removes a database file and its rollback journal, if there.
    private static func removeDatabaseFiles(_ path: String) {
        for file in [path, path + "-journal"] where FileManager.default.fileExists(atPath: file) {
            try? FileManager.default.removeItem(atPath: file)
        }
    }
}

/// The pack's storage: SQLite transactions on the pack's connection.
extension SQLiteContextPack: ContextPackStore {
    public var storage: ContextPackStorage { ContextPackStorage(self) }

    package var packLocation: String { location }

    package var writeRefusal: String? {
        readOnly ? "it was opened read-only, so nothing can be written; open it for writing to apply a cut" : nil
    }

    package func readingConsistently<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }

    /// `BEGIN IMMEDIATE`: the write lock is held from the first statement to the commit.
    package func writingExclusively<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.inImmediateTransaction(body)
    }

    package func rowCount(of table: ContextPackTable, in db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0
    }

    /// Reals and blobs (which a pack never holds unless edited by hand) are `{"real":"…"}` and
    /// `{"blob":"hex"}`, so no two values collide.
    package func forEachRow(of table: ContextPackTable, in db: Database, _ body: ([String: JSONValue]) -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.name) ORDER BY \(Self.key(of: table))")
        while let row = try rows.next() {
            var fields: [String: JSONValue] = [:]
            for (column, value) in row { fields[column] = Self.json(value) }
            body(fields)
        }
    }

    /// A column's value as the digest writes it.
    private static func json(_ value: DatabaseValue) -> JSONValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .int(integer)
        case .string(let text): .string(text)
        case .double(let real): .object(["real": .string("\(real)")])
        case .blob(let data): .object(["blob": .string(data.map { String(format: "%02x", $0) }.joined())])
        }
    }

    package func documentDigest(id: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT digest FROM document WHERE id = ?", arguments: [id])
    }

    package func documentIDs(in db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT id FROM document ORDER BY id")
    }

    package func markerRun(for document: TargetDocument, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT run_id FROM cut_marker WHERE document_id = ? AND document_digest = ?",
                            arguments: [document.id, document.digest])
    }

    package func unitRun(ofDocument id: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT run_id FROM unit WHERE document_id = ? LIMIT 1", arguments: [id])
    }

    package func insert(_ unit: CandidateUnit, ofDocument id: String, runID: String, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO unit (document_id, ordinal, heading, body, digest, run_id) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, unit.ordinal, unit.heading, unit.body, unit.digest, runID])
    }

    package func insertMarker(for document: TargetDocument, runID: String, units: Int, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO cut_marker (document_id, document_digest, run_id, units) VALUES (?, ?, ?, ?)",
            arguments: [document.id, document.digest, runID, units])
    }
}
