/// The order the option matrix lists options in.
public enum MatrixOrder: Sendable, Equatable {
    /// As the programme file lists them.
    case document
    /// By one axis: best rating first for star axes, lowest on the axis' scale first for
    /// word axes; ties keep document order.
    case axis(String)

    /// The orders `s` cycles through: document order, then each summarised axis.
    public static func cycle(for programme: Programme) -> [MatrixOrder] {
        [.document] + programme.axes.filter { $0.summary != .none }.map { .axis($0.id) }
    }

    /// The order after this one in `cycle(for:)`, wrapping round.
    public func next(in programme: Programme) -> MatrixOrder {
        let all = Self.cycle(for: programme)
        let index = all.firstIndex(of: self) ?? 0
        return all[(index + 1) % all.count]
    }

    /// The axis rows are sorted by, if any.
    public var axisID: String? {
        if case .axis(let id) = self { return id }
        return nil
    }

    /// `options` in this order.
    public func sorted(_ options: [ProgrammeOption], in programme: Programme) -> [ProgrammeOption] {
        guard let axisID, let axis = programme.axis(axisID) else { return options }
        let keyed = options.enumerated().map { index, option in
            (index: index, option: option, key: sortKey(option.assessments[axisID], axis: axis))
        }
        return keyed.sorted { lhs, rhs in
            lhs.key != rhs.key ? lhs.key < rhs.key : lhs.index < rhs.index
        }.map(\.option)
    }

    /// Smaller sorts first; a missing value sorts last.
    private func sortKey(_ assessment: Assessment?, axis: Axis) -> Int {
        switch axis.summary {
        case .stars:
            guard let stars = assessment?.stars else { return Int.max }
            return -stars
        case .word:
            guard let word = assessment?.word, let rank = axis.scale.firstIndex(of: word) else {
                return Int.max
            }
            return rank
        case .none:
            return 0
        }
    }
}
