import Foundation

/// A throw-away GnuPG home with one key (no passphrase) made by the real `gpg`, for a test;
/// `close()` stops the agent gpg started in it and removes it.
final class GnuPGHome {
    let directory: String
    /// The key's full fingerprint.
    let fingerprint: String
    /// The key id of its encryption subkey (what an encrypted file's packets name).
    let encryptionKeyID: String

    /// With `expired`, the key was made in 2020 to expire a day later (gpg's faked clock).
    init(name: String = "Gatehouse Backup Test", expired: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-gnupg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let made = try Self.gpg((expired ? ["--faked-system-time", "20200101T000000"] : [])
                                + ["--batch", "--passphrase", "", "--quick-generate-key", "\(name) <backup@example.invalid>",
                                   "future-default", "default", expired ? "1d" : "never"], home: directory)
        guard made.status == 0 else { throw E2EError("gpg could not make a test key: \(made.output)") }
        let listed = try Self.gpg(["--batch", "--with-colons", "--list-keys"], home: directory)
        guard let line = listed.output.split(separator: "\n").first(where: { $0.hasPrefix("fpr:") }),
              let fingerprint = line.split(separator: ":", omittingEmptySubsequences: false).dropFirst(9).first else {
            throw E2EError("gpg listed no fingerprint: \(listed.output)")
        }
        self.fingerprint = String(fingerprint)
        guard let sub = listed.output.split(separator: "\n").first(where: { $0.hasPrefix("sub:") }),
              let keyID = sub.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first else {
            throw E2EError("gpg listed no encryption subkey: \(listed.output)")
        }
        encryptionKeyID = String(keyID)
    }

    /// The environment that points `gpg` here.
    var environment: [String: String] { ["GNUPGHOME": directory] }

    /// Runs `gpg` with this home.
    func gpg(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.gpg(arguments, home: directory)
    }

    private static func gpg(_ arguments: [String], home: String) throws -> (status: Int32, output: String) {
        try Spawn.run(["/usr/bin/env", "GNUPGHOME=\(home)", "gpg"] + arguments)
    }

    func close() {
        _ = try? Spawn.run(["/usr/bin/env", "GNUPGHOME=\(directory)", "gpgconf", "--kill", "gpg-agent"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { close() }
}
