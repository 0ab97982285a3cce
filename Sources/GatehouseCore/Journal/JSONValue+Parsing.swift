import Foundation

/// Reading JSON text back into a ``JSONValue``.
extension JSONValue {
    /// Why a text is not JSON this module can read.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        /// Byte offset of the problem.
        public var offset: Int
        public var message: String

        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    /// Parses JSON text: objects, arrays, strings, integers, booleans and null.
    ///
    /// Numbers with a fraction or exponent are refused: payloads carry integers only, so their
    /// canonical form is unique.
    public static func parse(_ text: String) throws(ParseError) -> JSONValue {
        try parsing(text) { parser throws(ParseError) in try parser.value(depth: 0) }
    }

    /// Runs `read` over the UTF-8 of `text`, in place (no copy of the text), and checks that
    /// nothing but white space follows what it read.
    static func parsing<Value>(_ text: String, _ read: (inout JSONParser) throws(ParseError) -> Value) throws(ParseError) -> Value {
        var text = text
        let result: Result<Value, ParseError> = text.withUTF8 { bytes in
            var parser = JSONParser(bytes: bytes)
            do throws(ParseError) {
                parser.skipSpace()
                let value = try read(&parser)
                parser.skipSpace()
                guard parser.index == parser.bytes.count else { throw parser.error("unexpected text after the value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The member `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The text when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number when this is an integer.
    public var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The truth value when this is a boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// The members when this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}

/// A reader of JSON text over its UTF-8 bytes.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    static let maximumDepth = 64

    func error(_ message: String) -> JSONValue.ParseError {
        JSONValue.ParseError(offset: index, message: message)
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONValue.ParseError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end of text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .int(try integer())
        default: throw error("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONValue.ParseError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
              word.withUTF8Buffer({ $0.elementsEqual(bytes[index..<index + count]) }) else {
            throw error("expected \(word)")
        }
        index += count
    }

    mutating func integer() throws(JSONValue.ParseError) -> Int64 {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        var magnitude: Int64 = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw error("integer out of range") }
            magnitude = sum
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw error("expected digits") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") {
            throw error("only integers are allowed")
        }
        return bytes[start] == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    mutating func string() throws(JSONValue.ParseError) -> String {
        index += 1
        // Most strings have no escape: made from their bytes in one step.
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        index = start
        // With escapes: the string's UTF-8 gathered run by run (each run between escapes copied
        // whole, each escape written as its UTF-8), then decoded once.
        var utf8: [UInt8] = []
        utf8.reserveCapacity(64)
        var runStart = index
        func flush(_ end: Int) {
            if end > runStart { utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                flush(index)
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                flush(index)
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "u"): utf8.append(contentsOf: UTF8.encode(try unicodeEscape())!)
                default: throw error("unknown escape")
                }
                runStart = index
                continue
            }
            guard byte >= 0x20 else { throw error("control character in a string") }
            index += 1
        }
        throw error("unterminated string")
    }

    mutating func hex4() throws(JSONValue.ParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("bad hex digit in \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    mutating func unicodeEscape() throws(JSONValue.ParseError) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800...0xDBFF).contains(high) {
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("unpaired surrogate")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate") }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(high) else { throw error("unpaired surrogate") }
        return scalar
    }

    mutating func array(depth: Int) throws(JSONValue.ParseError) -> JSONValue {
        index += 1
        var values: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(values) }
        while true {
            skipSpace()
            values.append(try value(depth: depth + 1))
            skipSpace()
            guard index < bytes.count else { throw error("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(values) }
            throw error("expected , or ]")
        }
    }

    mutating func object(depth: Int) throws(JSONValue.ParseError) -> JSONValue {
        var members: [String: JSONValue] = [:]
        try self.members(depth: depth) { key, value throws(DuplicateMember) in
            // One dictionary operation, not a lookup and an insert.
            guard members.updateValue(value, forKey: key) == nil else { throw .duplicate }
        } reserving: { members.reserveCapacity($0) }
        return .object(members)
    }

    /// Reads an object's members in the order written, each value by `read` (given its name),
    /// handing each to `add` (which throws ``DuplicateMember`` for a name seen before; the
    /// error is reported at that name).
    mutating func members(depth: Int,
                          reading read: (inout JSONParser, _ depth: Int, _ name: String) throws(JSONValue.ParseError) -> JSONValue = { parser, depth, _ throws(JSONValue.ParseError) in try parser.value(depth: depth) },
                          _ add: (String, JSONValue) throws(DuplicateMember) -> Void,
                          reserving reserve: (Int) -> Void) throws(JSONValue.ParseError) {
        index += 1
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
        // Room for the few members an event's payload has, so they are not grown one by one.
        reserve(6)
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let keyStart = index
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected :") }
            index += 1
            skipSpace()
            let value = try read(&self, depth + 1, key)
            do throws(DuplicateMember) {
                try add(key, value)
            } catch {
                index = keyStart
                throw self.error("duplicate member \"\(key)\"")
            }
            skipSpace()
            guard index < bytes.count else { throw error("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return }
            throw error("expected , or }")
        }
    }

    /// Reads a value, or takes `memo`'s when the text here starts with the memo's text (an
    /// array or object is self-delimiting, so the same bytes are the same, valid, value);
    /// keeps a large array or object read in full as the next memo.
    mutating func value(depth: Int, reusing memo: inout JSONValueMemo) throws(JSONValue.ParseError) -> JSONValue {
        let start = index
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") else {
            return try value(depth: depth)
        }
        let count = memo.bytes.count
        if count > 0, bytes.count - index >= count,
           memo.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress! + index, count) == 0 }) {
            index += count
            return memo.value
        }
        let value = try value(depth: depth)
        if index - start >= JSONValueMemo.minimumSize {
            memo = JSONValueMemo(bytes: Array(bytes[start..<index]), value: value)
        }
        return value
    }

    /// A member name that appeared twice in one object.
    enum DuplicateMember: Error { case duplicate }
}
