import Dispatch
import Foundation

/// Work on independent values at once, one thread each, for a command that has two large
/// things to read (`compare`'s two records).
enum Concurrently {
    /// `transform` of each of `values`, in their order, computed concurrently.
    static func map<Value: Sendable, Result: Sendable>(_ values: [Value], _ transform: @Sendable (Value) -> Result) -> [Result] {
        let results = Results<Result>(count: values.count)
        DispatchQueue.concurrentPerform(iterations: values.count) { index in
            results.set(index, transform(values[index]))
        }
        return results.values.map { $0! }
    }

    /// The slots the threads write their results into, one each, under a lock.
    private final class Results<Element: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Element?]

        init(count: Int) {
            slots = Array(repeating: nil, count: count)
        }

        func set(_ index: Int, _ value: Element) {
            lock.withLock { slots[index] = value }
        }

        var values: [Element?] { lock.withLock { slots } }
    }
}
