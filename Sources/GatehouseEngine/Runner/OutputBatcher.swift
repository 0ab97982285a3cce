import GatehouseCore

/// Gathers what one stream of a command writes into the batches a runner journals: a batch
/// once ``maximumBytes`` have come or ``maximumDelay`` seconds after its first byte, whichever
/// is first, and a last one when the stream ends, each with the SHA-256 of the stream so far.
struct OutputBatcher {
    /// The size at which a batch is passed on at once.
    static let maximumBytes = 64 * 1024
    /// The longest a byte waits in a batch, in seconds: what a watcher's log tail lags by at most.
    static let maximumDelay = 0.05

    let phase: String
    let stream: OutputLine.Stream
    private var pending: [UInt8] = []
    /// When the first byte of the pending batch came (the executor's monotonic clock).
    private var firstByteAt: Double?
    private var digest = OutputDigest()

    init(phase: String, stream: OutputLine.Stream) {
        self.phase = phase
        self.stream = stream
    }

    /// When the pending batch is due, or nil when nothing is pending.
    var deadline: Double? { firstByteAt.map { $0 + Self.maximumDelay } }

    /// Takes bytes the stream delivered at `now`; passes on the batch if it is full.
    mutating func take(_ bytes: ArraySlice<UInt8>, at now: Double, _ emit: (OutputBatch) -> Void) {
        guard !bytes.isEmpty else { return }
        if firstByteAt == nil { firstByteAt = now }
        pending.append(contentsOf: bytes)
        if pending.count >= Self.maximumBytes { pass(isLast: false, emit) }
    }

    /// Passes on the pending batch if its first byte has waited ``maximumDelay``.
    mutating func passIfDue(at now: Double, _ emit: (OutputBatch) -> Void) {
        if let deadline, now >= deadline { pass(isLast: false, emit) }
    }

    /// Passes on what is pending as the stream's last batch (empty when the last bytes already
    /// went); a stream that wrote nothing passes on nothing.
    mutating func finish(_ emit: (OutputBatch) -> Void) {
        guard digest.count > 0 || !pending.isEmpty else { return }
        pass(isLast: true, emit)
    }

    private mutating func pass(isLast: Bool, _ emit: (OutputBatch) -> Void) {
        let offset = digest.count
        digest.add(pending)
        emit(OutputBatch(phase: phase, stream: stream.rawValue, offset: offset, bytes: pending, sha256: digest.hex, isLast: isLast))
        pending.removeAll(keepingCapacity: true)
        firstByteAt = nil
    }
}
