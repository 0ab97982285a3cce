import Foundation
import GatehouseEngine
import GatehousePostgres
import PostgresNIO

/// A LIVE run's backup of a PostgreSQL pack of about 256 MB and its drill, against the same
/// work done by hand on the same data.
///
/// Gatehouse's side is the code a run calls: the backup phase's `pg_dump` streamed into `gpg`
/// and, at once, into a scratch database's `pg_restore`, whose content SHA-256 is read there;
/// then the drill of that file (checked, decrypted into a scratch database, read). The side by
/// hand is the least a person does for an encrypted backup they know restores: `pg_dump | gpg
/// --encrypt`, then `createdb`, `gpg --decrypt | pg_restore` and `dropdb`. Both encrypt without
/// compression to the same throw-away key, one after the other in each repetition.
public struct BackupBench {
    /// The size of the documents' bodies the pack holds, in MB.
    public var megabytes: Int
    /// Repetitions of each side; medians are reported.
    public var repetitions: Int

    public init(quick: Bool) {
        megabytes = quick ? 16 : 256
        repetitions = quick ? 1 : 3
    }

    /// What was measured, in ms per repetition.
    public struct Times {
        public var backup: [Double] = []
        public var drill: [Double] = []
        public var byHandBackup: [Double] = []
        public var byHandDrill: [Double] = []
        /// The size of Gatehouse's encrypted backup file.
        public var backupBytes: Int64 = 0
        /// The pack's tables on the server, as `pg_total_relation_size` counts them.
        public var packBytes: Int64 = 0
    }

    /// Fills a pack in a throw-away database on `server` (a superuser location) and times
    /// both sides; `progress` is told of each step.
    public func measure(on server: PostgresLocation, progress: (String) -> Void) throws -> Times {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-backup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let keys = try BenchKeyring(in: folder + "/gnupg")
        defer { keys.close() }
        let database = try PostgresScratch("backup", on: server)
        defer { database.drop() }
        let location = database.location
        progress("a pack of \(megabytes) MB of documents")
        try PostgresContextPack.create(location: location).pack.close()
        var times = Times()
        times.packBytes = try fill(location)
        let environment = ProcessInfo.processInfo.environment.merging(keys.environment) { $1 }
        let preState = try PostgresContextPack(location: location, readOnly: false, environment: environment).snapshot().sha256
        for repetition in 1...repetitions {
            progress("backup and drill \(repetition) of \(repetitions): Gatehouse, then by hand")
            let ours = "\(folder)/gatehouse-\(repetition).dump.gpg"
            var start = Monotonic.now()
            let taken = try PostgresDump.backup(location, to: ours, encryptingTo: [keys.fingerprint], environment: environment)
            times.backup.append((Monotonic.now() - start) * 1000)
            guard taken.contentSHA256 == preState else {
                throw BenchError("the backup bench's backup reads back as \(taken.contentSHA256 ?? "nothing"), not the pre-state \(preState)")
            }
            start = Monotonic.now()
            let drilled = try PostgresDump.drill(backup: ours, sha256: taken.record.sha256, into: location, environment: environment)
            times.drill.append((Monotonic.now() - start) * 1000)
            guard drilled == preState else { throw BenchError("the backup bench's drill found \(drilled), not the pre-state \(preState)") }
            times.backupBytes = taken.record.bytes
            try FileManager.default.removeItem(atPath: ours)

            let byHand = "\(folder)/by-hand-\(repetition).dump.gpg"
            let scratch = "\(location.database)_by_hand"
            times.byHandBackup.append(try shell("""
                pg_dump \(connection(location, database: location.database)) --schema=\(PostgresContextPack.schema) --format=custom \
                | gpg --batch --no-tty --trust-model always --compress-algo none --encrypt --recipient \(keys.fingerprint) --output \(byHand)
                """, environment: environment))
            times.byHandDrill.append(try shell("""
                createdb \(connection(location, database: nil)) \(scratch)
                gpg --batch --no-tty --quiet --decrypt \(byHand) \
                | pg_restore \(connection(location, database: scratch)) --no-owner --no-acl --single-transaction --exit-on-error
                dropdb \(connection(location, database: nil)) \(scratch)
                """, environment: environment))
            try FileManager.default.removeItem(atPath: byHand)
        }
        return times
    }

