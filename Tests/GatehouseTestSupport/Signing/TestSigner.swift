import Crypto
import GatehouseCore

/// How a test signs a sovereign's statement: with the stub, an Ed25519 key, an OpenSSH key, or with a
/// fixed signature that was never computed from the statement (a forgery).
public enum TestSigner: Sendable {
    /// The stub: anyone can sign with it, and every record says INSECURE.
    case stub
    /// An Ed25519 key, such as one from `Ed25519Signing.generate()`.
    case ed25519(Curve25519.Signing.PrivateKey)
    /// An OpenSSH key, signing in `namespace` (Gatehouse's own unless a test forges another).
    case ssh(SoftwareSSHKey, namespace: String = SSHSigning.namespace)
    /// `signature` as it stands, whatever the statement: a forged or damaged signature.
    case forged(provider: String = StubSigning.providerName, signature: String)

    /// The provider's name as journaled beside the signature.
    public var provider: String {
        switch self {
        case .stub: StubSigning.providerName
        case .ed25519: Ed25519Signing.providerName
        case .ssh: SSHSigning.providerName
        case .forged(let provider, _): provider
        }
    }

    /// The provider's name and the signature of `statement`.
    ///
    /// - Throws: what `Ed25519Signing.sign(_:with:)` throws.
    public func sign(_ statement: [String: JSONValue]) throws -> (provider: String, signature: String) {
        switch self {
        case .stub: (provider, StubSigning.sign(statement))
        case .ed25519(let key): (provider, try Ed25519Signing.sign(statement, with: key))
        case .ssh(let key, let namespace): (provider, try key.sign(statement, namespace: namespace))
        case .forged(let provider, let signature): (provider, signature)
        }
    }
}
