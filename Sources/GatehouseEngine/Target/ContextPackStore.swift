import GatehouseCore

/// The tables that hold a context pack's content, in the order its snapshot reads them.
package enum ContextPackTable: String, CaseIterable, Sendable {
    case document
    case unit
    case cutMarker = "cut_marker"

    /// The table's name, the same in every store.
    package var name: String { rawValue }
}

/// Where a context pack's tables are kept: the storage primitives each target supplies, so
/// that the snapshot and the apply steps are written once (`ContextPackStore+Apply.swift`).
///
/// Two kinds of transaction, both handed over as a `Transaction`: a read of one consistent
/// snapshot, always rolled back, and a write that keeps every other writer out from its first
/// statement to its commit.
package protocol ContextPackStore {
    /// A transaction in progress: what the primitives below read and write through.
    associatedtype Transaction

    /// Where the pack is, as its errors name it.
    var packLocation: String { get }
    /// Why this pack may not write (it was opened for reading only), or nil when it may.
    var writeRefusal: String? { get }

    /// Runs `body` in a read-only transaction that reads every statement from one snapshot
    /// and is rolled back.
    func readingConsistently<T>(_ body: (Transaction) throws -> T) throws -> T
    /// Runs `body` in a write transaction that holds other writers off until it commits; it
    /// commits when `body` returns and is rolled back when `body` throws.
    func writingExclusively<T>(_ body: (Transaction) throws -> T) throws -> T

    /// How many rows `table` holds.
    func rowCount(of table: ContextPackTable, in transaction: Transaction) throws -> Int64
    /// Hands `body` every row of `table` in primary-key order (byte-wise, as SQLite compares
    /// text), as its columns' values: integers and text as JSON integers and strings.
    func forEachRow(of table: ContextPackTable, in transaction: Transaction,
                    _ body: ([String: JSONValue]) -> Void) throws
    /// The digest of the document `id` as the pack holds it; nil when it holds no such document.
    func documentDigest(id: String, in transaction: Transaction) throws -> String?
    /// The ids of every document, in order.
    func documentIDs(in transaction: Transaction) throws -> [String]
    /// The run whose idempotency marker says this document content was already cut, if any.
    func markerRun(for document: TargetDocument, in transaction: Transaction) throws -> String?
    /// The run that cut one of the units the document `id` holds, if it holds any.
    func unitRun(ofDocument id: String, in transaction: Transaction) throws -> String?
    /// Writes `unit` of the document `id`, cut by `runID`.
    func insert(_ unit: CandidateUnit, ofDocument id: String, runID: String, in transaction: Transaction) throws
    /// Writes the idempotency marker of `document`'s content, cut by `runID` into `units` units.
    func insertMarker(for document: TargetDocument, runID: String, units: Int, in transaction: Transaction) throws
}