    /// Inserts documents of 2 KB of hex text each (as compressible as a digest, so not much)
    /// until their bodies hold ``megabytes`` MB; returns the tables' size on the server.
    private func fill(_ location: PostgresLocation) throws -> Int64 {
        let session = try PostgresSession.connect(to: location, applicationName: "gatehouse-bench")
        defer { session.close() }
        let perBatch = 1024
        for batch in 0..<(megabytes / 2) {
            let first = batch * perBatch + 1
            try session.execute(PostgresQuery(unsafeSQL: """
                INSERT INTO context_pack.document (id, title, signature_critical, body, digest)
                SELECT id, title, false, body, encode(sha256(convert_to(body, 'UTF8')), 'hex') FROM (
                    SELECT 'bench-' || lpad(i::text, 8, '0') AS id, 'Bench document ' || i AS title,
                           (SELECT string_agg(md5(random()::text || i::text || j::text), '') FROM generate_series(1, 64) AS j) AS body
                    FROM generate_series(\(first), \(first + perBatch - 1)) AS i) AS made
                """))
        }
        let size = try session.rows(PostgresQuery(unsafeSQL: """
            SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = '\(PostgresContextPack.schema)' AND c.relkind = 'r'
            """))
        return try size.first?.decode(Int64.self) ?? 0
    }

    /// The client programs' options naming `location`'s server and user (and `database`).
    private func connection(_ location: PostgresLocation, database: String?) -> String {
        "--host=\(location.host) --port=\(location.port) --username=\(location.user) --no-password"
            + (database.map { " --dbname=\($0)" } ?? "")
    }

    /// Runs `script` with bash (`set -eo pipefail`, PostgreSQL's client programs on PATH) and
    /// returns its wall time in ms; throws, with its stderr, unless it exits 0.
    private func shell(_ script: String, environment: [String: String]) throws -> Double {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let tools = versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.first.map { "/usr/lib/postgresql/\($0)/bin:" } ?? ""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -eo pipefail\n" + script]
        process.environment = environment.merging(["PATH": tools + (environment["PATH"] ?? "/usr/bin:/bin")]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let start = Monotonic.now()
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = (Monotonic.now() - start) * 1000
        guard process.terminationStatus == 0 else {
            throw BenchError("the backup bench's work by hand exited \(process.terminationStatus): \(String(decoding: message, as: UTF8.self))")
        }
        return elapsed
    }
}

/// A throw-away GnuPG home with one key without a passphrase, made by the real `gpg`.
struct BenchKeyring {
    let directory: String
    let fingerprint: String

    init(in directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let made = try Self.gpg(["--batch", "--passphrase", "", "--quick-generate-key", "Gatehouse Bench <bench@example.invalid>",
                                 "future-default", "default", "never"], home: directory)
        guard made.status == 0 else { throw BenchError("gpg could not make the bench's key: \(made.output)") }
        let listed = try Self.gpg(["--batch", "--with-colons", "--list-keys"], home: directory)
        guard let line = listed.output.split(separator: "\n").first(where: { $0.hasPrefix("fpr:") }),
              let fingerprint = line.split(separator: ":", omittingEmptySubsequences: false).dropFirst(9).first else {
            throw BenchError("gpg listed no fingerprint for the bench's key: \(listed.output)")
        }
        self.fingerprint = String(fingerprint)
    }

    /// What points `gpg` here.
    var environment: [String: String] { ["GNUPGHOME": directory] }

    /// Stops the agent gpg started for this home.
    func close() {
        _ = try? Self.run("gpgconf", ["--kill", "all"], home: directory)
    }

    private static func gpg(_ arguments: [String], home: String) throws -> (status: Int32, output: String) {
        try run("gpg", arguments, home: home)
    }

    private static func run(_ tool: String, _ arguments: [String], home: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["GNUPGHOME": home]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
