import GatehouseCore

/// The snapshot and the apply steps of a context pack: the one implementation every target uses.
extension ContextPackStore {
    /// Row counts and content SHA-256, read in one consistent snapshot.
    package func snapshotInOneRead() throws -> TargetSnapshot {
        try readingConsistently { try snapshot(in: $0) }
    }

    /// Row counts and content SHA-256, read in the transaction in progress.
    package func snapshot(in transaction: Transaction) throws -> TargetSnapshot {
        var counts: [String: Int64] = [:]
        for table in ContextPackTable.allCases {
            counts[table.name] = try rowCount(of: table, in: transaction)
        }
        return TargetSnapshot(counts: counts, sha256: try contentSHA256(in: transaction))
    }

    /// SHA-256 over every row of the content tables (not `meta`), rows in primary-key order.
    ///
    /// Each row is one line: the canonical JSON `["table",{"column":value,…}]`, so the same
    /// content has the same digest in every store.
    package func contentSHA256(in transaction: Transaction) throws -> String {
        var bytes: [UInt8] = []
        for table in ContextPackTable.allCases {
            try forEachRow(of: table, in: transaction) { fields in
                bytes += JSONValue.array([.string(table.name), .object(fields)]).canonical.utf8
                bytes.append(0x0A)
            }
        }
        return DocumentCut.digest(ofBytes: bytes)
    }

    /// The whole dry apply in one read-only transaction that is rolled back: the pre-state,
    /// the checks and what would be written, then the post-state, proved equal to the pre-state.
    package func dryApplyInOneRead(document: TargetDocument, units: [CandidateUnit]) throws -> ApplyOutcome {
        try readingConsistently { transaction in
            let before = try snapshot(in: transaction)
            try checkDocument(document, in: transaction)
            let outcome: ApplyOutcome
            if let previous = try markerRun(for: document, in: transaction) {
                outcome = ApplyOutcome(inserted: 0, alreadyAppliedBy: previous)
            } else {
                try checkNoUnits(of: document, in: transaction)
                outcome = ApplyOutcome(inserted: units.count, alreadyAppliedBy: nil)
            }
            let after = try snapshot(in: transaction)
            guard after == before else {
                throw TargetError.notATarget(location: packLocation,
                                             reason: "its content changed inside a read-only transaction (SHA-256 \(before.sha256.prefix(12))… → \(after.sha256.prefix(12))…); nothing was written by this run")
            }
            return outcome
        }
    }

    /// The LIVE apply in one write transaction, as ``CutTarget/apply(document:units:runID:expectedPreState:progress:beforeCommit:)``
    /// says: nothing when the marker is there, drift when the content is not the pre-state,
    /// else every unit and the marker.
    package func applyInOneWrite(document: TargetDocument, units: [CandidateUnit], runID: String, expectedPreState: String,
                                 progress: (Int) throws -> Void, beforeCommit: () throws -> Void) throws -> ApplyOutcome {
        if let refusal = writeRefusal {
            throw TargetError.notATarget(location: packLocation, reason: refusal)
        }
        return try writingExclusively { transaction in
            try checkDocument(document, in: transaction)
            if let previous = try markerRun(for: document, in: transaction) {
                return ApplyOutcome(inserted: 0, alreadyAppliedBy: previous)
            }
            let found = try contentSHA256(in: transaction)
            guard found == expectedPreState else {
                throw TargetError.drift(expected: expectedPreState, found: found)
            }
            try checkNoUnits(of: document, in: transaction)
            for (index, unit) in units.enumerated() {
                try insert(unit, ofDocument: document.id, runID: runID, in: transaction)
                try progress(index + 1)
            }
            try insertMarker(for: document, runID: runID, units: units.count, in: transaction)
            try beforeCommit()
            return ApplyOutcome(inserted: units.count, alreadyAppliedBy: nil)
        }
    }

    /// Throws unless the pack holds `document` with the same digest.
    private func checkDocument(_ document: TargetDocument, in transaction: Transaction) throws {
        guard let digest = try documentDigest(id: document.id, in: transaction) else {
            throw TargetError.unknownDocument(document.id, available: try documentIDs(in: transaction))
        }
        guard digest == document.digest else {
            // The run's copy of the document is not the one the pack holds (now).
            throw TargetError.drift(expected: document.digest, found: digest)
        }
    }

    /// Throws when units of the document, cut from other content, are already there.
    private func checkNoUnits(of document: TargetDocument, in transaction: Transaction) throws {
        if let previous = try unitRun(ofDocument: document.id, in: transaction) {
            throw TargetError.notATarget(
                location: packLocation,
                reason: "document '\(document.id)' already holds units that run \(previous) cut from other content; restore a backup taken before that run to cut it again")
        }
    }
}
