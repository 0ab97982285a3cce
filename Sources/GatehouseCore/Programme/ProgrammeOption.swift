/// One candidate next move of the options analysis, such as `OPT-2`.
public struct ProgrammeOption: Sendable, Equatable, Identifiable {
    /// Identifier, such as `OPT-2`.
    public var id: String
    /// Full title, such as `Deploy v0.6 to Contabo, kill-switch OFF`.
    public var title: String
    /// The short name used in the comparative summary, such as `deploy, kill-switch off`.
    public var label: String
    /// What the option does.
    public var what: String
    /// One assessment per axis, keyed by axis id.
    public var assessments: [String: Assessment]
    /// The analysis' verdict on the option.
    public var verdict: String
    /// Whether the option should be the next macro, and how the document says it.
    public var nextMacro: NextMacro
    /// The level of the gate the option passes through, or `nil` when not stated.
    public var gateLevel: GateLevel?

    public init(
        id: String, title: String, label: String, what: String,
        assessments: [String: Assessment], verdict: String, nextMacro: NextMacro,
        gateLevel: GateLevel?
    ) {
        self.id = id
        self.title = title
        self.label = label
        self.what = what
        self.assessments = assessments
        self.verdict = verdict
        self.nextMacro = nextMacro
        self.gateLevel = gateLevel
    }

    /// The id and label together, as the summary's Option column shows them.
    public var summaryName: String { "\(id) \(label)" }
}

/// An option's assessment on one axis.
public struct Assessment: Sendable, Equatable {
    /// The star rating 1...5, for axes summarised by stars.
    public var stars: Int?
    /// The summary word, for axes summarised by a word.
    public var word: String?
    /// The full assessment text.
    public var text: String

    public init(stars: Int? = nil, word: String? = nil, text: String) {
        self.stars = stars
        self.word = word
        self.text = text
    }
}

/// The answer to "as next macro?" for one option.
public struct NextMacro: Sendable, Equatable {
    /// The gist of the answer.
    public enum Answer: String, Sendable, Equatable, CaseIterable {
        case yes
        case no
        /// Not on its own: folded into another macro.
        case fold
    }

    /// The gist, for colour and sorting.
    public var answer: Answer
    /// The answer as the document words it, such as `YES — O6 core`.
    public var text: String

    public init(answer: Answer, text: String) {
        self.answer = answer
        self.text = text
    }
}
