/// The characters used to draw ratings, arrows and borders: Unicode where the terminal's
/// locale is UTF-8, plain ASCII otherwise.
public struct GlyphSet: Sendable, Equatable {
    /// A filled star of a rating.
    public var starFull: String
    /// An empty star of a rating.
    public var starEmpty: String
    /// The selection cursor in lists and tables.
    public var cursor: String
    /// Marks a column as the one rows are sorted by.
    public var sortMarker: String
    /// A horizontal rule.
    public var horizontal: String
    /// Whether text may hold any Unicode character or must be folded to ASCII.
    public var isUnicode: Bool
    /// A phase's state: pending, running, done, failed, skipped.
    public var phasePending = "·", phaseRunning = "▸", phaseDone = "✓", phaseFailed = "✗", phaseSkipped = "–"
    /// A gauge's filled and empty cells.
    public var gaugeFull = "█", gaugeEmpty = "░"

    /// Stars, arrows and rules from Unicode.
    public static let unicode = GlyphSet(
        starFull: "★", starEmpty: "☆", cursor: "▶", sortMarker: "▼", horizontal: "─",
        isUnicode: true)

    /// The ASCII fallback: `*` and `.` for stars.
    public static let ascii = GlyphSet(
        starFull: "*", starEmpty: ".", cursor: ">", sortMarker: "v", horizontal: "-",
        isUnicode: false, phasePending: ".", phaseRunning: ">", phaseDone: "+", phaseFailed: "x", phaseSkipped: "-",
        gaugeFull: "#", gaugeEmpty: "-")

    /// A 1...5 rating as five stars, filled then empty.
    public func stars(_ rating: Int, outOf scale: Int = 5) -> String {
        let filled = max(0, min(scale, rating))
        return String(repeating: starFull, count: filled)
            + String(repeating: starEmpty, count: scale - filled)
    }

    /// The text as this glyph set can show it: unchanged in Unicode, folded to ASCII otherwise.
    public func fit(_ text: String) -> String {
        isUnicode ? text : ASCIIFolding.fold(text)
    }
}
