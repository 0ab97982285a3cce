/// Which option of the programme a run carries out: its plan, and optionally its mode.
///
/// The review page of a sovereign gate shows the option (and its macro and matrix row) a run
/// belongs to, so the approver sees what the run means for the programme.
public struct RunOption: Sendable, Equatable {
    /// The plan's id, such as `production-cut`.
    public var plan: String
    /// The mode this mapping applies to, or nil for both.
    public var mode: RunMode?
    /// The option, such as `OPT-4`.
    public var option: String

    public init(plan: String, mode: RunMode?, option: String) {
        self.plan = plan
        self.mode = mode
        self.option = option
    }
}

extension Programme {
    /// The option a run of `plan` in `mode` carries out, if the programme says.
    public func option(forPlan plan: String, mode: RunMode) -> ProgrammeOption? {
        let match = runOptions.first { $0.plan == plan && $0.mode == mode } ?? runOptions.first { $0.plan == plan && $0.mode == nil }
        return match.flatMap { option($0.option) }
    }
}
