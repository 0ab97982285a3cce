import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres
import GatehouseTestSupport
import Testing

/// The targets the shared suite runs on: every test of ``ContextPackContractTests`` passes on each.
enum PackKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    /// The kinds to test: PostgreSQL unless a developer asked to skip it (GATEHOUSE_SKIP_POSTGRES=1).
    static let tested: [PackKind] = TestServer.skipped ? [.sqlite] : allCases

    var testDescription: String { rawValue }
}

/// The context pack contract: the SQLite pack and the PostgreSQL pack take the same apply
/// steps, with the same checks and the same messages.
@Suite("The context pack contract, on SQLite and on PostgreSQL")
struct ContextPackContractTests {
    private let releaseNotes = SampleDocuments.releaseNotes
    private var units: [CandidateUnit] { DocumentCut.cut(releaseNotes.body) }

    @Test(arguments: PackKind.tested)
    func aDryApplyWhoseSnapshotChangedIsRefused(kind: PackKind) throws {
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contract-pack-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            _ = try SQLiteContextPack.create(path: directory + "/pack.sqlite")
            try expectRefusedWhenARowAppears(in: SQLiteContextPack(path: directory + "/pack.sqlite", readOnly: true))
        case .postgres:
            let database = try TestServer.scratchDatabase("contract")
            defer { database.drop() }
            let location = try database.withReadOnlyRole()
            _ = try PostgresContextPack.create(location: location)
            let pack = try PostgresContextPack(location: location, readOnly: true)
            defer { pack.close() }
            try expectRefusedWhenARowAppears(in: pack)
        }
    }

    /// Given a pack whose second snapshot inside the dry apply's transaction reads one row
    /// more, When the release notes are dry-applied, Then the dry apply is refused, naming
    /// the pack; And the same pack read as it is dry-applies, unchanged.
    private func expectRefusedWhenARowAppears<Pack: ContextPackTarget & ContextPackStore>(in pack: Pack) throws {
        let before = try pack.snapshot()
        let error = #expect(throws: TargetError.self) {
            try RowAppearingTarget(pack: pack).dryApply(document: releaseNotes, units: units, runID: "dry-1")
        }
        guard case .notATarget(let location, let reason)? = error else {
            Issue.record("not a refusal: \(String(describing: error))")
            return
        }
        #expect(location == pack.packLocation)
        #expect(reason.hasPrefix("its content changed inside a read-only transaction (SHA-256 \(before.sha256.prefix(12))… → "))
        #expect(reason.hasSuffix("); nothing was written by this run"))
        #expect(try pack.dryApply(document: releaseNotes, units: units, runID: "dry-1")
            == ApplyOutcome(inserted: units.count, alreadyAppliedBy: nil))
        #expect(try pack.snapshot() == before)
    }
}

/// A pack whose storage reads one row more from its second snapshot on: the dry apply every
/// context pack takes (``ContextPackTarget``), over the pack's own store.
private struct RowAppearingTarget<Pack: ContextPackTarget & ContextPackStore>: ContextPackTarget {
    let pack: Pack

    var storage: ContextPackStorage { ContextPackStorage(RowAppearingStore(pack)) }

    func identity() throws -> TargetIdentity { try pack.identity() }
    func documents() throws -> [TargetDocument] { try pack.documents() }
    func backup(to path: String) throws -> BackupRecord { try pack.backup(to: path) }
    var clientAddress: String { pack.clientAddress }
}

/// A pack's store that, from the second snapshot on, reads one document more than the pack
/// holds: what a dry apply would see if its transaction did not keep one snapshot while a row
/// was inserted.
private final class RowAppearingStore<Base: ContextPackStore>: ContextPackStore {
    private let base: Base
    private var documentCounts = 0
    private var documentReads = 0

    init(_ base: Base) {
        self.base = base
    }

    var packLocation: String { base.packLocation }
    var writeRefusal: String? { base.writeRefusal }

    func readingConsistently<T>(_ body: (Base.Transaction) throws -> T) throws -> T {
        try base.readingConsistently(body)
    }

    func writingExclusively<T>(_ body: (Base.Transaction) throws -> T) throws -> T {
        try base.writingExclusively(body)
    }

    func rowCount(of table: ContextPackTable, in transaction: Base.Transaction) throws -> Int64 {
        let count = try base.rowCount(of: table, in: transaction)
        guard table == .document else { return count }
        documentCounts += 1
        return documentCounts > 1 ? count + 1 : count
    }

    func forEachRow(of table: ContextPackTable, in transaction: Base.Transaction,
                    _ body: ([String: JSONValue]) -> Void) throws {
        try base.forEachRow(of: table, in: transaction, body)
        guard table == .document else { return }
        documentReads += 1
        if documentReads > 1 {
            body(["id": .string("zz-appeared"), "title": .string("Appeared"), "signature_critical": .int(0),
                  "body": .string(""), "digest": .string(DocumentCut.digest(of: ""))])
        }
    }

    func documentDigest(id: String, in transaction: Base.Transaction) throws -> String? {
        try base.documentDigest(id: id, in: transaction)
    }

    func documentIDs(in transaction: Base.Transaction) throws -> [String] {
        try base.documentIDs(in: transaction)
    }

    func markerRun(for document: TargetDocument, in transaction: Base.Transaction) throws -> String? {
        try base.markerRun(for: document, in: transaction)
    }

    func unitRun(ofDocument id: String, in transaction: Base.Transaction) throws -> String? {
        try base.unitRun(ofDocument: id, in: transaction)
    }

    func insert(_ unit: CandidateUnit, ofDocument id: String, runID: String, in transaction: Base.Transaction) throws {
        try base.insert(unit, ofDocument: id, runID: runID, in: transaction)
    }

    func insertMarker(for document: TargetDocument, runID: String, units: Int, in transaction: Base.Transaction) throws {
        try base.insertMarker(for: document, runID: runID, units: units, in: transaction)
    }
}
