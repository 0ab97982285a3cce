/// Cuts the bytes one stream of a command delivers into lines.
///
/// A line ends at `\n` (a `\r` before it is dropped); a last line without a newline is passed
/// on at the end; a line longer than `maximumBytes` is passed on in pieces of at most that
/// many bytes, cut between characters where the bytes are UTF-8. Invalid UTF-8 is repaired.
struct ShellLineSplitter {
    let stream: OutputLine.Stream
    let maximumBytes: Int
    /// The bytes of the line not yet ended.
    private var pending: [UInt8] = []

    init(stream: OutputLine.Stream, maximumBytes: Int) {
        precondition(maximumBytes >= 4, "a line piece must hold at least one UTF-8 character")
        self.stream = stream
        self.maximumBytes = maximumBytes
    }

    /// Takes more bytes, passing on every line they complete.
    mutating func append(_ bytes: ArraySlice<UInt8>, _ emit: (OutputLine) -> Void) {
        var rest = bytes
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            pending.append(contentsOf: rest[..<newline])
            rest = rest[rest.index(after: newline)...]
            if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
            emitPieces(of: pending, emit)
            pending.removeAll(keepingCapacity: true)
        }
        pending.append(contentsOf: rest)
        // Pass on whole pieces of an overlong line now; keep a lone `\r` that a `\n` may follow.
        var start = 0
        while pending.count - start > maximumBytes,
              !(pending.count - start == maximumBytes + 1 && pending.last == UInt8(ascii: "\r")) {
            let end = cut(pending, from: start)
            emit(line(pending[start..<end]))
            start = end
        }
        if start > 0 { pending.removeFirst(start) }
    }

    /// Passes on the last line if it had no newline.
    mutating func finish(_ emit: (OutputLine) -> Void) {
        guard !pending.isEmpty else { return }
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        emitPieces(of: pending, emit)
        pending.removeAll()
    }

    /// An ended line, in pieces if it is too long; an empty line is passed on as one.
    private func emitPieces(of bytes: [UInt8], _ emit: (OutputLine) -> Void) {
        var start = 0
        repeat {
            let end = bytes.count - start > maximumBytes ? cut(bytes, from: start) : bytes.count
            emit(line(bytes[start..<end]))
            start = end
        } while start < bytes.count
    }

    /// Where a piece starting at `start` ends: `maximumBytes` on, moved back so that it does not
    /// split a UTF-8 sequence (unless the bytes there are not UTF-8 anyway).
    private func cut(_ bytes: [UInt8], from start: Int) -> Int {
        let limit = start + maximumBytes
        var end = limit
        while end > limit - 3, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return bytes[end] & 0xC0 == 0x80 || end == start ? limit : end
    }

    private func line(_ bytes: ArraySlice<UInt8>) -> OutputLine {
        OutputLine(stream: stream, text: String(decoding: bytes, as: UTF8.self))
    }
}
