import Foundation

/// Test-only crash points: `GATEHOUSE_FAULT` names a point where the runner kills itself with
/// SIGKILL, so crash tests hit exact instants instead of racing a timer.
///
/// Points: `after:<event kind>:<phase>` (right after that event is journaled, such as
/// `after:phase.completed:backup`), `apply-unit:<n>` (inside the apply transaction after the
/// n-th unit), `apply-before-commit`, `apply-after-commit` (target committed, journal not yet).
public struct FaultInjection: Sendable {
    /// The point to crash at, if any.
    public var point: String?

    public init(point: String?) {
        self.point = point.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The plan the environment asks for.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> FaultInjection {
        FaultInjection(point: environment["GATEHOUSE_FAULT"])
    }

    /// Dies at once with SIGKILL if `point` is the chosen one.
    public func hit(_ point: String) {
        guard let chosen = self.point, chosen == point else { return }
        kill(getpid(), SIGKILL)
        // SIGKILL cannot be caught; this is never reached.
        while true { pause() }
    }
}
