import Crypto
import Foundation

/// An OpenPGP public key as a sovereign pins it (RFC 4880): the armoured block
/// `gpg --armor --export FINGERPRINT` prints, read far enough to check signatures in-process.
///
/// The key that signs is the primary key, version 4, EdDSA over Ed25519 (what
/// `gpg --quick-generate-key NAME future-default` makes, and what current OpenPGP cards hold).
/// Other algorithms are refused, saying so.
public struct OpenPGPKey: Sendable, Equatable {
    /// The primary key's v4 fingerprint, 40 upper-case hex digits.
    public var fingerprint: String
    /// The Ed25519 public point.
    public var point: [UInt8]

    /// The key id: the fingerprint's last eight bytes.
    var keyID: [UInt8] {
        stride(from: 24, to: 40, by: 2).map { offset in
            let start = fingerprint.index(fingerprint.startIndex, offsetBy: offset)
            return UInt8(fingerprint[start..<fingerprint.index(start, offsetBy: 2)], radix: 16) ?? 0
        }
    }

    /// Why a key or a signature cannot be used.
    public struct Refused: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Reads an armoured public key block.
    public init(armored text: String) throws(Refused) {
        guard let bytes = Self.dearmor(text, kind: "PUBLIC KEY BLOCK") else {
            throw Refused("it is not an armoured OpenPGP public key (-----BEGIN PGP PUBLIC KEY BLOCK----- …, as `gpg --armor --export` prints it)")
        }
        var packets = OpenPGPPackets(bytes)
        guard let first = try packets.next(), first.tag == 6 else { throw Refused("its first packet is not a public key") }
        try self.init(primaryKeyPacket: first.body)
    }

    /// Reads a version 4 public-key packet's body.
    init(primaryKeyPacket body: [UInt8]) throws(Refused) {
        guard body.count > 6, body[0] == 4 else { throw Refused("its key is not an OpenPGP version 4 key") }
        let algorithm = body[5]
        guard algorithm == 22 else {
            let name = [1: "RSA", 17: "DSA", 19: "ECDSA", 27: "Ed25519 (version 6)"][Int(algorithm)] ?? "algorithm \(algorithm)"
            throw Refused("its primary key is \(name); Gatehouse checks OpenPGP signatures made by Ed25519 keys (gpg --quick-generate-key NAME future-default)")
        }
        let oidLength = Int(body[6])
        let ed25519 = [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01] as [UInt8]
        guard body.count >= 7 + oidLength, Array(body[7..<7 + oidLength]) == ed25519 else {
            throw Refused("its EdDSA key is not on Ed25519")
        }
        var reader = OpenPGPReader(Array(body[(7 + oidLength)...]))
        guard let mpi = reader.mpi(), mpi.count == 33, mpi[0] == 0x40 else { throw Refused("its Ed25519 point is malformed") }
        point = Array(mpi.dropFirst())
        var hashed = [0x99, UInt8(body.count >> 8 & 0xff), UInt8(body.count & 0xff)] as [UInt8]
        hashed += body
        fingerprint = Insecure.SHA1.hash(data: hashed).map { String(format: "%02X", $0) }.joined()
    }

    /// The binary content of an armoured block of `kind` (`PUBLIC KEY BLOCK`, `SIGNATURE`).
    static func dearmor(_ text: String, kind: String) -> [UInt8]? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: "-----BEGIN PGP \(kind)-----"),
              let end = lines.firstIndex(of: "-----END PGP \(kind)-----"), begin < end else { return nil }
        var body = Array(lines[(begin + 1)..<end])
        // Armour headers (`Comment: …`) end at the first empty line.
        if let blank = body.firstIndex(of: "") { body = Array(body[(blank + 1)...]) }
        let data = body.filter { !$0.hasPrefix("=") && !$0.isEmpty }.joined()
        return Data(base64Encoded: data).map { Array($0) }
    }
}

