import Crypto
import Foundation

/// An OpenSSH public key as a sovereign pins it: the line `ssh-keygen` writes to a `.pub`
/// file (`ssh-ed25519 AAAA… alice@laptop`).
///
/// Four types are accepted: `ssh-ed25519`, `ecdsa-sha2-nistp256`, and the security-key types
/// `sk-ssh-ed25519@openssh.com` and `sk-ecdsa-sha2-nistp256@openssh.com`, whose signatures
/// are made by a FIDO authenticator over an application string (`ssh:` unless chosen).
public struct SSHPublicKey: Sendable, Equatable {
    /// The key's algorithm and its public part.
    public enum Key: Sendable, Equatable {
        case ed25519([UInt8])
        case ecdsaP256([UInt8])
        case securityKeyEd25519([UInt8], application: String)
        case securityKeyECDSAP256([UInt8], application: String)
    }

    public var key: Key
    /// The key's wire encoding (what an agent and an SSHSIG signature name it by).
    public var blob: [UInt8]
    /// The line's comment, if any (not part of the key).
    public var comment: String

    /// The key types a sovereign may pin.
    public static let types = ["ssh-ed25519", "ecdsa-sha2-nistp256", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"]

    /// Why a line is not a key Gatehouse accepts.
    public struct Refused: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads a public key line: type, base64 blob, optional comment.
    public init(line: String) throws(Refused) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count >= 2 else {
            throw Refused(description: "it is not an OpenSSH public key line (TYPE BASE64 [COMMENT], as in the key's .pub file)")
        }
        guard Self.types.contains(fields[0]) else {
            throw Refused(description: "its type \(fields[0]) is not accepted; use one of \(Self.types.joined(separator: ", "))")
        }
        guard let data = Data(base64Encoded: fields[1]) else { throw Refused(description: "its key is not base64") }
        try self.init(blob: Array(data), comment: fields.dropFirst(2).joined(separator: " "))
        guard typeName == fields[0] else {
            throw Refused(description: "the line says \(fields[0]) but its key is a \(typeName)")
        }
    }

    /// Reads a key's wire encoding.
    public init(blob: [UInt8], comment: String = "") throws(Refused) {
        var reader = SSHWireReader(blob)
        do {
            let type = try reader.text()
            switch type {
            case "ssh-ed25519":
                key = .ed25519(try Self.ed25519(&reader))
            case "ecdsa-sha2-nistp256":
                key = .ecdsaP256(try Self.p256(&reader))
            case "sk-ssh-ed25519@openssh.com":
                let point = try Self.ed25519(&reader)
                key = .securityKeyEd25519(point, application: try Self.application(&reader))
            case "sk-ecdsa-sha2-nistp256@openssh.com":
                let point = try Self.p256(&reader)
                key = .securityKeyECDSAP256(point, application: try Self.application(&reader))
            default:
                throw Refused(description: "its type \(type) is not accepted; use one of \(Self.types.joined(separator: ", "))")
            }
            guard reader.atEnd else { throw Refused(description: "its key has bytes after its end") }
        } catch let malformed as SSHWireReader.Malformed {
            throw Refused(description: "its key is malformed: \(malformed)")
        } catch let refused as Refused {
            throw refused
        } catch {
            throw Refused(description: "its key is malformed: \(error)")
        }
        self.blob = blob
        self.comment = comment
    }

    private static func ed25519(_ reader: inout SSHWireReader) throws -> [UInt8] {
        let point = try reader.string()
        guard point.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: point)) != nil else {
            throw Refused(description: "its ed25519 key is not 32 bytes of a point")
        }
        return point
    }

    private static func p256(_ reader: inout SSHWireReader) throws -> [UInt8] {
        guard try reader.text() == "nistp256" else { throw Refused(description: "its curve is not nistp256") }
        let point = try reader.string()
        guard (try? P256.Signing.PublicKey(x963Representation: point)) != nil else {
            throw Refused(description: "its P-256 key is not a point on the curve")
        }
        return point
    }

    private static func application(_ reader: inout SSHWireReader) throws -> String {
        let application = try reader.text()
        guard application.hasPrefix("ssh:") else {
            throw Refused(description: "its security key's application is '\(application)', which does not begin with ssh:")
        }
        return application
    }

    /// The key's type as OpenSSH names it.
    public var typeName: String {
        switch key {
        case .ed25519: "ssh-ed25519"
        case .ecdsaP256: "ecdsa-sha2-nistp256"
        case .securityKeyEd25519: "sk-ssh-ed25519@openssh.com"
        case .securityKeyECDSAP256: "sk-ecdsa-sha2-nistp256@openssh.com"
        }
    }

    /// Whether a FIDO security key makes this key's signatures (and waits for a touch).
    public var isSecurityKey: Bool {
        switch key {
        case .securityKeyEd25519, .securityKeyECDSAP256: true
        case .ed25519, .ecdsaP256: false
        }
    }

    /// The line without its comment: `TYPE BASE64`.
    public var line: String { typeName + " " + Data(blob).base64EncodedString() }

    /// `SHA256:` and the unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }
}
