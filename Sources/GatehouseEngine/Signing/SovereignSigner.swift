import Crypto
import Foundation
import GatehouseCore

/// Signs a sovereign's decisions with the provider the run pinned for them: the stub, an
/// ed25519 private key read from a file only its owner can read, the pinned OpenSSH key in
/// the sovereign's SSH agent, or their OpenPGP key through gpg.
public struct SovereignSigner {
    /// `stub`, `ed25519`, `ssh` or `openpgp`.
    public let provider: String
    private let method: Method

    private enum Method {
        case stub
        case ed25519(Curve25519.Signing.PrivateKey)
        case agent(SSHAgent, SSHPublicKey)
        case openPGP(OpenPGPSigner, Sovereign)
    }

    private init(provider: String, key: Curve25519.Signing.PrivateKey?) {
        self.provider = provider
        method = key.map(Method.ed25519) ?? .stub
    }

    private init(agent: SSHAgent, key: SSHPublicKey) {
        provider = SSHSigning.providerName
        method = .agent(agent, key)
    }

    private init(openPGP signer: OpenPGPSigner, sovereign: Sovereign) {
        provider = OpenPGPSigning.providerName
        method = .openPGP(signer, sovereign)
    }

    /// The signer for sovereign `name` of `run`. A run without pinned sovereigns signs with the stub.
    /// - Throws: ``SigningError`` when the name is not a sovereign; for ed25519, when the key
    ///   is missing, unreadable, not the user's, readable by others, its passphrase wrong, or not
    ///   that sovereign's; for ssh, when there is no agent or the pinned key is not in it; for
    ///   openpgp, when gpg is missing or holds no secret key for the fingerprint.
    public static func forSovereign(_ name: String, of run: RunState, keyFile: String?, passphrase: PrivateKeyFile.Passphrase? = nil,
                                    environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SovereignSigner {
        guard !run.start.sovereigns.isEmpty else { return SovereignSigner(provider: StubSigning.providerName, key: nil) }
        guard let sovereign = run.start.sovereigns.first(where: { $0.name == name }) else {
            throw SigningError("'\(name)' is not a sovereign of run \(run.shortID); its sovereigns are \(run.start.sovereigns.map(\.name).joined(separator: ", "))")
        }
        return try forSovereign(sovereign, keyFile: keyFile, passphrase: passphrase, environment: environment)
    }

    /// The signer for `name`'s acts on the programme `charter` describes. A name that is not
    /// one of its sovereigns signs with the stub: the act is then refused, and the refusal
    /// journaled, by the rules (who asked, and why not, is on the record).
    /// - Throws: as ``forSovereign(_:of:keyFile:passphrase:environment:)``.
    public static func forProgramme(_ name: String, charter: ProgrammeCharter, keyFile: String?, passphrase: PrivateKeyFile.Passphrase? = nil,
                                    environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SovereignSigner {
        guard let sovereign = charter.sovereign(name) else { return SovereignSigner(provider: StubSigning.providerName, key: nil) }
        return try forSovereign(sovereign, keyFile: keyFile, passphrase: passphrase, environment: environment)
    }

    /// The signer for `sovereign`: with the key in `keyFile` (opened with `passphrase` when it
    /// is sealed) for an ed25519 one, the agent `environment` names for an ssh one, gpg with
    /// `environment`'s keyring for an openpgp one.
    private static func forSovereign(_ sovereign: Sovereign, keyFile: String?, passphrase: PrivateKeyFile.Passphrase?,
                                     environment: [String: String]) throws -> SovereignSigner {
        let name = sovereign.name
        switch sovereign.provider {
        case StubSigning.providerName:
            return SovereignSigner(provider: StubSigning.providerName, key: nil)
        case Ed25519Signing.providerName:
            guard let keyFile else {
                throw SigningError("\(name) signs with ed25519: give the private key with --key FILE (made by `gatehouse keygen \(name)`)")
            }
            let key = try PrivateKeyFile.read(keyFile, passphrase: passphrase)
            guard Ed25519Signing.publicKeyText(key.publicKey) == sovereign.publicKey else {
                throw SigningError("the key in \(keyFile) is not \(name)'s: its public key does not match the programme's")
            }
            return SovereignSigner(provider: Ed25519Signing.providerName, key: key)
        case SSHSigning.providerName:
            guard let line = sovereign.publicKey, let key = try? SSHPublicKey(line: line) else {
                throw SigningError("\(name) signs with ssh but the programme pins no OpenSSH key for them")
            }
            let agent = try SSHAgent.from(environment)
            let held = try agent.identities()
            guard held.contains(key.blob) else {
                let others = held.compactMap { try? SSHPublicKey(blob: $0) }.map { "\($0.typeName) \($0.fingerprint)" }
                throw SigningError("\(name)'s key \(key.typeName) \(key.fingerprint) is not in the SSH agent at \(agent.socketPath) "
                                   + (others.isEmpty ? "(it holds no key)" : "(it holds \(others.joined(separator: ", ")))")
                                   + "; add it with `ssh-add`, or forward the agent that holds it (`ssh -A`)")
            }
            return SovereignSigner(agent: agent, key: key)
        case OpenPGPSigning.providerName:
            guard let fingerprint = sovereign.publicKey, sovereign.openPGPKey != nil else {
                throw SigningError("\(name) signs with openpgp but the programme pins no OpenPGP key for them")
            }
            return SovereignSigner(openPGP: try OpenPGPSigner(fingerprint: fingerprint, name: name, environment: environment), sovereign: sovereign)
        default:
            throw SigningError("\(name)'s provider '\(sovereign.provider)' is unknown")
        }
    }

    /// The signature of `statement`. An agent's signature is checked against the pinned key
    /// before it is returned, so that a wrong key or a faulty agent is caught here.
    public func sign(_ statement: [String: JSONValue]) throws -> String {
        switch method {
        case .stub:
            return StubSigning.sign(statement)
        case .ed25519(let key):
            return try Ed25519Signing.sign(statement, with: key)
        case .agent(let agent, let key):
            let message = ApprovalStatement.signedBytes(statement)
            let data = SSHSignature.signedData(namespace: SSHSigning.namespace, message: message)
            let signature = SSHSignature(publicKey: key.blob, namespace: SSHSigning.namespace, hashAlgorithm: "sha512",
                                         signature: try agent.sign(data, with: key))
            do { try signature.verify(message: message, namespace: SSHSigning.namespace, by: key) } catch {
                throw SigningError("the SSH agent at \(agent.socketPath) signed, but its signature does not hold (\(error)); nothing was signed")
            }
            return SSHSigning.text(signature)
        case .openPGP(let signer, let sovereign):
            let text = OpenPGPSigning.text(try signer.sign(ApprovalStatement.signedBytes(statement)))
            guard OpenPGPSigning.verify(text, of: statement, by: sovereign) else {
                throw SigningError("gpg signed with \(signer.fingerprint), but the signature does not verify against the pinned key "
                                   + "(a subkey or another key signed?); nothing was signed")
            }
            return text
        }
    }
}

/// Why a decision could not be signed.
public struct SigningError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
