import Foundation

/// Reads one output pipe of a command without blocking, cutting what arrives into lines.
struct ProcessStreamReader {
    /// The pipe's read end, non-blocking.
    let descriptor: Int32
    /// False once the pipe reached its end (every writer closed it) or failed.
    private(set) var isOpen = true
    private var splitter: ShellLineSplitter
    private var chunk = [UInt8](repeating: 0, count: 16 * 1024)

    init(descriptor: Int32, stream: OutputLine.Stream) {
        self.descriptor = descriptor
        splitter = ShellLineSplitter(stream: stream, maximumBytes: ShellPhaseExecutor.maximumLineBytes)
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// Reads what is waiting, at most about `limit` bytes, and passes on the lines it completes.
    mutating func pump(upTo limit: Int, _ onLine: (OutputLine) -> Void) {
        var total = 0
        while isOpen && total < limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                let bytes = chunk[0..<count]
                splitter.append(bytes, onLine)
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

    /// Reads what is still waiting, passes on a last line without a newline, and closes the pipe.
    mutating func finish(_ onLine: (OutputLine) -> Void) {
        pump(upTo: ShellPhaseExecutor.readBurstBytes, onLine)
        splitter.finish(onLine)
        close(descriptor)
        isOpen = false
    }
}
