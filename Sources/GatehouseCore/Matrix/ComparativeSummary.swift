/// The comparative summary of an options analysis: one row per option, one column per
/// summarised axis (stars or a word), and the "as next macro?" answer.
///
/// This is the seed's §4 table computed from the programme, so that the text, Markdown,
/// JSON and screen forms all show the same cells.
public struct ComparativeSummary: Sendable, Equatable {
    /// One cell of an axis column.
    public enum Cell: Sendable, Equatable {
        /// A 1...5 rating.
        case stars(Int)
        /// A summary word.
        case word(String)
        /// The source gives no value for this option on this axis.
        case missing

        /// The cell as text, with stars drawn from `glyphs`.
        public func text(_ glyphs: GlyphSet) -> String {
            switch self {
            case .stars(let rating): glyphs.stars(rating)
            case .word(let word): glyphs.fit(word)
            case .missing: "?"
            }
        }

        /// The columns `text(glyphs)` takes, without building the stars.
        public func width(_ glyphs: GlyphSet) -> Int {
            switch self {
            case .stars(let rating):
                DisplayWidth.of(glyphs.starFull) * max(0, min(5, rating)) + DisplayWidth.of(glyphs.starEmpty) * (5 - max(0, min(5, rating)))
            case .word, .missing: DisplayWidth.of(text(glyphs))
            }
        }
    }

    /// One option's row.
    public struct Row: Sendable, Equatable {
        /// The option's id.
        public var optionID: String
        /// What the Option column shows, such as `OPT-1 release/tag local`.
        public var name: String
        /// One cell per entry of `ComparativeSummary.axes`.
        public var cells: [Cell]
        /// The "as next macro?" answer.
        public var nextMacro: NextMacro
    }

    /// The title of the first column.
    public static let optionHeading = "Option"
    /// The title of the last column.
    public static let nextMacroHeading = "As next macro?"

    /// The summarised axes, in programme order.
    public var axes: [Axis]
    /// The rows, in the order asked for.
    public var rows: [Row]

    /// The summary of `programme`, rows in document order or sorted by `order`.
    public init(_ programme: Programme, order: MatrixOrder = .document) {
        axes = programme.axes.filter { $0.summary != .none }
        let axes = axes
        let options = order.sorted(programme.options, in: programme)
        rows = options.map { option in
            Row(
                optionID: option.id,
                name: option.summaryName,
                cells: axes.map { axis in
                    let assessment = option.assessments[axis.id]
                    switch axis.summary {
                    case .stars: return assessment?.stars.map(Cell.stars) ?? .missing
                    case .word: return assessment?.word.map(Cell.word) ?? .missing
                    case .none: return .missing
                    }
                },
                nextMacro: option.nextMacro)
        }
    }

    /// Column headings: Option, each summarised axis, As next macro?.
    public var headings: [String] {
        [Self.optionHeading] + axes.map(\.name) + [Self.nextMacroHeading]
    }

    /// Every row as plain strings, in heading order.
    public func table(_ glyphs: GlyphSet) -> [[String]] {
        rows.map { row in
            [glyphs.fit(row.name)] + row.cells.map { $0.text(glyphs) } + [glyphs.fit(row.nextMacro.text)]
        }
    }
}
