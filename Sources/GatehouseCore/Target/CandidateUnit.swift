/// One unit a document is cut into: a section with its heading and text.
package struct CandidateUnit: Sendable, Equatable {
    /// 1, 2, 3, ... in document order.
    package var ordinal: Int
    /// The section's heading, without the Markdown `#` marks.
    package var heading: String
    /// The section's text, trimmed of leading and trailing blank lines.
    package var body: String
    /// SHA-256 (lower-case hex) of the unit's canonical form.
    package var digest: String

    package init(ordinal: Int, heading: String, body: String, digest: String) {
        self.ordinal = ordinal
        self.heading = heading
        self.body = body
        self.digest = digest
    }
}
