/// What `gatehouse resume` found on a run that had already ended: nothing to run, and whether
/// the target still holds what the run left (the seed's "closeout → idempotent resume").
///
/// Journaled as `run.resume_noop`; a parity comparison (``RunParity``) expects one in both runs.
public struct ResumeCheck: Sendable, Equatable, Codable {
    /// Who asked for the resume.
    public var by: String
    /// The word of the outcome the run had ended with, such as `closed`.
    public var outcome: String
    /// What the target held when the resume read it; nil when the run has no target, or it could
    /// not be read (then `detail` says why).
    public var found: TargetSnapshot?
    /// The SHA-256 the run left the target at (its post-state, or its pre-state when it wrote
    /// nothing after it or was restored), when it recorded one.
    public var expectedSHA: String?
    /// Why the target was not read, or other words on what was found.
    public var detail: String

    public init(by: String, outcome: String, found: TargetSnapshot?, expectedSHA: String?, detail: String = "") {
        self.by = by
        self.outcome = outcome
        self.found = found
        self.expectedSHA = expectedSHA
        self.detail = detail
    }

    /// The resume of `run` (ended) as `by`, having read `found` from its target.
    public init(of run: RunState, by: String, found: TargetSnapshot?, detail: String = "") {
        self.init(by: by, outcome: run.outcome?.word ?? "running", found: found, expectedSHA: Self.expectedSHA(of: run),
                  detail: detail)
    }

    /// Whether the target was found as the run left it: nil when there was nothing to compare.
    public var targetUnchanged: Bool? {
        guard let found, let expectedSHA else { return nil }
        return found.sha256 == expectedSHA
    }

    /// The SHA-256 an ended run left its target at: the pre-state after a restore, else the
    /// post-state it verified, else the pre-state (a run that ended before it wrote).
    public static func expectedSHA(of run: RunState) -> String? {
        if run.facts.restoredFrom != nil { return run.facts.preStateSHA }
        return run.facts.postStateSHA ?? run.facts.preStateSHA
    }

    /// One line for a person: `nothing to run; the target is as the run left it (SHA-256 …)`.
    public var summary: String {
        var text = "nothing to run"
        switch targetUnchanged {
        case true?: text += "; the target is as the run left it (SHA-256 \(found!.sha256.prefix(12))…)"
        case false?: text += "; the target CHANGED since the run ended (SHA-256 \(expectedSHA!.prefix(12))… → \(found!.sha256.prefix(12))…)"
        case nil: if found != nil { text += "; the run recorded no state to compare the target with" }
        }
        if !detail.isEmpty { text += "; \(detail)" }
        return text
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["by": .string(by), "outcome": .string(outcome), "detail": .string(detail)]
        if let found {
            members["found"] = .object(["counts": .object(found.counts.mapValues { .int($0) }), "sha256": .string(found.sha256)])
        }
        if let expectedSHA { members["expected_sha256"] = .string(expectedSHA) }
        return .object(members)
    }

    /// The check `members` records, or nil when a member is missing or of the wrong type.
    init?(_ members: (String) -> JSONValue?) {
        guard let by = members("by")?.stringValue, let outcome = members("outcome")?.stringValue,
              let detail = members("detail")?.stringValue else { return nil }
        var found: TargetSnapshot?
        if let value = members("found") {
            guard let sha = value["sha256"]?.stringValue, let countValues = value["counts"]?.objectValue else { return nil }
            let counts = countValues.compactMapValues(\.intValue)
            guard counts.count == countValues.count else { return nil }
            found = TargetSnapshot(counts: counts, sha256: sha)
        }
        let expected = members("expected_sha256")
        guard expected == nil || expected?.stringValue != nil else { return nil }
        self.init(by: by, outcome: outcome, found: found, expectedSHA: expected?.stringValue, detail: detail)
    }
}
