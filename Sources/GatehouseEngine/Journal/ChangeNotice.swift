/// Something that says a journal may have changed: a watcher sleeps until it fires.
///
/// A notice says "look", never what changed; the watcher still reads the journal's head.
public protocol ChangeNotice: AnyObject {
    /// The descriptor that becomes readable while notices are pending, for `poll(2)`; -1 for
    /// a notice that no descriptor stands for (a test's).
    var fileDescriptor: Int32 { get }
    /// Reads every pending notice; returns whether any said the journal may have changed.
    @discardableResult
    func drain() -> Bool
}

extension JournalChangeNotice: ChangeNotice {}
