/// A run as another host can check it without this host's journal: its events with their
/// chain hashes, the signatures inside them, and the sovereigns' public keys as the run
/// pinned them (`gatehouse export RUN --format json`, `gatehouse verify --record FILE`).
///
/// The events are every journal event from the run's first to its last, in order, those of
/// other runs in between included: so the chain between them can be walked link by link, and
/// an event of the run removed from the middle breaks it. The walk starts at the hash the
/// run's first event chains to, which the record carries as it is (``anchor``).
public struct RunRecord: Sendable, Equatable {
    /// The format's name, the record's first member.
    public static let format = "gatehouse-run-record-v1"

    /// The run's id.
    public var run: String
    /// When the record was written (milliseconds since 1970).
    public var exportedAt: Int64
    /// The kind of journal it was read from (`sqlite`, `postgresql`).
    public var journalKind: String
    /// The journal's last event when the record was written.
    public var journalHead: JournalHead
    /// The sovereigns as the run's `run.started` pinned them, repeated for a reader; checking
    /// the record compares them with the pinned ones.
    public var sovereigns: [Sovereign]
    /// The journal's events from the run's first to its last.
    public var events: [JournalEvent]

    public init(run: String, exportedAt: Int64, journalKind: String, journalHead: JournalHead, sovereigns: [Sovereign],
                events: [JournalEvent]) {
        self.run = run
        self.exportedAt = exportedAt
        self.journalKind = journalKind
        self.journalHead = journalHead
        self.sovereigns = sovereigns
        self.events = events
    }

    /// The record of run `state` from `events`, the journal's events from the run's first to its
    /// last (the caller reads that range; ``segment(of:in:)`` cuts it from a whole journal).
    public init(_ state: RunState, events: [JournalEvent], journalKind: String, journalHead: JournalHead, exportedAt: Int64) {
        self.init(run: state.id, exportedAt: exportedAt, journalKind: journalKind, journalHead: journalHead,
                  sovereigns: state.start.sovereigns, events: events)
    }

    /// The events of `journal` (in order) from run `id`'s first to its last.
    public static func segment<Events: Sequence<JournalEvent>>(of id: String, in journal: Events) -> [JournalEvent] {
        var segment: [JournalEvent] = []
        var pending: [JournalEvent] = []
        for event in journal {
            if event.runID == id {
                segment += pending
                pending.removeAll()
                segment.append(event)
            } else if !segment.isEmpty {
                pending.append(event)
            }
        }
        return segment
    }

    /// The hash the first event chains to: the one event before the record, as the record
    /// says; nothing in the record proves it.
    public var anchor: JournalHead? {
        events.first.map { JournalHead(sequence: $0.sequence - 1, hash: $0.previousHash) }
    }

    /// The events that belong to the run.
    public var runEvents: [JournalEvent] {
        events.filter { $0.runID == run }
    }

    // MARK: - Its JSON

    /// The record as a JSON document: one member a line, one event a line, so that `diff` and
    /// `grep` read it; each event's payload is the canonical text its hash covers.
    public var json: String {
        var out = "{\"format\":" + JSONValue.string(Self.format).canonical + ",\n"
        out += "\"run\":" + JSONValue.string(run).canonical + ",\n"
        out += "\"exported_at_ms\":\(exportedAt),\n"
        out += "\"journal\":" + JSONValue.object([
            "kind": .string(journalKind),
            "head": .object(["sequence": .int(journalHead.sequence), "hash": .string(journalHead.hash)]),
        ]).canonical + ",\n"
        out += "\"sovereigns\":" + JSONValue.array(sovereigns.map(\.json)).canonical + ",\n"
        out += "\"events\":["
        for (index, event) in events.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += Self.json(of: event).canonical
        }
        out += "\n]}\n"
        return Self.escapingTerminalControls(out)
    }

    /// `json` with DEL and the C1 controls (which JSON may leave raw, and some terminals act
    /// on) written as `\u` escapes: inside strings, where alone they can be, they read back
    /// the same, and `cat` of the file moves no cursor.
    static func escapingTerminalControls(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: isTerminalControl) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            guard isTerminalControl(scalar) else { out.append(scalar); continue }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
        }
        return String(out)
    }

    private static func isTerminalControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
    }

    static func json(of event: JournalEvent) -> JSONValue {
        .object([
            "sequence": .int(event.sequence), "time_ms": .int(event.timeMilliseconds), "run": .string(event.runID),
            "kind": .string(event.kind), "actor": .string(event.actor), "payload": .string(event.payload),
            "previous_hash": .string(event.previousHash), "hash": .string(event.hash),
        ])
    }

    /// Why a text is not a run record, where and what was expected.
    public struct ReadError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }

        public init(message: String) {
            self.message = message
        }
    }

    /// Reads a record's JSON text: its shape only (``RunRecordCheck`` checks what it says).
    public init(json text: String) throws(ReadError) {
        let document: Document
        do {
            document = try Self.document(text)
        } catch {
            throw ReadError(message: "not a run record: \(error)")
        }
        let value = document.members
        guard let format = value["format"]?.stringValue else {
            throw ReadError(message: "not a run record: no \"format\" member (expected \"\(Self.format)\")")
        }
        guard format == Self.format else {
            throw ReadError(message: "a record of format \"\(format)\"; this gatehouse reads \"\(Self.format)\"")
        }
        func member<T>(_ name: String, _ read: (JSONValue) -> T?, _ expected: String) throws(ReadError) -> T {
            guard let raw = value[name], let read = read(raw) else {
                throw ReadError(message: "the record's \"\(name)\" is missing or not \(expected)")
            }
            return read
        }
        let run = try member("run", \.stringValue, "a string")
        let exportedAt = try member("exported_at_ms", \.intValue, "an integer")
        let journal = try member("journal", \.objectValue, "an object")
        guard let kind = journal["kind"]?.stringValue, let head = journal["head"],
              let headSequence = head["sequence"]?.intValue, let headHash = head["hash"]?.stringValue else {
            throw ReadError(message: "the record's \"journal\" needs \"kind\" and \"head\": {\"sequence\", \"hash\"}")
        }
        let pinned = try member("sovereigns", \.arrayValue, "an array")
        let sovereigns = pinned.compactMap(Sovereign.init(json:))
        guard sovereigns.count == pinned.count else {
            throw ReadError(message: "the record's sovereign \(sovereigns.count + 1) is not a sovereign (name, provider, key, gates)")
        }
        guard let items = document.events ?? (value["events"]?.arrayValue == [] ? [] : nil) else {
            throw ReadError(message: "the record's \"events\" is missing or not an array of events")
        }
        var events: [JournalEvent] = []
        events.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let sequence = item["sequence"]?.intValue, let time = item["time_ms"]?.intValue,
                  let runID = item["run"]?.stringValue, let kind = item["kind"]?.stringValue,
                  let actor = item["actor"]?.stringValue, let payload = item["payload"]?.stringValue,
                  let previous = item["previous_hash"]?.stringValue, let hash = item["hash"]?.stringValue else {
                throw ReadError(message: "the record's event \(index + 1) lacks a field (sequence, time_ms, run, kind, actor, payload, previous_hash, hash) or has one of the wrong type")
            }
            events.append(JournalEvent(sequence: sequence, timeMilliseconds: time, runID: runID, kind: kind, actor: actor,
                                       payload: payload, previousHash: previous, hash: hash))
        }
        self.init(run: run, exportedAt: exportedAt, journalKind: kind, journalHead: JournalHead(sequence: headSequence, hash: headHash),
                  sovereigns: sovereigns, events: events)
    }
}
