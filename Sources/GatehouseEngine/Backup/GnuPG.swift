import Foundation
import GatehouseCore

/// Backups encrypted to OpenPGP keys with the real `gpg`, and decrypted for a restore.
///
/// `gpg` reads its keys from `GNUPGHOME` (or `~/.gnupg`); encrypting needs the recipients'
/// public keys there, decrypting one of their secret keys.
public enum GnuPG {
    /// Encrypts the file `plaintext` to `recipients` (fingerprints) into a new file at `output`
    /// (0600), which must not exist yet.
    public static func encrypt(_ plaintext: String, to output: String, recipients: [String]) throws {
        let temporary = try NewFile.temporaryPath(beside: output, purpose: "encrypt")
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let result = try run(encryptArguments(to: temporary, recipients: recipients) + [plaintext], file: output)
        guard result.status == 0 else { throw cannotEncrypt(output, to: recipients, result.firstError) }
        try place(temporary, at: output)
    }

    /// `gpg` encrypting its stdin (or a file named after these) to `recipients` into `output`;
    /// without compression for data that is compressed already (a `pg_dump` archive).
    package static func encryptArguments(to output: String, recipients: [String], compress: Bool = true) -> [String] {
        ["gpg", "--batch", "--no-tty", "--yes", "--trust-model", "always"] + (compress ? [] : ["--compress-algo", "none"])
            + ["--encrypt"] + recipients.flatMap { ["--recipient", $0] } + ["--output", output]
    }

    /// `gpg` decrypting `ciphertext` onto its stdout.
    package static func decryptArguments(_ ciphertext: String) -> [String] {
        ["gpg", "--batch", "--no-tty", "--quiet", "--decrypt", ciphertext]
    }

    /// Why an encryption to `recipients` failed, and what to do.
    package static func cannotEncrypt(_ output: String, to recipients: [String], _ reason: String) -> TargetError {
        let writing = ["No space left", "File too large", "Disk quota", "write error", "error writing"].contains { reason.contains($0) }
        let next = writing
            ? "make room in \(URL(fileURLWithPath: output).deletingLastPathComponent().path) and start a new run"
            : "import each recipient's public key (`gpg --import`) or correct backup.recipients in the programme"
        return .badBackup(path: output, reason: "gpg cannot encrypt it to \(recipients.joined(separator: ", ")): \(reason); \(next); nothing was applied")
    }

    /// Why a decryption failed, and what to do.
    package static func cannotDecrypt(_ ciphertext: String, _ reason: String) -> TargetError {
        .badBackup(path: ciphertext, reason: "gpg cannot decrypt it: \(reason); restore as a recipient whose secret key is in "
                   + "GNUPGHOME (the run's backup_recipients name them); nothing was restored")
    }

    /// Makes the finished ciphertext `temporary` 0600 and puts it at `output`, which must still not exist.
    package static func place(_ temporary: String, at output: String) throws {
        guard chmod(temporary, 0o600) == 0 else {
            throw TargetError.badBackup(path: output, reason: "its mode cannot be set to 0600 (\(String(cString: strerror(errno)))); nothing was applied")
        }
        guard try NewFile.place(temporary, at: output) else {
            throw TargetError.badBackup(path: output, reason: "a file appeared there while the backup was encrypted; choose a new path")
        }
    }

    /// Why each of `recipients` cannot be encrypted to now, as the keyring `gpg` finds says:
    /// not there, expired, revoked or disabled, or without an encryption key; empty when all can.
    public static func unusableRecipients(_ recipients: [String]) throws -> [String] {
        var problems: [String] = []
        for fingerprint in recipients {
            let result = try run(["gpg", "--batch", "--no-tty", "--with-colons", "--fixed-list-mode", "--list-keys", fingerprint], file: fingerprint)
            // pub:VALIDITY:...:CAPABILITIES (field 12; an upper-case E: the key can encrypt now)
            guard result.status == 0, let pub = result.output.split(separator: "\n").first(where: { $0.hasPrefix("pub:") }) else {
                problems.append("\(fingerprint): no such public key in the keyring (GNUPGHOME); import it with `gpg --import`")
                continue
            }
            let fields = pub.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let validity = fields.count > 1 ? fields[1] : ""
            let capabilities = fields.count > 11 ? fields[11] : ""
            switch validity {
            case "e": problems.append("\(fingerprint): the key has expired; extend it (`gpg --quick-set-expire`) or name another recipient")
            case "r": problems.append("\(fingerprint): the key is revoked; name another recipient")
            case "d", "i": problems.append("\(fingerprint): the key is disabled or invalid in this keyring")
            default:
                if !capabilities.contains("E") {
                    problems.append("\(fingerprint): the key has no usable encryption subkey (expired or revoked); add one or name another recipient")
                }
            }
        }
        return problems
    }

    /// Decrypts the file `ciphertext` into a new file `output` (0600), with a secret key of
    /// the keyring `gpg` finds.
    public static func decrypt(_ ciphertext: String, to output: String) throws {
        let result = try run(["gpg", "--batch", "--no-tty", "--yes", "--decrypt", "--output", output, ciphertext], file: ciphertext)
        guard result.status == 0 else { throw cannotDecrypt(ciphertext, result.firstError) }
        _ = chmod(output, 0o600)
    }

    /// Hands `putBack` the backup `file` (SHA-256 `sha256` journaled) as a plain file with its
    /// SHA-256: `file` itself when it is not encrypted; else, once its ciphertext is found to be
    /// the one journaled, a copy decrypted into a private directory, removed after.
    public static func restoring<Result>(_ file: String, sha256: String,
                                         _ putBack: (_ plain: String, _ sha256: String) throws -> Result) throws -> Result {
        guard file.hasSuffix(".gpg") else { return try putBack(file, sha256) }
        try checkDigest(of: file, sha256: sha256)
        let directory = try privateDirectory(beside: file)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plain = directory + "/" + URL(fileURLWithPath: String(file.dropLast(".gpg".count))).lastPathComponent
        try decrypt(file, to: plain)
        return try putBack(plain, try FileDigest.sha256(of: plain).sha256)
    }

    /// Throws unless `file` is there and its bytes' SHA-256 is `sha256`, the one journaled.
    package static func checkDigest(of file: String, sha256: String) throws {
        guard FileManager.default.fileExists(atPath: file) else {
            throw TargetError.badBackup(path: file, reason: "no such file; find the path in the run's backup event in the journal")
        }
        let found = try FileDigest.sha256(of: file).sha256
        guard found == sha256 else {
            throw TargetError.badBackup(path: file, reason: "its SHA-256 is \(found) but \(sha256) was recorded; it was altered or is another backup; nothing was restored")
        }
    }

    /// A directory of this user's alone (0700) beside `path`, for a backup's plaintext while it
    /// is encrypted or restored; the caller removes it.
    public static func privateDirectory(beside path: String) throws -> String {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var template = Array((parent + "/.gatehouse-plain-XXXXXX").utf8CString)
        // mkdtemp fills in the X's in place and makes the directory 0700.
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard made else {
            throw TargetError.badBackup(path: path, reason: "no private directory can be made beside it (\(String(cString: strerror(errno))))")
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func run(_ arguments: [String], file: String) throws -> CapturedCommand.Result {
        do {
            return try CapturedCommand.run(arguments)
        } catch {
            throw TargetError.badBackup(path: file, reason: "gpg cannot be started (\(error)); install GnuPG (`apt-get install gnupg`); nothing was changed")
        }
    }
}
