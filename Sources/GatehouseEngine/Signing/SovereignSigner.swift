import Crypto
import Foundation
import GatehouseCore

/// Signs a sovereign's decisions with the provider the run pinned for them: the stub, or an
/// ed25519 private key read from a file only its owner can read.
public struct SovereignSigner {
    /// `stub` or `ed25519`.
    public let provider: String
    private let key: Curve25519.Signing.PrivateKey?

    /// The signer for sovereign `name` of `run`. A run without pinned sovereigns signs with the stub.
    /// - Throws: ``SigningError`` when the name is not a sovereign, the key is missing,
    ///   unreadable, readable by others, or not that sovereign's.
    public static func forSovereign(_ name: String, of run: RunState, keyFile: String?) throws -> SovereignSigner {
        guard !run.start.sovereigns.isEmpty else { return SovereignSigner(provider: StubSigning.providerName, key: nil) }
        guard let sovereign = run.start.sovereigns.first(where: { $0.name == name }) else {
            throw SigningError("'\(name)' is not a sovereign of run \(run.shortID); its sovereigns are \(run.start.sovereigns.map(\.name).joined(separator: ", "))")
        }
        return try forSovereign(sovereign, keyFile: keyFile)
    }

    /// The signer for `name`'s acts on the programme `charter` describes. A name that is not
    /// one of its sovereigns signs with the stub: the act is then refused, and the refusal
    /// journaled, by the rules (who asked, and why not, is on the record).
    /// - Throws: ``SigningError`` when the key is missing, unreadable, readable by others, or
    ///   not that sovereign's.
    public static func forProgramme(_ name: String, charter: ProgrammeCharter, keyFile: String?) throws -> SovereignSigner {
        guard let sovereign = charter.sovereign(name) else { return SovereignSigner(provider: StubSigning.providerName, key: nil) }
        return try forSovereign(sovereign, keyFile: keyFile)
    }

    /// The signer for `sovereign`, with the key in `keyFile` for an ed25519 one.
    private static func forSovereign(_ sovereign: Sovereign, keyFile: String?) throws -> SovereignSigner {
        let name = sovereign.name
        switch sovereign.provider {
        case StubSigning.providerName:
            return SovereignSigner(provider: StubSigning.providerName, key: nil)
        case Ed25519Signing.providerName:
            guard let keyFile else {
                throw SigningError("\(name) signs with ed25519: give the private key with --key FILE (made by `gatehouse keygen \(name)`)")
            }
            let key = try PrivateKeyFile.read(keyFile)
            guard Ed25519Signing.publicKeyText(key.publicKey) == sovereign.publicKey else {
                throw SigningError("the key in \(keyFile) is not \(name)'s: its public key does not match the programme's")
            }
            return SovereignSigner(provider: Ed25519Signing.providerName, key: key)
        default:
            throw SigningError("\(name)'s provider '\(sovereign.provider)' is unknown")
        }
    }

    /// The signature of `statement`.
    public func sign(_ statement: [String: JSONValue]) throws -> String {
        if let key { return try Ed25519Signing.sign(statement, with: key) }
        return StubSigning.sign(statement)
    }
}

/// Why a decision could not be signed.
public struct SigningError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An ed25519 private key on disk: created readable by its owner only, refused otherwise.
public enum PrivateKeyFile {
    static let header = "gatehouse-ed25519-private-key-v1"

    /// Writes a new key for `name` at `path` (mode 0600); refuses to overwrite a file.
    /// - Returns: the public key line to paste into the programme.
    public static func create(name: String, at path: String) throws -> String {
        let key = Ed25519Signing.generate()
        let text = "\(header)\n\(name)\n\(key.rawRepresentation.base64EncodedString())\n"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw SigningError("\(path) already exists; a key is never overwritten (move it away, or choose another path)") }
            throw SigningError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        _ = fchmod(descriptor, 0o600)
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw SigningError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return Ed25519Signing.publicKeyText(key.publicKey)
    }

    /// Reads a key file, refusing one that group or others can read.
    public static func read(_ path: String) throws -> Curve25519.Signing.PrivateKey {
        var info = stat()
        guard stat(path, &info) == 0 else { throw SigningError("cannot read the key \(path): \(String(cString: strerror(errno)))") }
        if info.st_mode & 0o077 != 0 {
            throw SigningError("the key \(path) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); a private key must be mode 0600: chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw SigningError("cannot read the key \(path)") }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count == 3, lines[0] == header, let bytes = Data(base64Encoded: lines[2]),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else {
            throw SigningError("\(path) is not a Gatehouse ed25519 private key (make one with `gatehouse keygen NAME`)")
        }
        return key
    }
}
