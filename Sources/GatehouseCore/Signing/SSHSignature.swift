import Crypto
import Foundation

/// A signature in OpenSSH's SSHSIG format (PROTOCOL.sshsig), what `ssh-keygen -Y sign` makes
/// and `ssh-keygen -Y verify` checks; security-key signatures as PROTOCOL.u2f lays them out.
///
/// What a key signs is not the message but ``signedData(namespace:message:hashAlgorithm:)``:
/// a preamble, the namespace and a hash of the message, so that a signature made for one
/// purpose (another namespace) never verifies for another.
public struct SSHSignature: Sendable, Equatable {
    /// The key that made it, as the signature names it.
    public var publicKey: [UInt8]
    public var namespace: String
    /// `sha512` or `sha256`: the hash of the message that was signed.
    public var hashAlgorithm: String
    /// The SSH signature: its type, its bytes, and for a security key the flags and counter after.
    public var signature: [UInt8]

    static let magic = Array("SSHSIG".utf8)
    static let version: UInt32 = 1
    /// The flag a security key sets when a person touched it (SSH_SK_USER_PRESENCE_REQD).
    public static let userPresent: UInt8 = 0x01

    public init(publicKey: [UInt8], namespace: String, hashAlgorithm: String, signature: [UInt8]) {
        self.publicKey = publicKey
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.signature = signature
    }

    /// Why a signature does not hold.
    public struct Refused: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    // MARK: - Encoding

    /// The bytes a key signs for `message` in `namespace`.
    public static func signedData(namespace: String, message: [UInt8], hashAlgorithm: String = "sha512") -> [UInt8] {
        var writer = SSHWireWriter()
        writer.raw(magic)
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(hashAlgorithm)
        writer.string(hash(message, hashAlgorithm) ?? [])
        return writer.bytes
    }

    /// The signature's binary form (before armour).
    public var blob: [UInt8] {
        var writer = SSHWireWriter()
        writer.raw(Self.magic)
        writer.uint32(Self.version)
        writer.string(publicKey)
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(hashAlgorithm)
        writer.string(signature)
        return writer.bytes
    }

    /// Reads the binary form.
    public init(blob: [UInt8]) throws(Refused) {
        var reader = SSHWireReader(blob)
        do {
            guard try reader.raw(6) == Self.magic else { throw Refused("it is not an SSH signature (no SSHSIG preamble)") }
            let version = try reader.uint32()
            guard version == Self.version else { throw Refused("its SSHSIG version is \(version), not \(Self.version)") }
            publicKey = try reader.string()
            namespace = try reader.text()
            _ = try reader.string()
            hashAlgorithm = try reader.text()
            signature = try reader.string()
            guard reader.atEnd else { throw Refused("it has bytes after its end") }
        } catch let refused as Refused {
            throw refused
        } catch {
            throw Refused("it is malformed: \(error)")
        }
    }

