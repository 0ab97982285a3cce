import Foundation
import GatehouseCore
import GatehouseEngine

/// Backups of a PostgreSQL context pack with `pg_dump`, and their restore with `pg_restore`.
///
/// A backup is `pg_dump --format=custom --schema=context_pack`: one consistent snapshot of the
/// pack's tables, their data and grants, in a file whose SHA-256 the run journals. The restore
/// checks that SHA-256 and that the backup is of the same pack, then replaces the schema's
/// objects in one transaction (`pg_restore --clean --single-transaction`), so a failure leaves
/// the pack as it was.
public enum PostgresDump {
    /// Dumps the pack at `location` (as its user) into a new file at `path`.
    public static func backup(_ location: PostgresLocation, to path: String,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BackupRecord {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw TargetError.badBackup(path: path, reason: "a file already exists there and a backup never overwrites one; choose a new path")
        }
        let temporary = try NewFile.temporaryPath(beside: path, purpose: "backup")
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let result = try PostgresTool.run("pg_dump", connection(location) + dumpArguments + ["--file=\(temporary)"],
                                          location: location, environment: environment)
        guard result.status == 0 else {
            throw TargetError.badBackup(path: path, reason: "pg_dump failed (exit \(result.status)): \(result.errorSummary); nothing was written to the target")
        }
        // A backup is the whole target: readable by its owner alone.
        guard chmod(temporary, 0o600) == 0 else {
            throw TargetError.badBackup(path: path, reason: "its mode cannot be set to 0600 (\(String(cString: strerror(errno)))); nothing was applied")
        }
        guard try NewFile.place(temporary, at: path) else {
            throw TargetError.badBackup(path: path, reason: "a file appeared there while the backup was written; choose a new path")
        }
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return BackupRecord(path: path, sha256: try SQLiteContextPack.sha256(ofFile: path), bytes: bytes)
    }

