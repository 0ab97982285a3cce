import Foundation
import GatehouseCore

/// Folds events into a ledger on a second thread while the calling thread reads them.
///
/// Reading an event from the journal and folding it cost about the same, so a long journal
/// (a dashboard or runner opening a year of runs) is read on the calling thread while another
/// thread folds what was read, in batches, in order: the wall time is the slower of the two
/// instead of their sum. `RunStore` folds the first ``inlineLimit`` events of a read itself
/// and starts one only past them, so the usual refresh (a few new events) starts no thread.
///
/// Whatever happens to the read (an error thrown part way), every event handed over is folded
/// before ``finish()`` returns the ledger: the result is the same as folding them one by one.
final class PipelinedFold: @unchecked Sendable {
    /// Events a read folds on its own thread before it starts a pipeline.
    static let inlineLimit = 20_000
    /// Events handed to the folding thread at a time.
    static let batchSize = 256
    /// Batches read ahead of the fold at most (bounds the memory a fast read can fill).
    static let queueLimit = 8

    // `ledger` belongs to the folding thread until it has finished; `condition` guards the
    // queues and flags.
    private var ledger: RunLedger
    private var batch: [JournalEvent] = []
    private let condition = NSCondition()
    private var queue: [[JournalEvent]] = []
    /// Batches folded, handed back to be freed by the thread that read them: memory freed by
    /// the thread that allocated it stays out of the other thread's allocator (glibc locks an
    /// arena for a free from another thread, and the two cores fight over its cache lines).
    private var spent: [[JournalEvent]] = []
    private var closed = false
    private var done = false

    /// Starts a folding thread that continues from `ledger`.
    init(_ ledger: consuming RunLedger) {
        self.ledger = ledger
        batch.reserveCapacity(Self.batchSize)
        let thread = Thread { [self] in foldQueued() }
        thread.name = "gatehouse fold"
        thread.start()
    }

    /// Queues `event` (the next in the journal's order) for the folding thread.
    func hand(_ event: JournalEvent) {
        batch.append(event)
        if batch.count == Self.batchSize { enqueue() }
    }

    /// Waits for the fold of every event handed over and returns the ledger.
    func finish() -> RunLedger {
        if !batch.isEmpty { enqueue() }
        condition.lock()
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        condition.unlock()
        var result = RunLedger()
        swap(&result, &ledger)
        return result
    }

    private func enqueue() {
        condition.lock()
        while queue.count >= Self.queueLimit { condition.wait() }
        queue.append(batch)
        var folded: [[JournalEvent]] = []
        swap(&folded, &spent)
        condition.broadcast()
        condition.unlock()
        folded.removeAll()
        batch = []
        batch.reserveCapacity(Self.batchSize)
    }

    /// The folding thread: takes batches in order until the reader closes the queue.
    private func foldQueued() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            guard !queue.isEmpty else {
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let next = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            // By index: each event is read where it is, not copied out (a retain and release of
            // each of its strings) as `for event in next` would.
            for index in next.indices { ledger.apply(next[index]) }
            condition.lock()
            spent.append(next)
            condition.unlock()
        }
    }
}
