import Crypto
import Foundation
import GatehouseCore

/// An `ssh-ed25519` key held in memory: the public key line a programme pins, and SSHSIG
/// signatures of statements as an SSH agent's key makes them, in a namespace a test chooses.
public struct SoftwareSSHKey: Sendable {
    public let key = Curve25519.Signing.PrivateKey()

    public init() {}

    /// The key's wire blob.
    public var blob: [UInt8] {
        var writer = SSHWireWriter()
        writer.string("ssh-ed25519")
        writer.string(Array(key.publicKey.rawRepresentation))
        return writer.bytes
    }

    /// The `.pub` file's line.
    public var line: String { "ssh-ed25519 " + Data(blob).base64EncodedString() + " test@memory" }

    /// The journaled signature (`sshsig:…`) of `statement` in `namespace`.
    public func sign(_ statement: [String: JSONValue], namespace: String = SSHSigning.namespace) throws -> String {
        let data = SSHSignature.signedData(namespace: namespace, message: ApprovalStatement.signedBytes(statement))
        var signature = SSHWireWriter()
        signature.string("ssh-ed25519")
        signature.string(Array(try key.signature(for: data)))
        return SSHSigning.text(SSHSignature(publicKey: blob, namespace: namespace, hashAlgorithm: "sha512", signature: signature.bytes))
    }
}
