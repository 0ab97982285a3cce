import Foundation

/// Reads the wall clock; injected so tests choose the time.
package struct WallClock: Sendable {
    /// Milliseconds since 1970-01-01 UTC.
    package var milliseconds: @Sendable () -> Int64

    package init(milliseconds: @escaping @Sendable () -> Int64) {
        self.milliseconds = milliseconds
    }

    /// The system clock.
    package static let system = WallClock { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
