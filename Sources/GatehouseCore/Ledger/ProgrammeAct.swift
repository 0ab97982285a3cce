/// A sovereign's signed act on a programme: a gate signed off, a gap closed or reopened, a
/// condition recorded as met, a ruling recorded.
///
/// Everything the act says is in its ``statement``, which the signature covers: the act,
/// the programme's id and digest, who signs, when, a nonce, and the act's own values.
public struct ProgrammeAct: Sendable, Equatable, Codable {
    /// What the act does; the journal's kind is `programme.` and the raw value.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case signOff = "gate_signed_off"
        case closeGap = "gap_closed"
        case reopenGap = "gap_reopened"
        case conditionMet = "condition_met"
        case ruling = "ruling_recorded"

        /// The act in a few words, for refusals and the Audit tab.
        public var words: String {
            switch self {
            case .signOff: "gate sign-off"
            case .closeGap: "gap closed"
            case .reopenGap: "gap reopened"
            case .conditionMet: "condition met"
            case .ruling: "ruling"
            }
        }
    }

    /// The values signed.
    public var statement: [String: JSONValue]
    /// The signing provider's name, such as `stub`.
    public var provider: String
    /// The signature over the statement.
    public var signature: String
    /// The statement's canonical JSON as the journal holds it, when the act was read from one
    /// (its signature is checked over these bytes; not part of the act's value).
    public var journaledStatement: String?

    public init(statement: [String: JSONValue], provider: String, signature: String, journaledStatement: String? = nil) {
        self.statement = statement
        self.provider = provider
        self.signature = signature
        self.journaledStatement = journaledStatement
    }

    public static func == (lhs: ProgrammeAct, rhs: ProgrammeAct) -> Bool {
        lhs.statement == rhs.statement && lhs.provider == rhs.provider && lhs.signature == rhs.signature
    }

    /// What the act does, if the statement says something known.
    public var kind: Kind? { statement["act"]?.stringValue.flatMap(Kind.init(rawValue:)) }
    /// The sovereign who signs.
    public var by: String { text("by") }
    /// The programme it is for.
    public var programme: String { text("programme") }
    /// The gate it is about (a sign-off, a condition, a ruling), or empty.
    public var gate: String { text("gate") }
    /// The gap it is about (closed, reopened), or empty.
    public var gap: String { text("gap") }
    /// A sign-off's verdict: pass (true) or fail.
    public var passes: Bool { statement["verdict"]?.stringValue == "pass" }
    /// A fail's or a reopening's reason.
    public var reason: String { text("reason") }
    /// What the act rests on, as the signer gave it: a condition's evidence, a gap's text.
    public var evidenceText: String { text("evidence") }
    /// A gap closure's closed-out run, if it names one.
    public var run: String? { statement["run"]?.stringValue }
    /// A gap closure's reference (a commit, a document digest, a URL), if it gives one.
    public var reference: String? { statement["reference"]?.stringValue }
    /// A condition's text.
    public var condition: String { text("condition") }
    /// A ruling's text.
    public var rulingText: String { text("text") }
    /// The evidence lines a sign-off saw (see ``GateBoard/Entry/evidence``).
    public var evidence: [String] { statement["evidence_lines"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    /// A sign-off's gate definition digest.
    public var gateDigest: String { text("gate_digest") }
    /// A sign-off's evidence digest.
    public var evidenceDigest: String { text("evidence_digest") }

    /// What the act is about: its gate or its gap.
    public var subject: String { gap.isEmpty ? gate : gap }

    private func text(_ key: String) -> String { statement[key]?.stringValue ?? "" }
}

/// The statements sovereigns sign for programme acts.
public enum ProgrammeStatement {
    /// The values every programme statement carries.
    private static func base(_ kind: ProgrammeAct.Kind, charter: ProgrammeCharter, by name: String, signedAt: Int64,
                             nonce: String) -> [String: JSONValue] {
        [
            "act": .string(kind.rawValue), "programme": .string(charter.programme),
            "programme_digest": .string(charter.digest), "by": .string(name),
            "signed_at_ms": .int(signedAt), "nonce": .string(nonce),
        ]
    }

    /// A sign-off of `entry`'s gate, pass or fail, bound to its definition and to the evidence
    /// its requirements show now.
    public static func signOff(_ entry: GateBoard.Entry, charter: ProgrammeCharter, pass: Bool, reason: String, by name: String,
                               signedAt: Int64, nonce: String) -> [String: JSONValue] {
        var statement = base(.signOff, charter: charter, by: name, signedAt: signedAt, nonce: nonce)
        statement["gate"] = .string(entry.gate.id)
        statement["verdict"] = .string(pass ? "pass" : "fail")
        statement["reason"] = .string(reason)
        statement["gate_digest"] = .string(charter.definitionDigests[entry.gate.id] ?? "")
        statement["evidence_digest"] = .string(entry.evidenceDigest)
        statement["evidence_lines"] = .array(entry.evidence.map(JSONValue.string))
        return statement
    }

    /// A closure of `gap`, resting on a closed-out `run` and/or a text and a reference.
    public static func closeGap(_ gap: String, charter: ProgrammeCharter, run: String?, evidence: String, reference: String?,
                                by name: String, signedAt: Int64, nonce: String) -> [String: JSONValue] {
        var statement = base(.closeGap, charter: charter, by: name, signedAt: signedAt, nonce: nonce)
        statement["gap"] = .string(gap)
        statement["evidence"] = .string(evidence)
        if let run { statement["run"] = .string(run) }
        if let reference { statement["reference"] = .string(reference) }
        return statement
    }

    /// A reopening of `gap`, with why.
    public static func reopenGap(_ gap: String, charter: ProgrammeCharter, reason: String, by name: String,
                                 signedAt: Int64, nonce: String) -> [String: JSONValue] {
        var statement = base(.reopenGap, charter: charter, by: name, signedAt: signedAt, nonce: nonce)
        statement["gap"] = .string(gap)
        statement["reason"] = .string(reason)
        return statement
    }

    /// `condition` of `gate` recorded as met, with evidence.
    public static func conditionMet(_ condition: String, of gate: String, charter: ProgrammeCharter, evidence: String,
                                    by name: String, signedAt: Int64, nonce: String) -> [String: JSONValue] {
        var statement = base(.conditionMet, charter: charter, by: name, signedAt: signedAt, nonce: nonce)
        statement["gate"] = .string(gate)
        statement["condition"] = .string(condition)
        statement["evidence"] = .string(evidence)
        return statement
    }

    /// A ruling on `gate`: its text and the text's SHA-256.
    public static func ruling(_ text: String, on gate: String, charter: ProgrammeCharter, by name: String,
                              signedAt: Int64, nonce: String) -> [String: JSONValue] {
        var statement = base(.ruling, charter: charter, by: name, signedAt: signedAt, nonce: nonce)
        statement["gate"] = .string(gate)
        statement["text"] = .string(text)
        statement["text_digest"] = .string(sha256Hex(text))
        return statement
    }

    /// The phrase a person types to sign `entry` off: `PASS GATE-O6 1a2b3c4d` (the last part
    /// is the start of the evidence digest, so that it names what was seen).
    public static func phrase(for entry: GateBoard.Entry, pass: Bool) -> String {
        "\(pass ? "PASS" : "FAIL") \(entry.gate.id) \(entry.evidenceDigest.prefix(8))"
    }
}
