import Crypto
import Foundation

/// A stretch of what one stream of a phase's command wrote, journaled as one event: the bytes
/// as they came (a line may begin in one batch and end in the next), where they stand in the
/// stream, and the SHA-256 of the stream from its first byte to this batch's last.
///
/// A runner journals a batch every few tens of milliseconds or kilobytes rather than an event a
/// line, so the chain grows with time, not with lines; the digests let anyone check that the
/// batches of a stream, put end to end, are all it wrote. The last batch of a stream says so
/// (``isLast``); a stream that wrote nothing has no batch.
public struct OutputBatch: Sendable, Equatable {
    /// The phase whose command wrote it.
    public var phase: String
    /// `stdout` or `stderr`.
    public var stream: String
    /// How many bytes of the stream came before this batch (0 for its first).
    public var offset: Int
    /// The bytes, exactly as written.
    public var bytes: [UInt8]
    /// SHA-256 (lowercase hex) of the stream's bytes from its start to the end of this batch.
    public var sha256: String
    /// Whether the stream ended with this batch (the command closed it or was ended).
    public var isLast: Bool

    /// A batch as a runner journals it.
    public init(phase: String, stream: String, offset: Int, bytes: [UInt8], sha256: String, isLast: Bool) {
        self.phase = phase
        self.stream = stream
        self.offset = offset
        self.bytes = bytes
        self.sha256 = sha256
        self.isLast = isLast
    }

    /// The stream's length once this batch is added.
    public var endOffset: Int { offset + bytes.count }

    /// The batch as journaled: its bytes as `text` when they are UTF-8 (JSON escapes what must
    /// be), as `base64` when they are not, so that every byte comes back as it was.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "phase": .string(phase), "stream": .string(stream),
            "offset": .int(Int64(offset)), "sha256": .string(sha256),
        ]
        if let text = String(validating: bytes, as: UTF8.self) {
            members["text"] = .string(text)
        } else {
            members["base64"] = .string(Data(bytes).base64EncodedString())
        }
        if isLast { members["end"] = .bool(true) }
        return .object(members)
    }

    /// The batch a journaled event holds, or nil when it is not an output event or lacks what
    /// a batch needs.
    public init?(_ event: JournalEvent) {
        guard event.kind == "output", let members = try? JSONMembers.parse(event.payload) else { return nil }
        self.init(member: { members[$0] })
    }

    /// The batch a journaled payload describes, or nil when it lacks what a batch needs.
    init?(member payload: (String) -> JSONValue?) {
        guard let phase = payload("phase")?.stringValue, let stream = payload("stream")?.stringValue,
              let offset = payload("offset")?.intValue, offset >= 0,
              let sha256 = payload("sha256")?.stringValue else { return nil }
        let bytes: [UInt8]
        if let text = payload("text")?.stringValue {
            bytes = Array(text.utf8)
        } else if let encoded = payload("base64")?.stringValue, let data = Data(base64Encoded: encoded) {
            bytes = Array(data)
        } else {
            return nil
        }
        self.init(phase: phase, stream: stream, offset: Int(offset), bytes: bytes, sha256: sha256,
                  isLast: payload("end")?.boolValue ?? false)
    }
}

/// One stream of one phase's command: what a run's output batches belong to.
public struct OutputStreamID: Hashable, Sendable, Codable {
    public var phase: String
    /// `stdout` or `stderr`.
    public var stream: String

    public init(phase: String, stream: String) {
        self.phase = phase
        self.stream = stream
    }
}

/// The SHA-256 of a stream as its batches are added, as a runner computes it and
/// `gatehouse verify` checks it.
public struct OutputDigest: Sendable {
    private var hash = SHA256()
    /// The bytes added so far.
    public private(set) var count = 0

    /// A digest of nothing yet.
    public init() {}

    /// Adds the next bytes of the stream.
    public mutating func add(_ bytes: [UInt8]) {
        hash.update(data: bytes)
        count += bytes.count
    }

    /// The SHA-256 (lowercase hex) of everything added so far.
    public var hex: String {
        sha256Hex(digest: hash.finalize())
    }
}
