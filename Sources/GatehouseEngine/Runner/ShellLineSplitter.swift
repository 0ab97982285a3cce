import GatehouseCore

/// Cuts the bytes one stream of a command delivers into lines of that stream, as
/// ``OutputLineSplitter`` does (long lines in pieces, a `\r` before `\n` dropped, invalid
/// UTF-8 repaired), for the steps that read a command's output as lines.
struct ShellLineSplitter {
    let stream: OutputLine.Stream
    private var lines: OutputLineSplitter

    init(stream: OutputLine.Stream, maximumBytes: Int) {
        self.stream = stream
        lines = OutputLineSplitter(maximumBytes: maximumBytes)
    }

    /// Takes more bytes, passing on every line they complete.
    mutating func append(_ bytes: ArraySlice<UInt8>, _ emit: (OutputLine) -> Void) {
        lines.append(bytes) { emit(OutputLine(stream: stream, text: OutputLineSplitter.text($0))) }
    }

    /// Passes on the last line if it had no newline.
    mutating func finish(_ emit: (OutputLine) -> Void) {
        lines.finish { emit(OutputLine(stream: stream, text: OutputLineSplitter.text($0))) }
    }
}
