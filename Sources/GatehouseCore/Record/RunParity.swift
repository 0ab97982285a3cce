/// Whether two runs of the same plan behaved the same (the seed's OPT-3: the deployed artifact
/// behaves as the developer host's run did), and every difference between them, phase by phase.
///
/// Compared: the build (version and commit), the programme, plan and package digests, the
/// mode and document, the sequence of phases and gate pauses, each phase's outcome and the
/// facts it established (candidates and their digest, pre- and post-state counts and SHA-256,
/// what a dry run would write), the run's outcome, and the idempotent resume after it ended.
/// Expected between hosts and listed apart, never breaking parity: ``expectedFields``.
public struct RunParity: Sendable, Equatable {
    /// One difference: where (a phase, or nil for the run as a whole), which field, and each
    /// side's value in words (`not recorded` where a side has none).
    public struct Difference: Sendable, Equatable {
        public var phase: String?
        public var field: String
        public var a: String
        public var b: String

        public init(phase: String?, field: String, a: String, b: String) {
            self.phase = phase
            self.field = field
            self.a = a
            self.b = b
        }
    }

    /// One phase as each side ended it, such as `done` or `approved`.
    public struct PhaseRow: Sendable, Equatable {
        public var phase: String
        public var isGate: Bool
        public var a: String
        public var b: String
        /// Whether a difference that breaks parity is in this phase.
        public var differs: Bool
    }

    /// The two runs compared.
    public let a: ParitySide
    public let b: ParitySide
    /// The differences that break parity, in plan order (the run's own first).
    public let differences: [Difference]
    /// The differences expected between hosts, which do not.
    public let expected: [Difference]
    /// Every phase of either plan, in plan order.
    public let phases: [PhaseRow]

    /// Whether the runs are at parity: no difference but the expected ones.
    public var holds: Bool { differences.isEmpty }

    /// The value written where a side recorded nothing.
    public static let notRecorded = "not recorded"

    /// The fields that differ between hosts by their nature: listed, never breaking parity.
    /// Each is a run field or a fact's journaled name; the docs list them (docs/parity.md).
    public static let expectedFields: [String] = [
        "run", "host", "user", "system", "kernel", "journal", "target", "operator", "started_at", "signing",
        "attempts", "decided_by", "provider",
    ] + expectedFacts.map(\.name).filter { !["host", "user"].contains($0) }

    /// The facts that name this host's own things (its target's id and place, its backup file
    /// and the runbook that names it, its close-out signature over its own run id): expected to differ.
    static let expectedFacts: [RunFacts.Field] = [
        .targetID, .targetLocation, .backupPath, .backupSHA256, .backupBytes, .runbookPath, .runbookSHA256,
        .closeoutStatement, .closeoutProvider, .closeoutSignature, .closeoutInsecure,
        .hostName, .userName, .alreadyAppliedBy, .restoredFrom,
    ]

