/// The members of a JSON object, in the order written, found by name with a linear scan.
///
/// How an event's payload is read when it is folded: a payload has a handful of members, and
/// comparing a few short names is cheaper than hashing each into a dictionary and hashing
/// again for every lookup (a replay reads every event of the journal). Nested objects are
/// ordinary ``JSONValue``s.
public struct JSONMembers: Sendable {
    private struct Member {
        var name: String
        var value: JSONValue
        /// The name's length in UTF-8 bytes, and whether they are all ASCII.
        var length: Int
        var isASCII: Bool

        init(name: String, value: JSONValue) {
            self.name = name
            self.value = value
            length = name.utf8.count
            isASCII = Self.isASCII(name)
        }

        /// Whether `text` is all ASCII, read over its bytes in place (the fold asks this of
        /// every member name, and the UTF-8 view's iterator costs far more).
        static func isASCII(_ text: String) -> Bool {
            var text = text
            return text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
        }

        /// Whether this member is called `other` (`length` and `isASCII` being its).
        ///
        /// Names are equal as Swift strings are (canonically equivalent), like a dictionary's
        /// keys; two ASCII names of different lengths are not compared at all (a payload's
        /// names mostly differ in length, and comparing two different strings is slow).
        func isNamed(_ other: String, length: Int, isASCII: Bool) -> Bool {
            if self.isASCII && isASCII && self.length != length { return false }
            return name == other
        }
    }

    private var members: [Member] = []

    /// The member called `name`, if the object has one.
    public subscript(name: String) -> JSONValue? {
        let length = name.utf8.count
        let isASCII = Member.isASCII(name)
        for index in members.indices where members[index].isNamed(name, length: length, isASCII: isASCII) {
            return members[index].value
        }
        return nil
    }

    /// The members of the JSON object `text`; no members when `text` is JSON but not an
    /// object (as a lookup in a non-object ``JSONValue`` finds nothing).
    ///
    /// - Throws: the same ``JSONValue/ParseError`` as ``JSONValue/parse(_:)`` for text that
    ///   is not JSON, a duplicate member included.
    public static func parse(_ text: String) throws(JSONValue.ParseError) -> JSONMembers {
        var memo = JSONValueMemo()
        return try parse(text, reusing: &memo)
    }

    /// The members of the JSON object `text`, taking a member's array or object from `memo`
    /// when its text is the memo's, and keeping the last large one read in `memo`.
    ///
    /// How the fold reads `run.started`: every run pins its plan in full (a kilobyte of
    /// JSON), and the runs of one programme pin the same plan.
    public static func parse(_ text: String, reusing memo: inout JSONValueMemo) throws(JSONValue.ParseError) -> JSONMembers {
        try JSONValue.parsing(text) { parser throws(JSONValue.ParseError) in
            guard parser.index < parser.bytes.count, parser.bytes[parser.index] == UInt8(ascii: "{") else {
                _ = try parser.value(depth: 0)
                return JSONMembers()
            }
            return try read(&parser, depth: 0, reusing: &memo)
        }
    }

    /// The members of the object `parser` is at (its `{`), read at `depth`.
    static func read(_ parser: inout JSONParser, depth: Int, reusing memo: inout JSONValueMemo) throws(JSONValue.ParseError) -> JSONMembers {
        var object = JSONMembers()
        try parser.members(depth: depth, reading: { parser, depth, _ throws(JSONValue.ParseError) in
            try parser.value(depth: depth, reusing: &memo)
        }) { name, value throws(JSONParser.DuplicateMember) in
            let member = Member(name: name, value: value)
            guard !object.members.contains(where: { $0.isNamed(name, length: member.length, isASCII: member.isASCII) }) else {
                throw .duplicate
            }
            object.members.append(member)
        } reserving: { object.members.reserveCapacity($0) }
        return object
    }
}

/// The last large array or object ``JSONMembers`` read as a member, with its text: the next
/// payload that repeats the text reuses the value instead of parsing it again.
public struct JSONValueMemo: Sendable, Equatable {
    /// Values shorter than this are parsed each time (comparing would save little).
    static let minimumSize = 128
    var bytes: [UInt8] = []
    var value: JSONValue = .null

    /// An empty memo.
    public init() {}

    init(bytes: [UInt8], value: JSONValue) {
        self.bytes = bytes
        self.value = value
    }

    /// Memos are a cache: any two are alike (a ledger's equality does not depend on what it
    /// happened to read last).
    public static func == (lhs: JSONValueMemo, rhs: JSONValueMemo) -> Bool { true }
}