/// A detached OpenPGP signature (a version 4 signature packet over binary data), as
/// `gpg --detach-sign` writes it, checked against a pinned ``OpenPGPKey``.
public enum OpenPGPSignature {
    /// Checks that `signature` (a signature packet, binary) is `key`'s over `message`.
    public static func verify(_ signature: [UInt8], message: [UInt8], by key: OpenPGPKey) throws(OpenPGPKey.Refused) {
        var packets = OpenPGPPackets(signature)
        guard let packet = try packets.next(), packet.tag == 2, try packets.next() == nil else {
            throw OpenPGPKey.Refused("it is not one OpenPGP signature packet")
        }
        let body = packet.body
        guard body.count > 6, body[0] == 4 else { throw OpenPGPKey.Refused("it is not a version 4 signature") }
        guard body[1] == 0x00 else { throw OpenPGPKey.Refused("it is not a signature of binary data (class \(body[1]))") }
        guard body[2] == 22 else { throw OpenPGPKey.Refused("it is not an EdDSA signature (algorithm \(body[2]))") }
        let hashedLength = Int(body[4]) << 8 | Int(body[5])
        guard body.count >= 6 + hashedLength + 2 else { throw OpenPGPKey.Refused("its hashed subpackets are cut off") }
        let hashedPart = Array(body[0..<(6 + hashedLength)])
        var reader = OpenPGPReader(Array(body[(6 + hashedLength)...]))
        guard let unhashedLength = reader.uint16(), let unhashed = reader.bytes(Int(unhashedLength)), let left16 = reader.bytes(2),
              let r = reader.mpi(), let s = reader.mpi(), reader.atEnd, r.count <= 32, s.count <= 32 else {
            throw OpenPGPKey.Refused("it is malformed")
        }
        // The unhashed area is not covered by the signature: it may name the issuer, and only
        // as the pinned key, so that nothing in a journaled signature can change unseen.
        var subpackets = OpenPGPReader(unhashed)
        while !subpackets.atEnd {
            guard let length = subpackets.subpacketLength(), length > 0, let content = subpackets.bytes(length),
                  content[0] & 0x7F == 16, Array(content.dropFirst()) == key.keyID else {
                throw OpenPGPKey.Refused("its unhashed subpackets hold more than the pinned key's id, which the signature does not cover")
            }
        }
        var trailer = hashedPart + [0x04, 0xFF]
        let count = UInt32(hashedPart.count)
        trailer += [UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)]
        let digest: [UInt8]
        switch body[3] {
        case 8: digest = Array(SHA256.hash(data: message + trailer))
        case 10: digest = Array(SHA512.hash(data: message + trailer))
        default: throw OpenPGPKey.Refused("its hash algorithm \(body[3]) is not SHA-256 or SHA-512")
        }
        let raw = Array(repeating: 0, count: 32 - r.count) + r + Array(repeating: 0, count: 32 - s.count) + s
        guard Array(digest.prefix(2)) == left16, let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key.point),
              publicKey.isValidSignature(raw, for: digest) else {
            throw OpenPGPKey.Refused("the signature does not verify against the pinned key \(key.fingerprint)")
        }
    }
}

/// Packets one after the other (RFC 4880, section 4.2), old and new headers.
struct OpenPGPPackets {
    private var reader: OpenPGPReader

    init(_ bytes: [UInt8]) {
        reader = OpenPGPReader(bytes)
    }

    /// The next packet's tag and body; nil at the end.
    mutating func next() throws(OpenPGPKey.Refused) -> (tag: Int, body: [UInt8])? {
        guard !reader.atEnd else { return nil }
        guard let header = reader.byte(), header & 0x80 != 0 else { throw OpenPGPKey.Refused("a packet header is malformed") }
        let tag: Int
        let length: Int?
        if header & 0x40 != 0 {
            tag = Int(header & 0x3F)
            guard let first = reader.byte() else { throw OpenPGPKey.Refused("a packet is cut off") }
            switch first {
            case 0..<192: length = Int(first)
            case 192..<224: length = reader.byte().map { (Int(first) - 192) << 8 + Int($0) + 192 }
            case 255: length = reader.uint32().map(Int.init)
            default: throw OpenPGPKey.Refused("a packet of partial lengths is not accepted")
            }
        } else {
            tag = Int(header >> 2 & 0x0F)
            switch header & 0x03 {
            case 0: length = reader.byte().map(Int.init)
            case 1: length = reader.uint16().map(Int.init)
            case 2: length = reader.uint32().map(Int.init)
            default: throw OpenPGPKey.Refused("a packet of indeterminate length is not accepted")
            }
        }
        guard let length, let body = reader.bytes(length) else { throw OpenPGPKey.Refused("a packet is cut off") }
        return (tag, body)
    }
}

/// Big-endian numbers, byte runs and MPIs over bytes; nil where they run out.
struct OpenPGPReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { offset == bytes.count }

    mutating func byte() -> UInt8? {
        bytes(1)?.first
    }

    mutating func uint16() -> UInt16? {
        bytes(2).map { UInt16($0[0]) << 8 | UInt16($0[1]) }
    }

    mutating func uint32() -> UInt32? {
        bytes(4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } }
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func skip(_ count: Int) -> Bool {
        bytes(count) != nil
    }

    /// A signature subpacket's length (RFC 4880, section 5.2.3.1).
    mutating func subpacketLength() -> Int? {
        guard let first = byte() else { return nil }
        switch first {
        case 0..<192: return Int(first)
        case 192..<255: return byte().map { (Int(first) - 192) << 8 + Int($0) + 192 }
        default: return uint32().map(Int.init)
        }
    }

    /// A multiprecision integer: its bit count, then its bytes; nil unless the count is the
    /// number's own (no leading zero bits), so that one number has one encoding.
    mutating func mpi() -> [UInt8]? {
        guard let bits = uint16(), let value = bytes((Int(bits) + 7) / 8) else { return nil }
        let leading = value.first.map { $0 == 0 ? 8 : $0.leadingZeroBitCount } ?? 0
        guard value.count * 8 - leading == Int(bits) else { return nil }
        return value
    }
}