    /// Compares run `a` with run `b`.
    public init(_ a: ParitySide, _ b: ParitySide) {
        self.a = a
        self.b = b
        var differences: [Difference] = []
        var expected: [Difference] = []
        func note(_ phase: String?, _ field: String, _ left: String, _ right: String, expectedToDiffer: Bool) {
            guard left != right else { return }
            let difference = Difference(phase: phase, field: field, a: left, b: right)
            if expectedToDiffer { expected.append(difference) } else { differences.append(difference) }
        }
        let runA = a.run, runB = b.run
        let fingerprintA = runA.start.fingerprint, fingerprintB = runB.start.fingerprint
        func text(_ value: String?) -> String { value ?? Self.notRecorded }

        note(nil, "run", runA.id, runB.id, expectedToDiffer: true)
        for (field, read) in Self.hostFields {
            note(nil, field, text(fingerprintA.flatMap(read)), text(fingerprintB.flatMap(read)), expectedToDiffer: true)
        }
        note(nil, "operator", runA.start.operatorName, runB.start.operatorName, expectedToDiffer: true)
        note(nil, "started_at", JournalTime.utc(runA.startedAt), JournalTime.utc(runB.startedAt), expectedToDiffer: true)
        note(nil, "signing", runA.start.signing, runB.start.signing, expectedToDiffer: true)
        note(nil, "gatehouse", text(fingerprintA?.build), text(fingerprintB?.build), expectedToDiffer: false)
        note(nil, "programme_digest", text(runA.start.programmeDigest), text(runB.start.programmeDigest), expectedToDiffer: false)
        note(nil, "plan", runA.start.plan.id, runB.start.plan.id, expectedToDiffer: false)
        note(nil, "plan_digest", runA.start.planDigest, runB.start.planDigest, expectedToDiffer: false)
        note(nil, "package_digest", text(runA.start.package?.digest), text(runB.start.package?.digest), expectedToDiffer: false)
        note(nil, "mode", runA.mode.label, runB.mode.label, expectedToDiffer: false)
        note(nil, "document", text(runA.start.document), text(runB.start.document), expectedToDiffer: false)
        note(nil, "phases", Self.sequence(runA), Self.sequence(runB), expectedToDiffer: false)

        let phaseFactsA = a.phaseFacts, phaseFactsB = b.phaseFacts
        var rows: [PhaseRow] = []
        let ids = runA.phases.map(\.phase.id) + runB.phases.map(\.phase.id).filter { id in !runA.phases.contains { $0.phase.id == id } }
        for id in ids {
            let before = differences.count
            let recordA = runA.phase(id), recordB = runB.phase(id)
            let statusA = recordA.map { Self.status($0, in: runA) } ?? "not in the plan"
            let statusB = recordB.map { Self.status($0, in: runB) } ?? "not in the plan"
            note(id, "status", statusA, statusB, expectedToDiffer: false)
            note(id, "attempts", recordA.map { "\($0.attempts)" } ?? "0", recordB.map { "\($0.attempts)" } ?? "0", expectedToDiffer: true)
            let decisionA = runA.decisions.last { $0.decision.gate == id }, decisionB = runB.decisions.last { $0.decision.gate == id }
            note(id, "decided_by", text(decisionA?.decision.by), text(decisionB?.decision.by), expectedToDiffer: true)
            note(id, "provider", text(decisionA?.decision.provider), text(decisionB?.decision.provider), expectedToDiffer: true)
            let factsA = phaseFactsA[id] ?? [:], factsB = phaseFactsB[id] ?? [:]
            for name in Set(factsA.keys).union(factsB.keys).sorted() {
                note(id, name, factsA[name].map(Self.words) ?? Self.notRecorded, factsB[name].map(Self.words) ?? Self.notRecorded,
                     expectedToDiffer: Self.expectedFactNames.contains(name))
            }
            rows.append(PhaseRow(phase: id, isGate: (recordA ?? recordB)?.phase.gate != nil, a: statusA, b: statusB,
                                 differs: differences.count > before))
        }
        note(nil, "outcome", runA.outcome.map(Self.outcome) ?? "not ended", runB.outcome.map(Self.outcome) ?? "not ended",
             expectedToDiffer: false)
        // The proof needs the resume in each run, so the same wrong answer on both sides differs too.
        let resumeA = Self.resume(runA), resumeB = Self.resume(runB)
        if resumeA != resumeB || resumeA != Self.resumeHeld {
            differences.append(Difference(phase: nil, field: "idempotent_resume", a: resumeA, b: resumeB))
        }
        self.differences = differences
        self.expected = expected
        self.phases = rows
    }

    private static let expectedFactNames = Set(expectedFacts.map(\.name))

    /// The fingerprint's fields that are the host's own, by the name they are listed under.
    private static let hostFields: [(String, @Sendable (RunFingerprint) -> String?)] = [
        ("host", { $0.host }), ("user", { $0.user }), ("system", { $0.system }), ("kernel", { $0.kernel }),
        ("journal", { $0.journal }), ("target", { $0.target }),
    ]

    /// The phases and gates of a run's plan, in order, as one line.
    static func sequence(_ run: RunState) -> String {
        run.phases.map { $0.phase.gate.map { "\($0) pause" } ?? $0.phase.id }.joined(separator: " → ")
    }

    /// How a phase ended, in a word or two: a gate by its decision.
    static func status(_ record: PhaseRecord, in run: RunState) -> String {
        if let gate = record.phase.gate, let decision = run.decisions.last(where: { $0.decision.gate == gate }) {
            return decision.approved ? "approved" : "rejected"
        }
        return record.status.rawValue
    }

    static func outcome(_ outcome: RunOutcome) -> String {
        switch outcome {
        case .closed: "closed"
        case .failed(let phase, _): "failed at \(phase)"
        default: outcome.word
        }
    }

    /// What the parity proof asks of the resume after a run ended.
    static let resumeHeld = "nothing run; the target as the run left it"

    /// How a run's resume after it ended stands, in words.
    static func resume(_ run: RunState) -> String {
        guard let last = run.resumeChecks.last?.check else { return "none journaled (run `gatehouse resume \(run.shortID)` after it ends)" }
        switch last.targetUnchanged {
        case true?: return resumeHeld
        case false?: return "nothing run; the target CHANGED since the run ended"
        case nil: return last.found == nil && last.detail.isEmpty ? resumeHeld : "nothing run; the target not compared (\(last.detail.isEmpty ? "no state recorded" : last.detail))"
        }
    }

    /// A journaled value in words: a string as it is, anything else as canonical JSON.
    static func words(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.canonical
    }
}

/// One run as a comparison reads it: its state (each phase with the facts it established) and
/// where it was read from.
public struct ParitySide: Sendable, Equatable {
    public var run: RunState
    /// Where the run was read from, in words: ``journalSource``, or a record file's path.
    public var source: String

    /// The source of a run read from the journal at hand.
    public static let journalSource = "this journal"

    public init(run: RunState, source: String) {
        self.run = run
        self.source = source
    }

    /// The facts each phase's last completion journaled, by phase id, by fact name.
    var phaseFacts: [String: [String: JSONValue]] {
        var facts: [String: [String: JSONValue]] = [:]
        for record in run.phases {
            if let established = record.facts { facts[record.phase.id] = established.json }
        }
        return facts
    }
}
