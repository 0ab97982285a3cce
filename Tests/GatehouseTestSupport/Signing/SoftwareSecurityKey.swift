import Crypto
import GatehouseCore

/// A FIDO security key made of software keys: its public key and SSHSIG signatures laid out as
/// an authenticator makes them (PROTOCOL.u2f), with the flags, counter and application a test
/// chooses, for vectors no hardware is needed for.
public struct SoftwareSecurityKey {
    public enum Curve: Sendable { case ed25519, p256 }
    public let curve: Curve
    public let ed25519 = Curve25519.Signing.PrivateKey()
    public let p256 = P256.Signing.PrivateKey()
    public var application: String

    public init(curve: Curve, application: String = "ssh:") {
        self.curve = curve
        self.application = application
    }

    public var type: String { curve == .ed25519 ? "sk-ssh-ed25519@openssh.com" : "sk-ecdsa-sha2-nistp256@openssh.com" }

    public var publicKey: SSHPublicKey {
        var writer = SSHWireWriter()
        writer.string(type)
        if curve == .ed25519 {
            writer.string(Array(ed25519.publicKey.rawRepresentation))
        } else {
            writer.string("nistp256")
            writer.string(Array(p256.publicKey.x963Representation))
        }
        writer.string(application)
        return try! SSHPublicKey(blob: writer.bytes)
    }

    /// The SSHSIG of `message`: the authenticator signs over `signedApplication` with
    /// `flags`, and the signature reports `reportedFlags`.
    public func sign(_ message: [UInt8], signedApplication: String? = nil, flags: UInt8 = 0x01, reportedFlags: UInt8? = nil,
              counter: UInt32 = 42) throws -> SSHSignature {
        let data = SSHSignature.signedData(namespace: "gatehouse", message: message)
        let signed = SSHSignature.securityKeySigned(application: signedApplication ?? application, flags: flags, counter: counter, data: data)
        var writer = SSHWireWriter()
        writer.string(type)
        if curve == .ed25519 {
            writer.string(Array(try ed25519.signature(for: signed)))
        } else {
            let raw = Array(try p256.signature(for: signed).rawRepresentation)
            var numbers = SSHWireWriter()
            numbers.unsignedInteger(Array(raw[0..<32]))
            numbers.unsignedInteger(Array(raw[32..<64]))
            writer.string(numbers.bytes)
        }
        writer.byte(reportedFlags ?? flags)
        writer.uint32(counter)
        return SSHSignature(publicKey: publicKey.blob, namespace: "gatehouse", hashAlgorithm: "sha512", signature: writer.bytes)
    }
}
