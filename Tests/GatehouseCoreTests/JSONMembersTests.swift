import GatehouseCore
import Testing

/// Reading a payload's members as the fold does: the same answers as parsing it whole.
struct JSONMembersTests {
    /// A plan-sized object (well over the size a memo keeps).
    private static let plan = JSONValue.object([
        "id": .string("production-cut"),
        "phases": .array((0..<8).map { .object(["id": .string("phase-\($0)"), "title": .string("Phase number \($0)"), "mutates": .bool($0 > 5)]) }),
    ])

    @Test(arguments: [
        #"{"phase":"apply","stream":"stdout","text":"unit 1 would be inserted"}"#,
        #" { "a" : [ "\/\b\f\u00e9" , -12 ] , "\u0062" : {"c":null} , "" : true } "#,
        #"{"é":"accented","K":"ascii"}"#,
        "{}",
    ])
    func everyMemberIsWhatParsingTheWholeObjectFinds(text: String) throws {
        let whole = try JSONValue.parse(text)
        let members = try JSONMembers.parse(text)
        for (name, value) in try #require(whole.objectValue) {
            #expect(members[name] == value, "\(name)")
        }
        #expect(members["missing"] == nil)
        #expect(members["phas"] == nil)
    }

    @Test func namesAreMatchedAsSwiftStringsAreEqual() throws {
        // U+00E9 and e + U+0301 are one name to Swift (and to a dictionary), as are K and U+212A
        let members = try JSONMembers.parse(#"{"\u00e9":1,"K":2}"#)
        #expect(members["e\u{301}"] == .int(1) && members["\u{212A}"] == .int(2))
        #expect { try JSONMembers.parse(#"{"é":1,"e\u0301":2}"#) } throws: { ($0 as? JSONValue.ParseError)?.message == #"duplicate member "é""# }
        #expect { try JSONValue.parse(#"{"é":1,"e\u0301":2}"#) } throws: { ($0 as? JSONValue.ParseError)?.message == #"duplicate member "é""# }
    }

    @Test(arguments: ["[1,2]", #""text""#, "7", "null"])
    func jsonThatIsNotAnObjectHasNoMembers(text: String) throws {
        #expect(try JSONMembers.parse(text)["0"] == nil)
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, 7, "duplicate member \"a\""),
        (#"{"a":1,"b":[1,]}"#, 14, "unexpected character"),
        (#"{"a":1} x"#, 8, "unexpected text after the value"),
        (#"{"a" 1}"#, 5, "expected :"),
    ])
    func badTextIsRefusedAsParsingTheWholeObjectRefusesIt(text: String, offset: Int, message: String) {
        for parse in [{ _ = try JSONValue.parse(text) }, { _ = try JSONMembers.parse(text) }] {
            #expect { try parse() } throws: { error in
                let error = error as? JSONValue.ParseError
                return error?.offset == offset && error?.message == message
            }
        }
    }

    @Test func aRepeatedPlanIsTakenFromTheMemoAndADifferentOneIsRead() throws {
        var memo = JSONValueMemo()
        let first = try JSONMembers.parse(JSONValue.object(["plan": Self.plan, "n": .int(1)]).canonical, reusing: &memo)
        #expect(first["plan"] == Self.plan)
        // The same plan in the next payload: the same value
        let second = try JSONMembers.parse(JSONValue.object(["plan": Self.plan, "n": .int(2)]).canonical, reusing: &memo)
        #expect(second["plan"] == Self.plan && second["n"] == .int(2))
        // A plan that differs by one byte: read as written, not taken from the memo
        var changed = Self.plan
        if case .object(var members) = changed {
            members["id"] = .string("production-cuT")
            changed = .object(members)
        }
        let third = try JSONMembers.parse(JSONValue.object(["plan": changed]).canonical, reusing: &memo)
        #expect(third["plan"] == changed)
    }

    @Test func textAfterAMemoizedValueIsStillChecked() throws {
        var memo = JSONValueMemo()
        _ = try JSONMembers.parse(JSONValue.object(["plan": Self.plan]).canonical, reusing: &memo)
        // The memo's bytes, then something that is not JSON
        let text = #"{"plan":"# + Self.plan.canonical + #" oops}"#
        #expect(throws: JSONValue.ParseError.self) { try JSONMembers.parse(text, reusing: &memo) }
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(text) }
    }
}
