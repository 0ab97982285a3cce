import Foundation
import GatehouseCore

/// Reads one output pipe of a command without blocking, gathering what arrives into batches.
struct ProcessStreamReader {
    /// The pipe's read end, non-blocking.
    let descriptor: Int32
    /// False once the pipe reached its end (every writer closed it) or failed.
    private(set) var isOpen = true
    private var batcher: OutputBatcher
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(descriptor: Int32, phase: String, stream: OutputLine.Stream) {
        self.descriptor = descriptor
        batcher = OutputBatcher(phase: phase, stream: stream)
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// When the batch being gathered is due, or nil when none is.
    var deadline: Double? { batcher.deadline }

    /// Reads what is waiting, at most about `limit` bytes, and passes on the batches it fills.
    mutating func pump(upTo limit: Int, _ emit: (OutputBatch) -> Void) {
        var total = 0
        while isOpen && total < limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                batcher.take(chunk[0..<count], at: ShellPhaseExecutor.now(), emit)
                total += count
            } else if count == 0 {
                isOpen = false
            } else if errno == EINTR {
                continue
            } else {
                if errno != EAGAIN && errno != EWOULDBLOCK { isOpen = false }
                return
            }
        }
    }

    /// Passes on the batch being gathered if it has waited long enough.
    mutating func passIfDue(at now: Double, _ emit: (OutputBatch) -> Void) {
        batcher.passIfDue(at: now, emit)
    }

    /// Reads what is still waiting, passes on the stream's last batch, and closes the pipe.
    mutating func finish(_ emit: (OutputBatch) -> Void) {
        pump(upTo: ShellPhaseExecutor.readBurstBytes, emit)
        batcher.finish(emit)
        close(descriptor)
        isOpen = false
    }
}
