import GatehouseCore

/// A cut target that is a context pack: its snapshot, dry apply and LIVE apply are the shared
/// steps (`ContextPackStore+Apply.swift`) over the storage it hands over.
public protocol ContextPackTarget: CutTarget {
    /// The pack's storage, which the shared steps read and write.
    var storage: ContextPackStorage { get }
}

extension ContextPackTarget {
    /// Row counts and content SHA-256, read in one consistent snapshot.
    public func snapshot() throws -> TargetSnapshot {
        try storage.store.snapshotInOneRead()
    }

    /// The whole dry apply in one read-only transaction that is rolled back: the pre-state,
    /// the checks and what would be written, then the post-state, proved equal to the pre-state.
    public func dryApply(document: TargetDocument, units: [CandidateUnit], runID: String) throws -> ApplyOutcome {
        try storage.store.dryApplyInOneRead(document: document, units: units)
    }

    /// The LIVE apply in one write transaction that keeps other writers out; refused, before
    /// any statement, for a pack opened for reading only.
    public func apply(document: TargetDocument, units: [CandidateUnit], runID: String, expectedPreState: String,
                      progress: (Int) throws -> Void, beforeCommit: () throws -> Void) throws -> ApplyOutcome {
        try storage.store.applyInOneWrite(document: document, units: units, runID: runID, expectedPreState: expectedPreState,
                                          progress: progress, beforeCommit: beforeCommit)
    }
}

/// A context pack's storage as a ``ContextPackTarget`` hands it over: opaque outside the package.
public struct ContextPackStorage {
    /// The store the shared steps run on.
    let store: any ContextPackStore

    /// The storage `store` supplies.
    package init(_ store: some ContextPackStore) {
        self.store = store
    }
}
