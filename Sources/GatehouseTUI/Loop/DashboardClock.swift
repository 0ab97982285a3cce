import Foundation

/// The two clocks the dashboard reads: the wall clock (what a running phase's duration is
/// counted against, and the whole seconds it ticks on) and a monotonic one (how long to
/// wait; it never jumps).
package struct DashboardClock: Sendable {
    /// Milliseconds since 1970-01-01 UTC.
    package var wall: @Sendable () -> Int64
    /// Milliseconds of a clock that only goes forward.
    package var uptime: @Sendable () -> Int64

    package init(wall: @escaping @Sendable () -> Int64, uptime: @escaping @Sendable () -> Int64) {
        self.wall = wall
        self.uptime = uptime
    }

    /// The system's clocks.
    package static let system = DashboardClock(
        wall: { Int64((Date().timeIntervalSince1970 * 1000).rounded()) },
        uptime: { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) })

    /// Both clocks read at one instant.
    package func read() -> DashboardLoop.Instant {
        DashboardLoop.Instant(wall: wall(), uptime: uptime())
    }
}

/// A clock a test moves by hand: both of ``DashboardClock``'s clocks advance together.
package final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Int64 = 0
    /// The wall clock's reading at the start.
    package let wallAtStart: Int64

    /// A clock that starts at `wallAtStart` milliseconds since 1970.
    package init(wallAtStart: Int64 = 1_800_000_000_000) {
        self.wallAtStart = wallAtStart
    }

    /// Milliseconds since the clock started.
    package var uptime: Int64 { lock.withLock { elapsed } }

    /// Moves the clock forward to `uptime` milliseconds since its start (never back).
    package func advance(to uptime: Int64) {
        lock.withLock { elapsed = max(elapsed, uptime) }
    }

    /// The dashboard's clocks, read from this one.
    package var dashboardClock: DashboardClock {
        DashboardClock(wall: { [self] in wallAtStart + uptime }, uptime: { [self] in uptime })
    }
}
