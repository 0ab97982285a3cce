/// Reading a run record's text: its members, and its events read as ``JSONMembers`` (a record
/// of 10^5 events is read by `compare` twice over; a dictionary per event would be most of it).
extension RunRecord {
    /// A record's top-level members but `events`, and each of its events' members (nil when
    /// `events` is missing or not an array of objects, which is then among the members as it
    /// was written).
    struct Document {
        var members: [String: JSONValue] = [:]
        var events: [JSONMembers]?
    }

    /// The JSON text `text` as a record's document; an event that is not an object is
    /// reported by its number.
    static func document(_ text: String) throws(JSONValue.ParseError) -> Document {
        try JSONValue.parsing(text) { parser throws(JSONValue.ParseError) in
            guard parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "{") else {
                throw parser.error("a run record is a JSON object")
            }
            var document = Document()
            var memo = JSONValueMemo()
            var seen: Set<String> = []
            var readEvents = false
            try parser.members(depth: 0, reading: { parser, depth, name throws(JSONValue.ParseError) in
                guard name == "events", !seen.contains(name), parser.bytes[parser.index] == UInt8(ascii: "["),
                      case let events? = try parser.eventObjects(depth: depth, reusing: &memo) else {
                    return try parser.value(depth: depth)
                }
                document.events = events
                readEvents = true
                return .null
            }) { name, value throws(JSONParser.DuplicateMember) in
                guard seen.insert(name).inserted else { throw .duplicate }
                if readEvents {
                    readEvents = false
                } else {
                    document.members[name] = value
                }
            } reserving: { document.members.reserveCapacity($0) }
            return document
        }
    }
}

extension JSONParser {
    /// An array of objects, each read as ``JSONMembers``, from the `[` here; nil (and nothing
    /// read) when the array's first element is not an object, so that it is read as a value.
    mutating func eventObjects(depth: Int, reusing memo: inout JSONValueMemo) throws(JSONValue.ParseError) -> [JSONMembers]? {
        let start = index
        index += 1
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            index = start
            return nil
        }
        var objects: [JSONMembers] = []
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
                throw error("event \(objects.count + 1) of the record is not an object")
            }
            objects.append(try JSONMembers.read(&self, depth: depth + 1, reusing: &memo))
            skipSpace()
            guard index < bytes.count else { throw error("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return objects }
            throw error("expected , or ]")
        }
    }
}
