/// One unit a document is cut into: a section with its heading and text.
public struct CandidateUnit: Sendable, Equatable {
    /// 1, 2, 3, ... in document order.
    public var ordinal: Int
    /// The section's heading, without the Markdown `#` marks.
    public var heading: String
    /// The section's text, trimmed of leading and trailing blank lines.
    public var body: String
    /// SHA-256 (lower-case hex) of the unit's canonical form.
    public var digest: String

    public init(ordinal: Int, heading: String, body: String, digest: String) {
        self.ordinal = ordinal
        self.heading = heading
        self.body = body
        self.digest = digest
    }
}
