/// One line of the kill-switch checklist: a precondition for LIVE, met or not, and why.
public struct PreconditionCheck: Sendable, Equatable, Codable {
    /// What kind of precondition: `gap`, `macro`, `ruling`, `document`, `approvals`.
    public var kind: String
    /// What must hold, such as `GAP-3 closed`.
    public var label: String
    /// Whether it holds.
    public var met: Bool
    /// Why it holds or not, in words a person can act on.
    public var why: String

    public init(kind: String, label: String, met: Bool, why: String) {
        self.kind = kind
        self.label = label
        self.met = met
        self.why = why
    }
}

extension PreconditionCheck {
    /// The check as pinned in a run's `run.started` event.
    public var json: JSONValue {
        .object(["kind": .string(kind), "label": .string(label), "met": .bool(met), "why": .string(why)])
    }

    public init?(json: JSONValue) {
        guard let kind = json["kind"]?.stringValue, let label = json["label"]?.stringValue,
              let met = json["met"]?.boolValue, let why = json["why"]?.stringValue else { return nil }
        self.init(kind: kind, label: label, met: met, why: why)
    }
}
