import Foundation

/// Signatures by an OpenSSH key (in an SSH agent, a security key included) over approval
/// statements, in the SSHSIG format `ssh-keygen -Y verify` checks.
///
/// A sovereign is pinned by the public key line of the key's `.pub` file. What is signed is
/// ``ApprovalStatement/signedBytes(_:)`` in the namespace ``namespace``; a signature is
/// journaled as `sshsig:` and the base64 of its binary form (``SSHSignature/blob``).
public enum SSHSigning {
    /// The provider's name as journaled.
    public static let providerName = "ssh"
    /// The SSHSIG namespace of every Gatehouse signature: one made for anything else
    /// (`git`, `file`, an email) never verifies here.
    public static let namespace = "gatehouse@gatehouse.dev"

    /// The journaled text of `signature`.
    public static func text(_ signature: SSHSignature) -> String {
        "sshsig:" + Data(signature.blob).base64EncodedString()
    }

    /// The signature a journaled text holds, or nil.
    public static func signature(fromText text: String) -> SSHSignature? {
        guard text.hasPrefix("sshsig:"), let data = Data(base64Encoded: String(text.dropFirst(7))) else { return nil }
        return try? SSHSignature(blob: Array(data))
    }

    /// Whether `signature` is `publicKey`'s (a key line) signature of `statement`.
    public static func verify(_ signature: String, of statement: [String: JSONValue], publicKey: String) -> Bool {
        verify(signature, signedBytes: ApprovalStatement.signedBytes(statement), publicKey: publicKey)
    }

    /// Whether `signature` is `publicKey`'s signature of the statement whose canonical JSON is `canonical`.
    public static func verify(_ signature: String, canonical: String, publicKey: String) -> Bool {
        verify(signature, signedBytes: ApprovalStatement.signedBytes(canonical: canonical), publicKey: publicKey)
    }

    private static func verify(_ signature: String, signedBytes: [UInt8], publicKey: String) -> Bool {
        guard let key = try? SSHPublicKey(line: publicKey), let parsed = Self.signature(fromText: signature) else { return false }
        return (try? parsed.verify(message: signedBytes, namespace: namespace, by: key)) != nil
    }
}
