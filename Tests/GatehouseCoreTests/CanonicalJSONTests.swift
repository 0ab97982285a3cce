import GatehouseCore
import Testing

/// Payloads hash the same whatever order their keys were built in.
struct CanonicalJSONTests {
    @Test func keysAreSortedAndNothingIsSpaced() {
        let value = JSONValue.object(["b": .int(2), "a": .array([.bool(true), .null, .string("x")])])
        #expect(value.canonical == #"{"a":[true,null,"x"],"b":2}"#)
    }

    @Test func stringsAreEscapedMinimally() {
        #expect(JSONValue.string("a\"b\\c\n\u{1}★").canonical == "\"a\\\"b\\\\c\\n\\u0001★\"")
    }

    @Test func anEventsHashCoversEveryField() {
        let event = JournalEvent(sequence: 1, timeMilliseconds: 5, runID: "r", kind: "k", actor: "a", payload: .object([:]), previousHash: JournalEvent.genesisHash)
        #expect(event.hash.count == 64)
        var edited = event
        edited.actor = "b"
        #expect(edited.computedHash != event.hash)
        #expect(ChainVerification.verify([event]) == .intact(count: 1, head: event.hash))
    }

    @Test(arguments: ["", "plain", "with \"quotes\" and \\ slashes", "tab\tnew\nline\u{1}", "★ étoile 星", "\u{7f}\u{1f}"])
    func anEventsHashInputIsTheCanonicalObjectOfItsFields(text: String) {
        // The hash input is written field by field; it must be byte for byte the canonical
        // JSON object of the same fields, which is what older journals were hashed over.
        let event = JournalEvent(sequence: 42, timeMilliseconds: -7, runID: text, kind: "k" + text, actor: text + "a",
                                 payload: .object(["text": .string(text)]), previousHash: JournalEvent.genesisHash)
        let fields: [String: JSONValue] = [
            "sequence": .int(event.sequence), "time_ms": .int(event.timeMilliseconds), "run": .string(event.runID),
            "kind": .string(event.kind), "actor": .string(event.actor), "payload": .string(event.payload),
            "previous_hash": .string(event.previousHash),
        ]
        #expect(event.hashInput == JSONValue.object(fields).canonical)
        #expect(event.hash == sha256Hex(bytes: Array(JSONValue.object(fields).canonical.utf8)))
    }

    @Test func anEventsHashIsPinnedToItsCanonicalBytes() {
        // Worked out by an independent implementation (Python's json with sorted keys, no
        // spaces, no ASCII escaping): journals written by any version must keep verifying.
        let text = "tab\tnew\nline\u{1}\"q\\ ★ \u{7f}\r"
        let payload: JSONValue = .object(["text": .string(text), "n": .int(12), "z": .array([.bool(true), .null, .int(-3)])])
        #expect(payload.canonical == "{\"n\":12,\"text\":\"tab\\tnew\\nline\\u0001\\\"q\\\\ ★ \u{7f}\\r\",\"z\":[true,null,-3]}")
        let event = JournalEvent(sequence: 42, timeMilliseconds: -7, runID: text, kind: "k", actor: text + "a",
                                 payload: payload, previousHash: JournalEvent.genesisHash)
        #expect(event.hash == "407804a691927b096ec8351a4cf82834574a5c36bf732973a56043298c1e899c")
    }

    @Test(arguments: [
        JSONValue.object([:]), .array([]), .string(""), .int(Int64.min + 1), .int(Int64.max),
        .object(["é": .string("\u{0}\u{1f}\"\\/★🚀"), "a": .array([.object(["b": .null])]), "": .bool(false)]),
    ])
    func parsingTheCanonicalTextGivesTheValueBack(value: JSONValue) throws {
        #expect(try JSONValue.parse(value.canonical) == value)
    }

    /// A quote, backslash or control character is found wherever it is in a longer string.
    @Test(arguments: 0..<24)
    func everyPlaceOfASpecialByteInALongStringIsFound(place: Int) throws {
        let plain = Array(repeating: "x", count: 24)
        for special in ["\"", "\\", "\u{1}", "\u{1f}", "é", "\u{7f}"] {
            var characters = plain
            characters[place] = special
            let value = characters.joined()
            #expect(try JSONValue.parse(JSONValue.string(value).canonical) == .string(value), "\(special) at \(place)")
        }
        // A raw control character is refused at its own byte
        var raw = plain
        raw[place] = "\u{1}"
        #expect { try JSONValue.parse("\"" + raw.joined() + "\"") } throws: { error in
            let error = error as? JSONValue.ParseError
            return error?.offset == place + 1 && error?.message == "control character in a string"
        }
    }

    @Test func parsingReadsEveryEscapeAndSpacing() throws {
        let parsed = try JSONValue.parse(#" { "a" : [ "\/\b\f\u00e9\ud83d\ude80" , -12 ] } "#)
        #expect(parsed == .object(["a": .array([.string("/\u{8}\u{c}é🚀"), .int(-12)])]))
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, 7, "duplicate member \"a\""),
        ("1.5", 1, "only integers are allowed"),
        ("1e3", 1, "only integers are allowed"),
        (#""open"#, 5, "unterminated string"),
        ("\"a\u{1}b\"", 2, "control character in a string"),
        (#""\ud800""#, 7, "unpaired surrogate"),
        ("tru", 0, "expected true"),
        ("[1,]", 3, "unexpected character"),
        ("99999999999999999999", 18, "integer out of range"),
        ("{} x", 3, "unexpected text after the value"),
    ])
    func badTextIsRefusedAtTheByteWhereItGoesWrong(text: String, offset: Int, message: String) {
        #expect { try JSONValue.parse(text) } throws: { error in
            let error = error as? JSONValue.ParseError
            return error?.offset == offset && error?.message == message
        }
    }
}
