import GatehouseCore

/// A run's parity with the reference the Runs tab was given (`c`), as the screens show it:
/// beside the phases, and on the SG_2 review page.
///
/// While the run is under way only what it has established so far is compared (its run-wide
/// fields and the phases it has ended), so that an O7 dry run followed over SSH says "matches
/// so far" until a phase differs, and the verdict is whole once the run has ended.
struct ParityView: Equatable {
    /// The comparison of the reference (A) with the run shown (B).
    let parity: RunParity
    /// The differences that count now: all of them once the run has ended.
    let differences: [RunParity.Difference]
    /// Whether the run shown has ended, so the verdict is final.
    let isFinal: Bool
    /// The phases the run has ended, compared so far.
    let phasesCompared: Int

    /// `run` against the reference `state` picked in `context`, or nil with no reference (or
    /// the run itself picked).
    init?(_ run: RunState, state: DashboardState, context: DashboardContext) {
        guard let key = state.parityReference, let reference = context.referenceSide(key), reference.run.id != run.id
                || reference.source != ParitySide.journalSource else { return nil }
        let parity = RunParity(reference, ParitySide(run: run, source: ParitySide.journalSource))
        self.parity = parity
        isFinal = run.isEnded
        let ended = Set(run.phases.filter { $0.status != .pending && $0.status != .running }.map(\.phase.id))
        phasesCompared = ended.count
        differences = isFinal ? parity.differences : parity.differences.filter { difference in
            if let phase = difference.phase { return ended.contains(phase) }
            return !Self.knownAtTheEnd.contains(difference.field)
        }
    }

    /// Run-wide fields that only an ended run has.
    private static let knownAtTheEnd: Set<String> = ["outcome", "idempotent_resume"]

    /// Whether nothing compared so far breaks parity.
    var holds: Bool { differences.isEmpty }

    /// The fields that differ in `phase`, for the mark beside its row.
    func differingFields(in phase: String) -> [String] {
        differences.filter { $0.phase == phase }.map(\.field)
    }

    /// The reference in words: `run 1a2b3c4d (o4.json on alpha)`.
    var referenceName: String {
        let side = parity.a
        let host = side.run.start.fingerprint.map { " on \($0.host)" } ?? ""
        return "run \(side.run.shortID) (\(side.source)\(host))"
    }

    /// The verdict in one line.
    var line: StyledLine {
        let head = StyledLine("parity with \(referenceName): ", .dim)
        if !holds {
            // The fields only: each phase that differs is marked on its own row.
            var fields: [String] = []
            for difference in differences where !fields.contains(difference.field) { fields.append(difference.field) }
            return head.adding("DIFFERS", .statusFail)
                .adding(" \(differences.count)\(isFinal ? "" : " so far"): \(fields.joined(separator: ", "))", .statusFail)
        }
        if isFinal {
            return head.adding("HOLDS", .statusPass).adding(" (\(parity.expected.count) expected between hosts)", .dim)
        }
        return head.adding("matches so far", .statusPass).adding(" (\(phasesCompared) of \(parity.phases.count) phases ended)", .dim)
    }
}

extension DashboardContext {
    /// The runs a reference can be picked from: the record files given at start, then the
    /// journal's runs but `shown`, newest first. Each is keyed as ``referenceSide(_:)`` reads it.
    func parityCandidates(excluding shown: String?) -> [(key: String, side: ParitySide)] {
        references.map { (key: "record:" + $0.source, side: $0) }
            + ledger.newestFirst.filter { $0.id != shown }.map { (key: "run:" + $0.id, side: ParitySide(run: $0, source: ParitySide.journalSource)) }
    }

    /// The side a reference key names: a record file given at start, or a run of the journal.
    func referenceSide(_ key: String) -> ParitySide? {
        if key.hasPrefix("record:") {
            let source = String(key.dropFirst("record:".count))
            return references.first { $0.source == source }
        }
        if key.hasPrefix("run:"), let run = ledger[String(key.dropFirst("run:".count))] {
            return ParitySide(run: run, source: ParitySide.journalSource)
        }
        return nil
    }
}
