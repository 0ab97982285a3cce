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
}