    /// Takes a backup of the pack at `location` into a new file at `path` and reads it back.
    ///
    /// Encrypted to `recipients` (when there are any), `pg_dump`'s archive is streamed through
    /// this process into `gpg` and, at once, into `pg_restore` of a scratch database: no plain
    /// copy is written, and what was restored is read as the pack's snapshot reads it. A plain
    /// backup is written, then restored into a scratch database and read there.
    public static func backup(_ location: PostgresLocation, to path: String, encryptingTo recipients: [String],
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TakenBackup {
        guard !recipients.isEmpty else {
            let record = try backup(location, to: path, environment: environment)
            return TakenBackup(record: record, contentSHA256: try drill(backup: record.path, sha256: record.sha256, into: location,
                                                                        environment: environment))
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw TargetError.badBackup(path: path, reason: "a file already exists there and a backup never overwrites one; choose a new path")
        }
        let temporary = try NewFile.temporaryPath(beside: path, purpose: "encrypt")
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let tools = PostgresTool.environment(for: location, tool: "pg_dump", environment)
        let content = try PostgresScratchDatabase.using(beside: location, purpose: "readback", environment: tools) { scratch in
            let dump = [try PostgresTool.executable("pg_dump", environment: environment)] + connection(location) + dumpArguments
            // The archive is compressed already: gpg only encrypts it.
            let result = try started {
                try PipedCommands.run(dump, into: [GnuPG.encryptArguments(to: temporary, recipients: recipients, compress: false),
                                                   try restoreArguments(into: scratch, environment: environment)],
                                      environment: tools)
            }
            if let failure = result.failure {
                throw TargetError.badBackup(path: path, reason: "the streamed backup failed (\(failure)); nothing was applied")
            }
            return try snapshotSHA256(of: scratch, environment: tools)
        }
        try GnuPG.place(temporary, at: path)
        let (sha256, bytes) = try FileDigest.sha256(of: path)
        return TakenBackup(record: BackupRecord(path: path, sha256: sha256, bytes: bytes), contentSHA256: content)
    }

    /// The content SHA-256 the backup at `backupPath` (journaled SHA-256 `sha256`) holds: the
    /// file checked, restored into a scratch database beside `location`'s (decrypted on the way
    /// when it is a `.gpg` file, with no plain copy on disk) and read there. The pack is not touched.
    public static func drill(backup backupPath: String, sha256: String, into location: PostgresLocation,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        try GnuPG.checkDigest(of: backupPath, sha256: sha256)
        let tools = PostgresTool.environment(for: location, tool: "pg_restore", environment)
        return try PostgresScratchDatabase.using(beside: location, purpose: "drill", environment: tools) { scratch in
            let restore = try restoreArguments(into: scratch, environment: environment)
            if backupPath.hasSuffix(".gpg") {
                let result = try started { try PipedCommands.run(GnuPG.decryptArguments(backupPath), into: [restore], environment: tools) }
                if result.producer.status != 0 { throw GnuPG.cannotDecrypt(backupPath, result.producer.firstError) }
                if let failure = result.failure {
                    throw TargetError.badBackup(path: backupPath, reason: "it does not restore into a scratch database (\(failure)); it is not a whole backup of a context pack")
                }
            } else {
                let result = try PostgresTool.run("pg_restore", Array(restore.dropFirst()) + [backupPath], location: location, environment: environment)
                guard result.status == 0 else {
                    throw TargetError.badBackup(path: backupPath, reason: "it does not restore into a scratch database (pg_restore exit \(result.status): \(result.errorSummary)); it is not a whole backup of a context pack")
                }
            }
            return try snapshotSHA256(of: scratch, environment: tools)
        }
    }

    /// What `pg_dump` is asked for: the pack's schema as a custom-format archive, compressed at
    /// zlib's level 1, a few per cent larger than pg_dump's default level and well under half
    /// its CPU time (the compression is most of a dump's time; bench/notes.md).
    private static let dumpArguments = ["--schema=\(PostgresContextPack.schema)", "--format=custom", "--compress=1"]

    /// `pg_restore` reading an archive on stdin into the scratch database `scratch`, in one
    /// transaction, without its owners and grants (roles need not match to read the content).
    private static func restoreArguments(into scratch: PostgresLocation, environment: [String: String]) throws -> [String] {
        [try PostgresTool.executable("pg_restore", environment: environment)] + connection(scratch)
            + ["--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
    }

    /// The content SHA-256 of the pack restored at `scratch`, as its snapshot computes it.
    private static func snapshotSHA256(of scratch: PostgresLocation, environment: [String: String]) throws -> String {
        let pack = try PostgresContextPack(location: scratch, readOnly: false, environment: environment)
        defer { pack.close() }
        return try pack.snapshot().sha256
    }

    /// Runs `body`, saying which program could not be started and what to install when one cannot.
    private static func started<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ProcessSpawnError {
            throw TargetError.badBackup(path: "(stream)", reason: "\(error.reason) (gpg comes with `apt-get install gnupg`, pg_dump and pg_restore with postgresql-client); nothing was applied")
        }
    }

    /// Puts the backup at `backupPath` back into the pack at `location`.
    ///
    /// Refuses, changing nothing, unless the file's SHA-256 is `expectedSHA256` (the one
    /// journaled when it was taken) and it is a backup of the pack `location` holds now.
    public static func restore(backupPath: String, expectedSHA256: String, into location: PostgresLocation,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard FileManager.default.fileExists(atPath: backupPath) else {
            throw TargetError.badBackup(path: backupPath, reason: "no such file; find the path in the run's backup event in the journal")
        }
        let found = try SQLiteContextPack.sha256(ofFile: backupPath)
        guard found == expectedSHA256 else {
            throw TargetError.badBackup(
                path: backupPath,
                reason: "its SHA-256 is \(found) but \(expectedSHA256) was recorded; it was altered or is another backup; nothing was restored")
        }
        let backupID = try targetID(inDump: backupPath, location: location, environment: environment)
        let currentID = try PostgresContextPack(location: location, readOnly: false, environment: environment).identity().id
        guard backupID == currentID else {
            throw TargetError.badBackup(path: backupPath,
                                        reason: "it is a backup of pack \(backupID) but \(location) holds pack \(currentID); nothing was restored")
        }
        let result = try PostgresTool.run("pg_restore", connection(location) + [
            "--clean", "--if-exists", "--single-transaction", "--exit-on-error", backupPath,
        ], location: location, environment: environment)
        guard result.status == 0 else {
            throw TargetError.badBackup(path: backupPath, reason: "pg_restore failed (exit \(result.status)): \(result.errorSummary); the restore was one transaction, so the pack is as it was")
        }
    }

    /// The target id recorded in a dump's copy of the meta table.
    static func targetID(inDump path: String, location: PostgresLocation, environment: [String: String]) throws -> String {
        let listing = try PostgresTool.run("pg_restore", ["--data-only", "--table=meta", "--file=-", path],
                                           location: location, environment: environment)
        guard listing.status == 0 else {
            throw TargetError.badBackup(path: path, reason: "pg_restore cannot read it (\(listing.errorSummary)); it is not a pg_dump backup of a context pack")
        }
        // COPY data rows are tab-separated: key, value.
        for line in listing.output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 2 && fields[0] == "target_id" { return String(fields[1]) }
        }
        throw TargetError.badBackup(path: path, reason: "it holds no context_pack.meta target_id; it is not a backup of a context pack")
    }

