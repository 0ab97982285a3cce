import Foundation

/// Reads the wall clock; injected so tests choose the time.
public struct WallClock: Sendable {
    /// Milliseconds since 1970-01-01 UTC.
    public var milliseconds: @Sendable () -> Int64

    public init(milliseconds: @escaping @Sendable () -> Int64) {
        self.milliseconds = milliseconds
    }

    /// The system clock.
    public static let system = WallClock { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
