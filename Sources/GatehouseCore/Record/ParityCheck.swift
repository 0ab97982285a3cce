/// A parity comparison journaled on the run it compared (`gatehouse compare REF RUN
/// --record-verdict`): which reference, the verdict and what broke it. A programme's
/// `parity` requirement reads it (OPT-3's evidence for GATE-O7).
///
/// Journaled as `run.parity_checked` on an ended run of the journal; the reference may be a
/// record from another host, named by its run, where it was read and the hash of its last event
/// (which, through the chain, binds every event the comparison read).
public struct ParityCheck: Sendable, Equatable, Codable {
    /// Who recorded it.
    public var by: String
    /// The reference run's id.
    public var referenceRun: String
    /// Where the reference was read: a record file's path, or ``ParitySide/journalSource``.
    public var referenceSource: String
    /// The host the reference ran on, as its fingerprint says (nil for a run without one).
    public var referenceHost: String?
    /// The hash of the reference's last event.
    public var referenceHead: String
    /// Whether parity held.
    public var holds: Bool
    /// The fields of the differences that broke it, in order (at most ``fieldsKept``).
    public var differingFields: [String]
    /// How many differences broke it.
    public var differences: Int
    /// How many differences were expected between hosts.
    public var expected: Int

    /// The most differing fields a check keeps.
    public static let fieldsKept = 12

    public init(by: String, referenceRun: String, referenceSource: String, referenceHost: String?, referenceHead: String,
                holds: Bool, differingFields: [String], differences: Int, expected: Int) {
        self.by = by
        self.referenceRun = referenceRun
        self.referenceSource = referenceSource
        self.referenceHost = referenceHost
        self.referenceHead = referenceHead
        self.holds = holds
        self.differingFields = differingFields
        self.differences = differences
        self.expected = expected
    }

    /// The check `parity` makes, recorded by `by`; `referenceHead` is the hash of the
    /// reference's last event.
    public init(_ parity: RunParity, by: String, referenceHead: String) {
        var fields: [String] = []
        for difference in parity.differences {
            let name = (difference.phase.map { "\($0)." } ?? "") + difference.field
            if !fields.contains(name) && fields.count < Self.fieldsKept { fields.append(name) }
        }
        self.init(by: by, referenceRun: parity.a.run.id, referenceSource: parity.a.source,
                  referenceHost: parity.a.run.start.fingerprint?.host, referenceHead: referenceHead, holds: parity.holds,
                  differingFields: fields, differences: parity.differences.count, expected: parity.expected.count)
    }

    /// One line: `at parity with run 1a2b3c4d (o4.json on alpha)` or `DIFFERS from … (2: pre_sha, …)`.
    public var summary: String {
        let host = referenceHost.map { " on \($0)" } ?? ""
        let reference = "run \(referenceRun.prefix(12)) (\(referenceSource)\(host))"
        if holds { return "at parity with \(reference), \(expected) expected between hosts" }
        return "DIFFERS from \(reference): \(differences) difference\(differences == 1 ? "" : "s") (\(differingFields.joined(separator: ", ")))"
    }

    public var json: JSONValue {
        var reference: [String: JSONValue] = ["run": .string(referenceRun), "source": .string(referenceSource),
                                              "head": .string(referenceHead)]
        if let referenceHost { reference["host"] = .string(referenceHost) }
        return .object([
            "by": .string(by), "reference": .object(reference), "parity": .bool(holds),
            "differing": .array(differingFields.map(JSONValue.string)), "differences": .int(Int64(differences)),
            "expected": .int(Int64(expected)),
        ])
    }

    /// The check `members` records, or nil when a member is missing or of the wrong type.
    init?(_ members: (String) -> JSONValue?) {
        guard let by = members("by")?.stringValue, let reference = members("reference"),
              let run = reference["run"]?.stringValue, let source = reference["source"]?.stringValue,
              let head = reference["head"]?.stringValue, let holds = members("parity")?.boolValue,
              let fieldValues = members("differing")?.arrayValue, let differences = members("differences")?.intValue,
              let expected = members("expected")?.intValue else { return nil }
        let fields = fieldValues.compactMap(\.stringValue)
        let host = reference["host"]
        guard fields.count == fieldValues.count, host == nil || host?.stringValue != nil else { return nil }
        self.init(by: by, referenceRun: run, referenceSource: source, referenceHost: host?.stringValue, referenceHead: head,
                  holds: holds, differingFields: fields, differences: Int(differences), expected: Int(expected))
    }
}
