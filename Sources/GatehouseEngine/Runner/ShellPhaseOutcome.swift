/// How a shell-command phase ended.
public enum ShellPhaseOutcome: Sendable, Equatable, CustomStringConvertible {
    /// The command exited with status 0.
    case succeeded
    /// The command exited with a status other than 0 (127: the command was not found).
    case failed(exitStatus: Int32)
    /// The shell was killed by a signal it did not receive from Gatehouse.
    case killedBySignal(Int32)
    /// The command ran past its timeout; its process group was terminated.
    case timedOut(seconds: Int)
    /// The runner asked it to stop; its process group was terminated.
    case stopped
    /// The shell could not be started; the reason says what to fix.
    case couldNotStart(String)

    /// One line a person understands, such as `exited with status 3`.
    public var description: String {
        switch self {
        case .succeeded: "succeeded"
        case .failed(let status): "exited with status \(status)"
        case .killedBySignal(let signal): "was killed by signal \(signal)\(Self.name(signal).map { " (\($0))" } ?? "")"
        case .timedOut(let seconds): "timed out after \(seconds) s and was terminated; raise its 'timeout' if it needs longer"
        case .stopped: "was stopped before it finished and was terminated"
        case .couldNotStart(let reason): "could not start: \(reason)"
        }
    }

    private static func name(_ signal: Int32) -> String? {
        switch signal {
        case 1: "SIGHUP"
        case 2: "SIGINT"
        case 3: "SIGQUIT"
        case 6: "SIGABRT"
        case 9: "SIGKILL"
        case 11: "SIGSEGV"
        case 13: "SIGPIPE"
        case 15: "SIGTERM"
        default: nil
        }
    }
}
