/// One evaluation axis of the options analysis, such as safety or effort.
package struct Axis: Sendable, Equatable, Identifiable {
    /// How an axis appears in the comparative summary.
    package enum Summary: String, Sendable, Equatable, CaseIterable {
        /// A 1-5 star rating per option.
        case stars
        /// A short word per option, such as `low` or `med-high`.
        case word
        /// Not in the summary: only the full assessment text.
        case none
    }

    /// Identifier used by options' assessments, such as `safety`.
    package var id: String
    /// Column heading, such as `Safety`.
    package var name: String
    /// What the axis measures, or `nil` when the source does not say.
    package var meaning: String?
    /// How the comparative summary shows this axis.
    package var summary: Summary
    /// For word axes, the words in rising order (such as `low` ... `xhigh`); empty if unordered.
    package var scale: [String]

    package init(id: String, name: String, meaning: String?, summary: Summary, scale: [String] = []) {
        self.id = id
        self.name = name
        self.meaning = meaning
        self.summary = summary
        self.scale = scale
    }
}
