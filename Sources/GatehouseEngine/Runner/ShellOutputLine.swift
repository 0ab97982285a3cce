/// A line a command printed, and on which stream.
package struct OutputLine: Sendable, Equatable {
    /// The stream a line came from.
    package enum Stream: String, Sendable {
        case stdout, stderr
    }

    /// Where the command wrote it.
    package var stream: Stream
    /// The line without its line ending; invalid UTF-8 is replaced by U+FFFD.
    package var text: String

    package init(stream: Stream, text: String) {
        self.stream = stream
        self.text = text
    }
}
