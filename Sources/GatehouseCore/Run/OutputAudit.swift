/// What an auditor finds in a journal's command output: that each stream's batches follow one
/// another byte for byte, and that each batch's SHA-256 is that of its stream from the first
/// byte to the batch's last.
///
/// The hash chain proves that no event was edited after it was journaled; this proves that the
/// batches of a stream, put end to end, are what its runner read from the command, none missing
/// or doubled, so that the output exported or printed by `gatehouse log --output` is whole.
public struct OutputAudit: Sendable {
    /// A batch that does not fit its stream.
    public struct Problem: Sendable, Equatable {
        public var run: String
        public var sequence: Int64
        public var text: String
    }

    /// The output events checked.
    public private(set) var batches = 0
    /// The bytes they hold.
    public private(set) var bytes = 0
    /// The batches that do not fit, in journal order.
    public private(set) var problems: [Problem] = []

    private struct StreamKey: Hashable {
        var run: String
        var stream: OutputStreamID
    }

    /// The streams still open (their last batch not seen yet); nil for one found broken, whose
    /// later batches are not judged again until it starts over.
    private var open: [StreamKey: OutputDigest?] = [:]

    /// Nothing checked yet.
    public init() {}

    /// Checks the next event of the journal, in order; events other than output pass.
    public mutating func add(_ event: JournalEvent) {
        guard event.kind == "output" else { return }
        batches += 1
        guard let batch = OutputBatch(event) else {
            problem(event, "an output event without a whole batch (phase, stream, offset, sha256, text or base64)")
            return
        }
        bytes += batch.bytes.count
        let key = StreamKey(run: event.runID, stream: OutputStreamID(phase: batch.phase, stream: batch.stream))
        var digest: OutputDigest
        if batch.offset == 0 {
            digest = OutputDigest()
        } else {
            guard let known = open[key] else {
                problem(event, "\(batch.stream) of phase \(batch.phase) resumes at byte \(batch.offset), but no batch of it came before: a batch is missing")
                open[key] = .some(nil)
                return
            }
            guard let earlier = known else { return }
            guard earlier.count == batch.offset else {
                problem(event, "\(batch.stream) of phase \(batch.phase) resumes at byte \(batch.offset), but its batches so far hold \(earlier.count) bytes: a batch is missing or out of order")
                open[key] = .some(nil)
                return
            }
            digest = earlier
        }
        digest.add(batch.bytes)
        if digest.hex != batch.sha256 {
            problem(event, "\(batch.stream) of phase \(batch.phase) has SHA-256 \(digest.hex.prefix(16))… up to byte \(batch.endOffset), but the batch says \(batch.sha256.prefix(16))…: its bytes are not what the runner read")
            open[key] = .some(nil)
            return
        }
        open[key] = batch.isLast ? nil : .some(digest)
    }

    /// One line: `output: 12 batches, 786432 bytes, every stream whole`.
    public var summary: String {
        "output: \(batches) batch\(batches == 1 ? "" : "es"), \(bytes) bytes, " + (problems.isEmpty ? "every stream whole" : "\(problems.count) not whole")
    }

    private mutating func problem(_ event: JournalEvent, _ text: String) {
        problems.append(Problem(run: event.runID, sequence: event.sequence, text: text))
    }
}
