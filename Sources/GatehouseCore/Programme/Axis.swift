/// One evaluation axis of the options analysis, such as safety or effort.
public struct Axis: Sendable, Equatable, Identifiable {
    /// How an axis appears in the comparative summary.
    public enum Summary: String, Sendable, Equatable, CaseIterable {
        /// A 1-5 star rating per option.
        case stars
        /// A short word per option, such as `low` or `med-high`.
        case word
        /// Not in the summary: only the full assessment text.
        case none
    }

    /// Identifier used by options' assessments, such as `safety`.
    public var id: String
    /// Column heading, such as `Safety`.
    public var name: String
    /// What the axis measures, or `nil` when the source does not say.
    public var meaning: String?
    /// How the comparative summary shows this axis.
    public var summary: Summary
    /// For word axes, the words in rising order (such as `low` ... `xhigh`); empty if unordered.
    public var scale: [String]

    public init(id: String, name: String, meaning: String?, summary: Summary, scale: [String] = []) {
        self.id = id
        self.name = name
        self.meaning = meaning
        self.summary = summary
        self.scale = scale
    }
}
