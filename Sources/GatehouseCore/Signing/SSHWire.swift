/// The SSH wire encoding (RFC 4251, section 5) of the few types keys and signatures use:
/// `byte`, `uint32`, `string` (a length, then bytes) and `mpint`.
public struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Why bytes do not read as what they should be.
    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Whether every byte has been read.
    public var atEnd: Bool { offset == bytes.count }

    public mutating func byte() throws(Malformed) -> UInt8 {
        guard offset < bytes.count else { throw Malformed(description: "it ends where a byte was expected") }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func uint32() throws(Malformed) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw Malformed(description: "it ends where a 32-bit number was expected") }
        defer { offset += 4 }
        return bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    public mutating func raw(_ count: Int) throws(Malformed) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else {
            throw Malformed(description: "it ends inside a field of \(count) bytes")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    public mutating func string() throws(Malformed) -> [UInt8] {
        let count = try uint32()
        guard count <= UInt32(bytes.count - offset) else { throw Malformed(description: "a field claims \(count) bytes but fewer follow") }
        return try raw(Int(count))
    }

    /// A string that must be UTF-8 text.
    public mutating func text() throws(Malformed) -> String {
        let field = try string()
        guard let text = String(validating: field, as: UTF8.self) else { throw Malformed(description: "a name is not UTF-8 text") }
        return text
    }

    /// An unsigned `mpint` as exactly `width` big-endian bytes (a P-256 scalar is 32).
    public mutating func unsignedInteger(width: Int) throws(Malformed) -> [UInt8] {
        var magnitude = try string()
        if magnitude.first.map({ $0 & 0x80 != 0 }) == true { throw Malformed(description: "a signature's number is negative") }
        while magnitude.first == 0 { magnitude.removeFirst() }
        guard magnitude.count <= width else { throw Malformed(description: "a signature's number is longer than \(width) bytes") }
        return Array(repeating: 0, count: width - magnitude.count) + magnitude
    }
}

/// Builds bytes in the SSH wire encoding.
public struct SSHWireWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func uint32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    public mutating func raw(_ value: [UInt8]) {
        bytes += value
    }

    public mutating func string(_ value: [UInt8]) {
        uint32(UInt32(value.count))
        bytes += value
    }

    public mutating func string(_ value: String) {
        string(Array(value.utf8))
    }

    /// An unsigned big-endian number as an `mpint`: no leading zeros, one zero before a high bit.
    public mutating func unsignedInteger(_ magnitude: [UInt8]) {
        let trimmed = Array(magnitude.drop { $0 == 0 })
        string(trimmed.first.map { $0 & 0x80 != 0 } == true ? [0] + trimmed : trimmed)
    }
}
