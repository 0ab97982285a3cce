import Crypto
import Foundation

/// Ed25519 signatures over approval statements (swift-crypto).
///
/// A public key is written `ed25519:` and the base64 of its 32 bytes; a signature
/// `ed25519:` and the base64 of its 64 bytes. What is signed is ``ApprovalStatement/signedBytes(_:)``.
public enum Ed25519Signing {
    /// The provider's name as journaled.
    public static let providerName = "ed25519"

    /// A new private key.
    public static func generate() -> Curve25519.Signing.PrivateKey { Curve25519.Signing.PrivateKey() }

    /// The text form of a public key.
    public static func publicKeyText(_ key: Curve25519.Signing.PublicKey) -> String {
        "ed25519:" + key.rawRepresentation.base64EncodedString()
    }

    /// A public key from its text form, or nil.
    public static func publicKey(fromText text: String) -> Curve25519.Signing.PublicKey? {
        guard text.hasPrefix("ed25519:"), let bytes = Data(base64Encoded: String(text.dropFirst(8))), bytes.count == 32 else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
    }

    /// Signs a statement.
    public static func sign(_ statement: [String: JSONValue], with key: Curve25519.Signing.PrivateKey) throws -> String {
        "ed25519:" + (try key.signature(for: ApprovalStatement.signedBytes(statement))).base64EncodedString()
    }

    /// Whether `signature` is `publicKey`'s signature of `statement`.
    public static func verify(_ signature: String, of statement: [String: JSONValue], publicKey text: String) -> Bool {
        verify(signature, signedBytes: ApprovalStatement.signedBytes(statement), publicKey: text)
    }

    /// Whether `signature` is `publicKey`'s signature of the statement whose canonical JSON is `canonical`.
    public static func verify(_ signature: String, canonical: String, publicKey text: String) -> Bool {
        verify(signature, signedBytes: ApprovalStatement.signedBytes(canonical: canonical), publicKey: text)
    }

    private static func verify(_ signature: String, signedBytes: [UInt8], publicKey text: String) -> Bool {
        guard let key = publicKey(fromText: text), signature.hasPrefix("ed25519:"),
              let bytes = Data(base64Encoded: String(signature.dropFirst(8))) else { return false }
        return key.isValidSignature(bytes, for: signedBytes)
    }
}
