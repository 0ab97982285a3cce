/// Whether a run may change its target.
public enum RunMode: String, Sendable, Equatable, CaseIterable, Codable {
    /// Reads the target, computes everything, writes nothing.
    case dryRun = "dryrun"
    /// Writes to the target; only while the kill-switch is on for the run.
    case live

    /// The word the screens and logs show: `DRYRUN` or `LIVE`.
    public var label: String {
        switch self {
        case .dryRun: "DRYRUN"
        case .live: "LIVE"
        }
    }
}
