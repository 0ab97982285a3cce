/// Cuts the bytes one stream of a command wrote into the lines a person reads.
///
/// A line ends at `\n` (a `\r` before it is dropped); a line longer than `maximumBytes` is
/// passed on in pieces of at most that many bytes, cut between characters where the bytes are
/// UTF-8. What follows the last newline waits for more bytes, or for ``finish(_:)``. Only that
/// unfinished line is kept, and never more than `maximumBytes` of it, so the memory a stream
/// costs does not grow with its output.
public struct OutputLineSplitter: Sendable, Equatable, Codable {
    /// Longest line passed on whole; a longer one is passed on in pieces of at most this many bytes.
    public static let maximumLineBytes = 4096

    /// The most bytes a line (or a piece of one) holds.
    public let maximumBytes: Int
    /// The bytes of the line not yet ended.
    public private(set) var pending: [UInt8] = []

    /// A splitter passing on lines of at most `maximumBytes` bytes (at least 4: one UTF-8 character).
    public init(maximumBytes: Int = Self.maximumLineBytes) {
        precondition(maximumBytes >= 4, "a line piece must hold at least one UTF-8 character")
        self.maximumBytes = maximumBytes
    }

    /// Takes more bytes, passing on every line (or piece of an overlong line) they complete.
    public mutating func append(_ bytes: ArraySlice<UInt8>, _ emit: (ArraySlice<UInt8>) -> Void) {
        var rest = bytes
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            if pending.isEmpty {
                // Most lines arrive whole: passed on as a slice of what came, not copied.
                emitPieces(of: Self.droppingReturn(rest[..<newline]), emit)
            } else {
                pending.append(contentsOf: rest[..<newline])
                emitPieces(of: Self.droppingReturn(pending[...]), emit)
                pending.removeAll(keepingCapacity: true)
            }
            rest = rest[rest.index(after: newline)...]
        }
        pending.append(contentsOf: rest)
        // Pass on whole pieces of an overlong line now; keep a lone `\r` that a `\n` may follow.
        var start = 0
        while pending.count - start > maximumBytes,
              !(pending.count - start == maximumBytes + 1 && pending.last == UInt8(ascii: "\r")) {
            let end = cut(pending[...], from: start)
            emit(pending[start..<end])
            start = end
        }
        if start > 0 { pending.removeFirst(start) }
    }

    /// Passes on the last line if it had no newline, and forgets it.
    public mutating func finish(_ emit: (ArraySlice<UInt8>) -> Void) {
        guard !pending.isEmpty else { return }
        emitPieces(of: Self.droppingReturn(pending[...]), emit)
        pending.removeAll()
    }

    /// The text of a line as a person reads it: invalid UTF-8 replaced by U+FFFD.
    public static func text(_ line: ArraySlice<UInt8>) -> String {
        String(decoding: line, as: UTF8.self)
    }

    private static func droppingReturn(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.last == UInt8(ascii: "\r") ? line.dropLast() : line
    }

    /// An ended line, in pieces if it is too long; an empty line is passed on as one.
    private func emitPieces(of bytes: ArraySlice<UInt8>, _ emit: (ArraySlice<UInt8>) -> Void) {
        var start = bytes.startIndex
        repeat {
            let end = bytes.endIndex - start > maximumBytes ? cut(bytes, from: start) : bytes.endIndex
            emit(bytes[start..<end])
            start = end
        } while start < bytes.endIndex
    }

    /// Where a piece starting at `start` ends: `maximumBytes` on, moved back so that it does not
    /// split a UTF-8 sequence (unless the bytes there are not UTF-8 anyway).
    private func cut(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int {
        let limit = start + maximumBytes
        var end = limit
        while end > limit - 3, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return bytes[end] & 0xC0 == 0x80 || end == start ? limit : end
    }
}
