import GatehouseEngine

/// Where a dashboard's view of the runs comes from: a journal it reads as it changes.
///
/// ``JournalFollower`` is the real one; tests give the loop a feed of their own.
public protocol DashboardFeed {
    /// Reads what changed into `context`, and what the runners' locks say when
    /// `lookingAtRunners`; returns whether anything shown did.
    mutating func poll(into context: inout DashboardContext, lookingAtRunners: Bool) -> Bool
    /// What wakes the dashboard when the journal may have changed; nil while there is none
    /// (the dashboard then reads every 100 ms).
    var changeNotice: (any ChangeNotice)? { get }
    /// The runs acts change, once the journal is open.
    var store: RunStore? { get }
}

extension DashboardFeed {
    /// Reads what changed into `context`, and what the runners' locks say; returns whether
    /// anything shown did.
    @discardableResult
    public mutating func poll(into context: inout DashboardContext) -> Bool {
        poll(into: &context, lookingAtRunners: true)
    }
}
