/// What can happen to a programme: the typed form of the journal's `programme.*` events.
///
/// They are journaled with an empty run id, beside the runs' events in the one chain, and
/// folded by ``ProgrammeLedger`` (inside ``RunLedger``).
public enum ProgrammeEvent: Sendable, Equatable {
    /// The charter the following acts on this programme rest on (a new file digest).
    indirect case pinned(ProgrammeCharter)
    /// A sovereign's signed act.
    indirect case act(ProgrammeAct)
    /// An act that was asked for and refused; nothing else changed.
    case refused(ProgrammeRefusal)

    /// The prefix of every programme event's kind.
    public static let kindPrefix = "programme."

    /// The event kind as journaled, such as `programme.gate_signed_off`.
    public var kind: String {
        switch self {
        case .pinned: Self.kindPrefix + "pinned"
        case .act(let act): Self.kindPrefix + (act.kind?.rawValue ?? "act")
        case .refused: Self.kindPrefix + "refused"
        }
    }

    /// The event's data.
    public var payload: JSONValue {
        switch self {
        case .pinned(let charter):
            return .object(["charter": charter.json])
        case .act(let act):
            return .object(["statement": .object(act.statement), "provider": .string(act.provider), "signature": .string(act.signature)])
        case .refused(let refusal):
            return .object([
                "programme": .string(refusal.programme), "attempted": .string(refusal.attempted),
                "subject": .string(refusal.subject), "by": .string(refusal.by), "reason": .string(refusal.reason),
            ])
        }
    }

    /// The event a journaled kind and payload describe, or nil for an unknown kind or a
    /// payload that lacks what the kind needs. `text`, the payload as journaled, gives an act
    /// the canonical text of its statement to check the signature over.
    public init?(kind: String, payload member: (String) -> JSONValue?, text: String? = nil) {
        guard kind.hasPrefix(Self.kindPrefix) else { return nil }
        let name = kind.dropFirst(Self.kindPrefix.count)
        switch name {
        case "pinned":
            guard let charter = member("charter").flatMap(ProgrammeCharter.init(json:)) else { return nil }
            self = .pinned(charter)
        case "refused":
            guard let programme = member("programme")?.stringValue, let attempted = member("attempted")?.stringValue,
                  let subject = member("subject")?.stringValue, let by = member("by")?.stringValue,
                  let reason = member("reason")?.stringValue else { return nil }
            self = .refused(ProgrammeRefusal(programme: programme, attempted: attempted, subject: subject, by: by, reason: reason))
        default:
            guard let known = ProgrammeAct.Kind(rawValue: String(name)), let statement = member("statement")?.objectValue,
                  let provider = member("provider")?.stringValue, let signature = member("signature")?.stringValue else { return nil }
            let act = ProgrammeAct(statement: statement, provider: provider, signature: signature,
                                   journaledStatement: text.flatMap(Self.statementText))
            // The kind journaled must be the act signed.
            guard act.kind == known else { return nil }
            self = .act(act)
        }
    }

    /// The event a journaled kind and payload describe.
    public init?(kind: String, payload: JSONValue) {
        self.init(kind: kind, payload: { payload[$0] })
    }

    /// The statement's text in an act's canonical payload, `{"provider":…,"signature":…,
    /// "statement":{…}}` (keys sorted, so the statement is last; the two strings before it
    /// escape their quotes, so the first `,"statement":{` is the key). Nil when the payload is
    /// not in that form: the statement is then encoded again to check its signature.
    package static func statementText(_ payload: String) -> String? {
        var payload = payload
        return payload.withUTF8 { bytes -> String? in
            let prefix = Array(#"{"provider":""#.utf8)
            let marker = Array(#","statement":{"#.utf8)
            guard bytes.count > prefix.count + marker.count + 1, bytes.starts(with: prefix),
                  bytes[bytes.count - 1] == UInt8(ascii: "}"), bytes[bytes.count - 2] == UInt8(ascii: "}") else { return nil }
            var index = prefix.count
            while index + marker.count <= bytes.count - 1 {
                if bytes[index] == marker[0] && bytes[index ..< index + marker.count].elementsEqual(marker) {
                    let start = index + marker.count - 1
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< bytes.count - 1]), as: UTF8.self)
                }
                index += 1
            }
            return nil
        }
    }
}

/// Why a programme act was refused: journaled as `programme.refused`, shown on the Audit tab.
public struct ProgrammeRefusal: Error, Sendable, Equatable, CustomStringConvertible, Codable {
    /// The programme's id.
    public var programme: String
    /// The act asked for, in words (``ProgrammeAct/Kind/words``).
    public var attempted: String
    /// The gate or gap it was about.
    public var subject: String
    /// Who asked.
    public var by: String
    /// Why not, in words a person can act on.
    public var reason: String

    public init(programme: String, attempted: String, subject: String, by: String, reason: String) {
        self.programme = programme
        self.attempted = attempted
        self.subject = subject
        self.by = by
        self.reason = reason
    }

    public var description: String {
        "refused: the \(attempted) of \(subject) by \(by): \(reason)"
    }
}
