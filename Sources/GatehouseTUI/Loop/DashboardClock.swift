import Foundation

/// The two clocks the dashboard reads: the wall clock (what a running phase's duration is
/// counted against, and the whole seconds it ticks on) and a monotonic one (how long to
/// wait; it never jumps).
public struct DashboardClock: Sendable {
    /// Milliseconds since 1970-01-01 UTC.
    public var wall: @Sendable () -> Int64
    /// Milliseconds of a clock that only goes forward.
    public var uptime: @Sendable () -> Int64

    public init(wall: @escaping @Sendable () -> Int64, uptime: @escaping @Sendable () -> Int64) {
        self.wall = wall
        self.uptime = uptime
    }

    /// The system's clocks.
    public static let system = DashboardClock(
        wall: { Int64((Date().timeIntervalSince1970 * 1000).rounded()) },
        uptime: { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) })

    /// Both clocks read at one instant.
    public func read() -> DashboardLoop.Instant {
        DashboardLoop.Instant(wall: wall(), uptime: uptime())
    }
}

/// A clock a test moves by hand: both of ``DashboardClock``'s clocks advance together.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Int64 = 0
    /// The wall clock's reading at the start.
    public let wallAtStart: Int64

    /// A clock that starts at `wallAtStart` milliseconds since 1970.
    public init(wallAtStart: Int64 = 1_800_000_000_000) {
        self.wallAtStart = wallAtStart
    }

    /// Milliseconds since the clock started.
    public var uptime: Int64 { lock.withLock { elapsed } }

    /// Moves the clock forward to `uptime` milliseconds since its start (never back).
    public func advance(to uptime: Int64) {
        lock.withLock { elapsed = max(elapsed, uptime) }
    }

    /// The dashboard's clocks, read from this one.
    public var dashboardClock: DashboardClock {
        DashboardClock(wall: { [self] in wallAtStart + uptime }, uptime: { [self] in uptime })
    }
}
