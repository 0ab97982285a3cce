import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a runner waits at a gate: asleep until the journal's change notice fires or a stop is
/// requested, never on a timer it could be woken from.
///
/// A journal without a notice (PostgreSQL, whose head read is already a cheap LISTEN check,
/// or a test's) is asked again every `fallback` instead; with one, it is asked once a second
/// as well, in case a notice was lost.
public struct JournalWait {
    /// The journal's change notice, if it offers one.
    private let notice: JournalChangeNotice?
    /// The stop request that ends a wait at once.
    private let stop: StopSignal
    /// How long to wait without a notice, in milliseconds.
    private let fallback: Int32

    /// Waits on `journal`'s notice (or every `fallback` seconds without one) and on `stop`.
    public init(journal: any Journal, stop: StopSignal, fallback: TimeInterval) {
        notice = journal.changeNotice()
        self.stop = stop
        self.fallback = Int32(clamping: Int((fallback * 1000).rounded(.up)))
    }

    /// Returns once `changed` says so or a stop is requested.
    ///
    /// Pending notices are emptied before `changed` is asked, so a change after it leaves the
    /// notice readable and the next sleep returns at once.
    public func wait(until changed: () -> Bool) {
        while stop.requested == nil {
            notice?.drain()
            if changed() { return }
            sleep()
        }
    }

    private func sleep() {
        var descriptors = [pollfd(fd: stop.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        if let notice { descriptors.append(pollfd(fd: notice.fileDescriptor, events: Int16(POLLIN), revents: 0)) }
        _ = poll(&descriptors, nfds_t(descriptors.count), notice == nil ? fallback : 1000)
    }
}
