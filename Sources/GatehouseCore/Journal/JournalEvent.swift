/// One entry of the journal: an event of a run, chained to the one before it by hash.
///
/// `hash` is the SHA-256 (lower-case hex) of `hashInput`: the canonical JSON of every other
/// field, `previous_hash` included, so that editing, removing or reordering any event breaks
/// the chain from that event on.
public struct JournalEvent: Sendable, Equatable {
    /// The hash the first event chains to.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// 1, 2, 3, ... with no gaps.
    public var sequence: Int64
    /// Milliseconds since 1970-01-01 UTC, as the engine's clock read them.
    public var timeMilliseconds: Int64
    /// The run the event belongs to; empty for events of no run.
    public var runID: String
    /// What happened, such as `run.started` or `phase.completed`.
    public var kind: String
    /// Who did it: a sovereign's name, `runner`, `cli`.
    public var actor: String
    /// The event's data, in canonical JSON.
    public var payload: String
    /// The hash of the event before (``genesisHash`` for the first).
    public var previousHash: String
    /// This event's hash.
    public var hash: String

    /// Makes the event that follows `previousHash`, computing its hash.
    public init(sequence: Int64, timeMilliseconds: Int64, runID: String, kind: String, actor: String,
                payload: JSONValue, previousHash: String) {
        self.sequence = sequence
        self.timeMilliseconds = timeMilliseconds
        self.runID = runID
        self.kind = kind
        self.actor = actor
        self.payload = payload.canonical
        self.previousHash = previousHash
        hash = ""
        hash = computedHash
    }

    /// An event as stored, hash included (not recomputed: `verify` compares it).
    public init(sequence: Int64, timeMilliseconds: Int64, runID: String, kind: String, actor: String,
                payload: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.timeMilliseconds = timeMilliseconds
        self.runID = runID
        self.kind = kind
        self.actor = actor
        self.payload = payload
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The text the hash covers: the canonical JSON object of the other fields.
    ///
    /// Written field by field in canonical (byte-sorted) key order rather than through a
    /// dictionary: the same bytes, without building and sorting one per event (journal tests
    /// check it against ``JSONValue/canonical``).
    public var hashInput: String {
        String(decoding: hashInputBytes, as: UTF8.self)
    }

    /// The UTF-8 bytes of ``hashInput``, which is what the hash is taken over.
    public var hashInputBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.utf8.count + 256)
        out += #"{"actor":"#.utf8
        JSONValue.writeString(actor, to: &out)
        out += #","kind":"#.utf8
        JSONValue.writeString(kind, to: &out)
        out += #","payload":"#.utf8
        JSONValue.writeString(payload, to: &out)
        out += #","previous_hash":"#.utf8
        JSONValue.writeString(previousHash, to: &out)
        out += #","run":"#.utf8
        JSONValue.writeString(runID, to: &out)
        out += #","sequence":"#.utf8
        JSONValue.writeInteger(sequence, to: &out)
        out += #","time_ms":"#.utf8
        JSONValue.writeInteger(timeMilliseconds, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The SHA-256 of `hashInput`, in lower-case hex.
    public var computedHash: String {
        sha256Hex(bytes: hashInputBytes)
    }
}
