import GatehouseCore

/// A document held by a target.
public struct TargetDocument: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Relied upon outside (such as the Constitution): never cut LIVE under stub signing.
    public var signatureCritical: Bool
    /// The document's Markdown text.
    public var body: String
    /// SHA-256 (lower-case hex) of `body`.
    public var digest: String

    public init(id: String, title: String, signatureCritical: Bool, body: String, digest: String) {
        self.id = id
        self.title = title
        self.signatureCritical = signatureCritical
        self.body = body
        self.digest = digest
    }
}

/// What a target is: recorded when a run starts, checked by the identity guards.
public struct TargetIdentity: Sendable, Equatable {
    /// A random id written once when the target is created.
    public var id: String
    /// Where the target lives (a file path, a URL without password).
    public var location: String
    /// The schema version the target was created with.
    public var schemaVersion: Int

    public init(id: String, location: String, schemaVersion: Int) {
        self.id = id
        self.location = location
        self.schemaVersion = schemaVersion
    }
}

/// What applying a document's candidates did (or, in a dry run, would do).
public struct ApplyOutcome: Sendable, Equatable {
    /// Units written (in a dry run: that would be written).
    public var inserted: Int
    /// The run whose idempotency marker was already there; nothing was written then.
    public var alreadyAppliedBy: String?

    public init(inserted: Int, alreadyAppliedBy: String?) {
        self.inserted = inserted
        self.alreadyAppliedBy = alreadyAppliedBy
    }
}

/// A backup taken before a LIVE apply.
public struct BackupRecord: Sendable, Equatable {
    public var path: String
    /// SHA-256 (lower-case hex) of the backup file's bytes.
    public var sha256: String
    public var bytes: Int64

    public init(path: String, sha256: String, bytes: Int64) {
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// The database a production cut reads and writes: documents and the units cut from them.
///
/// The embedded implementation is an SQLite "context pack"; GatehousePostgres has one on
/// PostgreSQL. Both are ``ContextPackTarget``s: they take the same apply steps.
public protocol CutTarget: Sendable {
    /// What the target is.
    func identity() throws -> TargetIdentity
    /// Row counts and content SHA-256, read in one transaction.
    func snapshot() throws -> TargetSnapshot
    /// Every document, ordered by id.
    func documents() throws -> [TargetDocument]
    /// Works out, in a transaction that is rolled back, what `apply` would write.
    func dryApply(document: TargetDocument, units: [CandidateUnit], runID: String) throws -> ApplyOutcome
    /// Writes `units` with an idempotency marker in one transaction.
    ///
    /// When the marker for this document content is already there nothing is written. Before
    /// writing, the content SHA-256 is recomputed inside the write transaction: if it differs
    /// from `expectedPreState` the transaction is rolled back and ``TargetError/drift`` thrown.
    /// `progress` is called after each unit is inserted (with the count so far) and
    /// `beforeCommit` just before the commit; either may throw to roll everything back.
    func apply(document: TargetDocument, units: [CandidateUnit], runID: String, expectedPreState: String,
               progress: (Int) throws -> Void, beforeCommit: () throws -> Void) throws -> ApplyOutcome
    /// Copies the whole target to a new file at `path` and returns its SHA-256.
    func backup(to path: String) throws -> BackupRecord
    /// Takes a backup into a new file at `path` (0600) and reads back what it holds: encrypted
    /// with `gpg` to `recipients` (OpenPGP fingerprints) when there are any, with no plain copy
    /// left on disk. The default backs up into a private directory, reads that copy, encrypts it
    /// and removes it.
    func takeBackup(to path: String, encryptingTo recipients: [String]) throws -> TakenBackup
    /// The file name extension of this target's backups (`sqlite`, `dump`).
    var backupFileExtension: String { get }
    /// The kind of database it is, as a run's fingerprint names it (`sqlite`, `postgresql`).
    var kind: String { get }
    /// The content SHA-256 of what the backup `record` holds, computed as ``snapshot()``
    /// computes the target's (from a copy, or a scratch database the backup is restored into);
    /// nil where this target cannot read a backup back.
    func contentSHA256(of record: BackupRecord) throws -> String?
    /// The target as its own client programs are given it (a file path, a libpq URI): what a
    /// rollback runbook's by-hand steps name.
    var clientAddress: String { get }
}

extension CutTarget {
    /// A copy of an SQLite file, by default.
    public var backupFileExtension: String { "sqlite" }

    /// SQLite, by default.
    public var kind: String { "sqlite" }

    /// Not read back, by default.
    public func contentSHA256(of record: BackupRecord) throws -> String? { nil }
}

/// Why a target refused or failed.
public enum TargetError: Error, Equatable, CustomStringConvertible {
    /// The content changed between the snapshot and the apply.
    case drift(expected: String, found: String)
    /// No target at the location, or it is not a context pack.
    case notATarget(location: String, reason: String)
    /// A document the run named is not in the target.
    case unknownDocument(String, available: [String])
    /// The backup file does not match what was journaled, or cannot be used.
    case badBackup(path: String, reason: String)

    public var description: String {
        switch self {
        case .drift(let expected, let found):
            "the target changed since the pre-state snapshot (expected SHA-256 \(expected.prefix(12))…, found \(found.prefix(12))…); nothing was written"
        case .notATarget(let location, let reason):
            "\(location) is not a usable context pack: \(reason)"
        case .unknownDocument(let id, let available):
            "no document '\(id)' in the target; it holds: \(available.joined(separator: ", "))"
        case .badBackup(let path, let reason):
            "backup \(path): \(reason)"
        }
    }
}
