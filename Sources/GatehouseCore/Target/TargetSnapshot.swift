/// What a target held at one instant: row counts per table and a SHA-256 over its content.
public struct TargetSnapshot: Sendable, Equatable, Codable {
    /// Rows per table, such as `["document": 3, "unit": 0, "cut_marker": 0]`.
    public var counts: [String: Int64]
    /// SHA-256 (lower-case hex) over the ordered content of every table.
    public var sha256: String

    public init(counts: [String: Int64], sha256: String) {
        self.counts = counts
        self.sha256 = sha256
    }
}
