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
}
