import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres

/// Which cut target a run works on: the embedded SQLite pack at a path, or a PostgreSQL
/// database named by `postgres://USER@HOST:PORT/DB`.
enum TargetAddress {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Reads `text` (`--target`, `GATEHOUSE_TARGET`, or a run's journaled target).
    init(_ text: String) throws {
        if PostgresLocation.isPostgres(text) {
            self = .postgres(try PostgresLocation(parsing: text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The kind of target, as a run's fingerprint records it: `sqlite` or `postgresql`.
    var kind: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// How the target is written in the journal and in messages (never with a password).
    var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }

    /// Opens the target: as the read-only role (PostgreSQL) or read-only file (SQLite) when `readOnly`.
    func open(readOnly: Bool) throws -> any CutTarget {
        switch self {
        case .sqlite(let path): try SQLiteContextPack(path: path, readOnly: readOnly)
        case .postgres(let location): try PostgresContextPack(location: location, readOnly: readOnly)
        }
    }

    /// Where a LIVE run's backups of this target are written.
    var backupDirectory: String {
        switch self {
        case .sqlite(let path):
            return TargetLocation.backupDirectory(forTarget: path)
        case .postgres(let location):
            // Beside the default journal, one folder per server and database.
            let environment = ProcessInfo.processInfo.environment.filter { $0.key != "GATEHOUSE_JOURNAL" }
            let state = (JournalLocation.resolve(option: nil, environment: environment) as NSString).deletingLastPathComponent
            let name = "\(location.host)-\(location.port)-\(location.database)".map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
            return state + "/backups/postgres-" + String(name)
        }
    }

    /// Makes sure an embedded pack exists, creating and seeding it on first use. A PostgreSQL
    /// target is never created implicitly: `gatehouse init --target` does that, once.
    func ensureExists() throws {
        guard case .sqlite(let path) = self, !FileManager.default.fileExists(atPath: path) else { return }
        _ = try SQLiteContextPack.create(path: path)
        write("created context pack \(path) (first use)\n")
    }

    /// The content SHA-256 the backup at `backupPath` (journaled SHA-256 `sha256`) holds, read
    /// from a scratch copy (SQLite) or a scratch database beside this one (PostgreSQL),
    /// decrypted on the way when it is encrypted; the target is not touched.
    func drill(backupPath: String, sha256: String) throws -> String {
        switch self {
        case .sqlite:
            try BackupDrill.contentSHA256(of: backupPath, sha256: sha256)
        case .postgres(let location):
            try PostgresDump.drill(backup: backupPath, sha256: sha256, into: location)
        }
    }

    /// Puts the backup back, after checking its journaled SHA-256 and that it is of this target.
    func restore(backupPath: String, expectedSHA256: String) throws {
        switch self {
        case .sqlite(let path):
            try SQLiteContextPack.restore(backupPath: backupPath, expectedSHA256: expectedSHA256, into: path)
        case .postgres(let location):
            try PostgresDump.restore(backupPath: backupPath, expectedSHA256: expectedSHA256, into: location)
        }
    }
}
