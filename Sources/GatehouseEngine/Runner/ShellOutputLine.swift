/// A line a command printed, and on which stream.
public struct OutputLine: Sendable, Equatable {
    /// The stream a line came from.
    public enum Stream: String, Sendable {
        case stdout, stderr
    }

    /// Where the command wrote it.
    public var stream: Stream
    /// The line without its line ending; invalid UTF-8 is replaced by U+FFFD.
    public var text: String

    public init(stream: Stream, text: String) {
        self.stream = stream
        self.text = text
    }
}
