/// One 512-byte POSIX ustar header: how a package file lays out its entries, so that `tar tf`
/// lists a package and `tar xf` unpacks it for a reviewer.
///
/// Only what a package needs: regular files, names up to 255 bytes (split into prefix and
/// name), sizes up to 8 GiB, modification time 0 (the same inputs give the same bytes).
public struct TarHeader: Sendable, Equatable {
    /// The block size of the format.
    public static let blockSize = 512

    public var name: String
    public var size: Int64
    /// Permission bits, such as `0o755`.
    public var mode: Int

    public init(name: String, size: Int64, mode: Int) {
        self.name = name
        self.size = size
        self.mode = mode
    }

    /// The 512 bytes of the header.
    /// - Throws: ``PackageError/malformed(_:)`` for a name that does not fit.
    public func encoded() throws(PackageError) -> [UInt8] {
        let (prefix, rest) = try Self.split(name)
        guard size >= 0, size < 0o77777777777 else { throw .malformed("\(name) is too large for a package entry (\(size) bytes)") }
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        Self.put(Array(rest.utf8), at: 0, width: 100, in: &block)
        Self.put(Self.octal(Int64(mode), width: 8), at: 100, width: 8, in: &block)
        Self.put(Self.octal(0, width: 8), at: 108, width: 8, in: &block)
        Self.put(Self.octal(0, width: 8), at: 116, width: 8, in: &block)
        Self.put(Self.octal(size, width: 12), at: 124, width: 12, in: &block)
        Self.put(Self.octal(0, width: 12), at: 136, width: 12, in: &block)
        block[156] = UInt8(ascii: "0")
        Self.put(Array("ustar\u{0}00".utf8), at: 257, width: 8, in: &block)
        Self.put(Array("gatehouse".utf8), at: 265, width: 32, in: &block)
        Self.put(Array("gatehouse".utf8), at: 297, width: 32, in: &block)
        Self.put(Array(prefix.utf8), at: 345, width: 155, in: &block)
        let sum = Self.checksum(block)
        Self.put(Self.octal(Int64(sum), width: 7) + [UInt8(ascii: " ")], at: 148, width: 8, in: &block)
        return block
    }

    /// The header a block holds; nil for a block of zeros (the end of the archive).
    /// - Throws: ``PackageError/malformed(_:)`` for a block that is not a ustar header of a
    ///   regular file, naming the byte offset `at`.
    public static func decode(_ block: ArraySlice<UInt8>, at offset: Int64) throws(PackageError) -> TarHeader? {
        let bytes = Array(block)
        guard bytes.count == blockSize else { throw .malformed("the archive ends inside a header at byte \(offset)") }
        if bytes.allSatisfy({ $0 == 0 }) { return nil }
        guard Array(bytes[257..<262]) == Array("ustar".utf8) else {
            throw .malformed("the header at byte \(offset) is not a ustar header")
        }
        guard let stated = number(bytes[148..<156]), stated == Int64(checksum(bytes)) else {
            throw .malformed("the header at byte \(offset) fails its checksum")
        }
        guard bytes[156] == UInt8(ascii: "0") || bytes[156] == 0 else {
            throw .malformed("the entry at byte \(offset) is not a regular file (type '\(Character(Unicode.Scalar(bytes[156])))')")
        }
        guard let size = number(bytes[124..<136]), let mode = number(bytes[100..<108]) else {
            throw .malformed("the header at byte \(offset) has an unreadable size or mode")
        }
        let name = string(bytes[0..<100])
        let prefix = string(bytes[345..<500])
        return TarHeader(name: prefix.isEmpty ? name : prefix + "/" + name, size: size, mode: Int(mode))
    }

    /// Bytes of zeros after `size` bytes of data, to the next block.
    public static func padding(after size: Int64) -> Int {
        let rest = Int(size % Int64(blockSize))
        return rest == 0 ? 0 : blockSize - rest
    }

    // MARK: - Fields

    private static func split(_ name: String) throws(PackageError) -> (prefix: String, name: String) {
        let bytes = Array(name.utf8)
        if bytes.count <= 100 { return ("", name) }
        guard bytes.count <= 256 else { throw .malformed("the path \(name) is longer than 255 bytes") }
        for index in bytes.indices.reversed() where bytes[index] == UInt8(ascii: "/") {
            if index <= 155 && bytes.count - index - 1 <= 100 {
                return (String(decoding: bytes[..<index], as: UTF8.self), String(decoding: bytes[(index + 1)...], as: UTF8.self))
            }
        }
        throw .malformed("the path \(name) cannot be split into a ustar prefix and name")
    }

    private static func put(_ bytes: [UInt8], at offset: Int, width: Int, in block: inout [UInt8]) {
        for (index, byte) in bytes.prefix(width).enumerated() { block[offset + index] = byte }
    }

    /// `value` in octal, zero-padded to `width - 1` digits and a NUL.
    private static func octal(_ value: Int64, width: Int) -> [UInt8] {
        let digits = String(value, radix: 8)
        return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
    }

    private static func checksum(_ block: [UInt8]) -> Int {
        block.enumerated().reduce(0) { sum, item in sum + ((148..<156).contains(item.offset) ? 32 : Int(item.element)) }
    }

    private static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        let digits = field.filter { $0 != 0 && $0 != UInt8(ascii: " ") }
        guard !digits.isEmpty else { return 0 }
        return Int64(String(decoding: digits, as: UTF8.self), radix: 8)
    }

    private static func string(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }
}
