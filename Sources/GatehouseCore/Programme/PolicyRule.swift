/// A policy rule adopted from an option instead of running it, such as OPT-5's rule on
/// signature-critical documents.
public struct PolicyRule: Sendable, Equatable, Identifiable {
    /// Identifier, such as `POLICY-OPT-5`.
    public var id: String
    /// The option the rule is adopted from.
    public var option: String
    /// What the rule is scoped to, such as `signature-critical documents only`.
    public var scope: String
    /// The rule in full.
    public var rule: String

    public init(id: String, option: String, scope: String, rule: String) {
        self.id = id
        self.option = option
        self.scope = scope
        self.rule = rule
    }
}