    /// The options that point a PostgreSQL tool at `location` as its user, never prompting.
    private static func connection(_ location: PostgresLocation) -> [String] {
        ["--host=\(location.host)", "--port=\(location.port)", "--username=\(location.user)",
         "--dbname=\(location.database)", "--no-password"]
    }
}

/// Runs PostgreSQL's client programs with the password in their environment only.
enum PostgresTool {
    struct Result {
        var status: Int32
        var output: String
        var errors: String

        /// The last lines the tool wrote to stderr, for a message.
        var errorSummary: String {
            let lines = errors.split(separator: "\n").suffix(3).joined(separator: "; ")
            return lines.isEmpty ? "no message" : lines
        }
    }

    /// `environment` with what a client program needs to reach `location` without prompting:
    /// the password (from `PGPASSWORD` or `.pgpass`), the TLS mode, a name in `pg_stat_activity`.
    static func environment(for location: PostgresLocation, tool: String, _ environment: [String: String]) -> [String: String] {
        var child = environment
        child["PGPASSWORD"] = PostgresPassword.lookup(for: location, environment: environment)
        child["PGSSLMODE"] = location.sslMode.rawValue
        child["PGAPPNAME"] = "gatehouse-\(tool)"
        child["PGCONNECT_TIMEOUT"] = "10"
        return child
    }

    /// Runs `tool` with `arguments` and waits for it.
    static func run(_ tool: String, _ arguments: [String], location: PostgresLocation,
                    environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable(tool, environment: environment))
        process.arguments = arguments
        process.environment = self.environment(for: location, tool: tool, environment)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read stderr on another thread so neither pipe can fill and stall the tool.
        let collected = CollectedData()
        let reader = Thread { collected.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = collected.wait()
        return Result(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                      errors: String(decoding: err, as: UTF8.self))
    }

    /// The path of `tool`: on PATH, else in the newest /usr/lib/postgresql/*/bin.
    static func executable(_ tool: String, environment: [String: String]) throws -> String {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let candidate = "/usr/lib/postgresql/\(version)/bin/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TargetError.badBackup(path: tool, reason: "\(tool) is not installed (not on PATH nor in /usr/lib/postgresql/*/bin); install it with: apt-get install -y postgresql-client")
    }
}

/// Data read on one thread and handed to another.
private final class CollectedData: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ data: Data) {
        condition.lock()
        self.data = data
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data!
    }
}