    /// The armoured text `ssh-keygen -Y` reads and writes.
    public var armored: String {
        let body = Data(blob).base64EncodedString()
        var lines: [Substring] = []
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(rest.prefix(70))
            rest = rest.dropFirst(70)
        }
        return "-----BEGIN SSH SIGNATURE-----\n" + lines.joined(separator: "\n") + "\n-----END SSH SIGNATURE-----\n"
    }

    /// Reads the armoured text.
    public init(armored text: String) throws(Refused) {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.first == "-----BEGIN SSH SIGNATURE-----", lines.last == "-----END SSH SIGNATURE-----",
              let data = Data(base64Encoded: lines.dropFirst().dropLast().joined()) else {
            throw Refused("it is not an armoured SSH signature (-----BEGIN SSH SIGNATURE----- …)")
        }
        try self.init(blob: Array(data))
    }

    // MARK: - Verifying

    /// Checks that `key` signed `message` in `namespace`; a security key's signature must also
    /// say that a person touched it.
    public func verify(message: [UInt8], namespace expected: String, by key: SSHPublicKey) throws(Refused) {
        guard namespace == expected else {
            throw Refused("it was made for the namespace '\(namespace)', not '\(expected)'")
        }
        guard publicKey == key.blob else {
            let named = (try? SSHPublicKey(blob: publicKey))?.fingerprint ?? "an unreadable key"
            throw Refused("it was made by \(named), not the pinned key \(key.fingerprint)")
        }
        guard Self.hash(message, hashAlgorithm) != nil else {
            throw Refused("its hash algorithm '\(hashAlgorithm)' is not sha256 or sha512")
        }
        let data = Self.signedData(namespace: namespace, message: message, hashAlgorithm: hashAlgorithm)
        var reader = SSHWireReader(signature)
        do {
            let type = try reader.text()
            guard type == key.typeName else { throw Refused("its signature is of type \(type) but the key is a \(key.typeName)") }
            switch key.key {
            case .ed25519(let point):
                try Self.ed25519(try reader.string(), over: data, point)
            case .ecdsaP256(let point):
                try Self.p256(try reader.string(), over: data, point)
            case .securityKeyEd25519(let point, let application):
                let bytes = try reader.string()
                try Self.ed25519(bytes, over: try Self.authenticated(&reader, application, data), point)
            case .securityKeyECDSAP256(let point, let application):
                let bytes = try reader.string()
                try Self.p256(bytes, over: try Self.authenticated(&reader, application, data), point)
            }
            guard reader.atEnd else { throw Refused("its signature has bytes after its end") }
        } catch let refused as Refused {
            throw refused
        } catch {
            throw Refused("its signature is malformed: \(error)")
        }
    }

    /// What a security key signed (PROTOCOL.u2f): the application's and the data's SHA-256
    /// around the flags and counter it reports, read after the signature; refused unless a
    /// person touched it.
    private static func authenticated(_ reader: inout SSHWireReader, _ application: String, _ data: [UInt8]) throws -> [UInt8] {
        let flags = try reader.byte()
        let counter = try reader.uint32()
        guard flags & userPresent != 0 else {
            throw Refused("the security key did not confirm that a person touched it (flags \(String(flags, radix: 16)))")
        }
        return securityKeySigned(application: application, flags: flags, counter: counter, data: data)
    }

    /// The bytes a FIDO authenticator signs for `data` (PROTOCOL.u2f): SHA-256 of the
    /// application, the flags, the counter, SHA-256 of the data.
    public static func securityKeySigned(application: String, flags: UInt8, counter: UInt32, data: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.raw(Array(SHA256.hash(data: Array(application.utf8))))
        writer.byte(flags)
        writer.uint32(counter)
        writer.raw(Array(SHA256.hash(data: data)))
        return writer.bytes
    }

    private static func ed25519(_ signature: [UInt8], over data: [UInt8], _ point: [UInt8]) throws {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: point), signature.count == 64,
              key.isValidSignature(signature, for: data) else {
            throw Refused("the ed25519 signature does not verify against the pinned key")
        }
    }

    private static func p256(_ signature: [UInt8], over data: [UInt8], _ point: [UInt8]) throws {
        var numbers = SSHWireReader(signature)
        let r = try numbers.unsignedInteger(width: 32)
        let s = try numbers.unsignedInteger(width: 32)
        guard numbers.atEnd, let key = try? P256.Signing.PublicKey(x963Representation: point),
              let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: r + s),
              key.isValidSignature(parsed, for: data) else {
            throw Refused("the ECDSA P-256 signature does not verify against the pinned key")
        }
    }

    private static func hash(_ message: [UInt8], _ algorithm: String) -> [UInt8]? {
        switch algorithm {
        case "sha512": Array(SHA512.hash(data: message))
        case "sha256": Array(SHA256.hash(data: message))
        default: nil
        }
    }
}
