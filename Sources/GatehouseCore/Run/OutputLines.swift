/// The lines a run's output batches make, each stream's lines ended across its batches: a
/// line a batch leaves open is ended by a later batch of the same stream, or by its last.
public struct OutputLines: Sendable, Equatable, Codable {
    /// The line each stream is in the middle of (at most a line's cut of it).
    public private(set) var unfinished: [OutputStreamID: OutputLineSplitter] = [:]

    /// No stream begun.
    public init() {}

    /// Passes on every line `batch` ends, in order (a stream starting again, as a phase run
    /// again after a resume does, drops the half line its earlier run left).
    public mutating func add(_ batch: OutputBatch, _ emit: (ArraySlice<UInt8>) -> Void) {
        let id = OutputStreamID(phase: batch.phase, stream: batch.stream)
        var splitter = (batch.offset > 0 ? unfinished.removeValue(forKey: id) : nil) ?? OutputLineSplitter()
        splitter.append(batch.bytes[...], emit)
        if batch.isLast { splitter.finish(emit) }
        unfinished[id] = batch.isLast ? nil : splitter
    }
}
