import Crypto
import CryptoExtras
import Foundation
import GatehouseCore

/// An ed25519 private key on disk: created readable by its owner only, refused otherwise; with
/// a passphrase, the key is sealed (ChaCha20-Poly1305) under a key scrypt derives from it.
///
/// A plain key file is three lines: a header, the sovereign's name, the base64 key. A
/// protected one has a fourth: the header says so, the third line is the scrypt parameters and
/// salt, the fourth the sealed key, bound to the header and the name.
public enum PrivateKeyFile {
    static let header = "gatehouse-ed25519-private-key-v1"
    static let protectedHeader = "gatehouse-ed25519-private-key-v2-scrypt"
    /// scrypt's cost: 2^15 rounds of 8-block mixing, one lane (32 MB, about a tenth of a second).
    static let rounds = 1 << 15
    static let blockSize = 8
    static let parallelism = 1

    /// Where a passphrase comes from when a protected key is read: asked of the person signing.
    public typealias Passphrase = (_ keyFile: String) throws -> String

    /// Writes a new key for `name` at `path` (mode 0600), sealed under `passphrase` when given;
    /// refuses to overwrite a file.
    /// - Returns: the public key line to paste into the programme.
    public static func create(name: String, at path: String, passphrase: String? = nil) throws -> String {
        let key = Ed25519Signing.generate()
        let text: String
        if let passphrase {
            guard !passphrase.isEmpty else { throw SigningError("the passphrase is empty; give one, or make a key without a passphrase") }
            let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
            let sealed = try ChaChaPoly.seal(key.rawRepresentation, using: try derive(passphrase, salt: salt, rounds: rounds),
                                             authenticating: Data((protectedHeader + name).utf8))
            text = "\(protectedHeader)\n\(name)\nscrypt:\(rounds):\(blockSize):\(parallelism):\(Data(salt).base64EncodedString())\n"
                + "\(sealed.combined.base64EncodedString())\n"
        } else {
            text = "\(header)\n\(name)\n\(key.rawRepresentation.base64EncodedString())\n"
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
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

    /// Whether the key at `path` is sealed under a passphrase (false for one that cannot be read).
    public static func isProtected(_ path: String) -> Bool {
        (try? String(contentsOfFile: path, encoding: .utf8))?.hasPrefix(protectedHeader + "\n") == true
    }

    /// Reads a key file, refusing one that is not the user's own or that others can read;
    /// a protected one is opened with what `passphrase` gives.
    public static func read(_ path: String, passphrase: Passphrase? = nil) throws -> Curve25519.Signing.PrivateKey {
        var info = stat()
        guard stat(path, &info) == 0 else { throw SigningError("cannot read the key \(path): \(String(cString: strerror(errno)))") }
        guard info.st_uid == getuid() else {
            throw SigningError("the key \(path) belongs to user \(info.st_uid), not to you (user \(getuid())); a private key must be its signer's own: "
                               + "sign with your own key, or `chown` it if it is yours")
        }
        if info.st_mode & 0o077 != 0 {
            throw SigningError("the key \(path) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); a private key must be mode 0600: chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw SigningError("cannot read the key \(path)") }
        let lines = text.split(separator: "\n").map(String.init)
        let notAKey = SigningError("\(path) is not a Gatehouse ed25519 private key (make one with `gatehouse keygen NAME`)")
        if lines.first == protectedHeader {
            guard let passphrase else {
                throw SigningError("the key \(path) is protected by a passphrase and there is no terminal to ask it on; sign from a terminal")
            }
            return try unseal(lines, at: path, passphrase: try passphrase(path), notAKey: notAKey)
        }
        guard lines.count == 3, lines[0] == header, let bytes = Data(base64Encoded: lines[2]),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else {
            throw notAKey
        }
        return key
    }

    /// The key sealed in a protected file's `lines`.
    private static func unseal(_ lines: [String], at path: String, passphrase: String, notAKey: SigningError) throws -> Curve25519.Signing.PrivateKey {
        let parameters = lines.count == 4 ? lines[2].split(separator: ":").map(String.init) : []
        guard parameters.count == 5, parameters[0] == "scrypt", let rounds = Int(parameters[1]), Int(parameters[2]) == blockSize,
              Int(parameters[3]) == parallelism, rounds >= 1 << 10, rounds <= 1 << 20, rounds & (rounds - 1) == 0,
              let salt = Data(base64Encoded: parameters[4]), let combined = Data(base64Encoded: lines[3]),
              let box = try? ChaChaPoly.SealedBox(combined: combined) else { throw notAKey }
        let opened: Data
        do {
            opened = try ChaChaPoly.open(box, using: try derive(passphrase, salt: Array(salt), rounds: rounds),
                                         authenticating: Data((protectedHeader + lines[1]).utf8))
        } catch {
            throw SigningError("the passphrase for \(path) is wrong (or the file was altered); nothing was signed")
        }
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: opened) else { throw notAKey }
        return key
    }

    private static func derive(_ passphrase: String, salt: [UInt8], rounds: Int) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(from: Array(passphrase.utf8), salt: salt, outputByteCount: 32,
                                 rounds: rounds, blockSize: blockSize, parallelism: parallelism)
    }
}
