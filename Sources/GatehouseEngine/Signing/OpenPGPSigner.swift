import Foundation
import GatehouseCore

/// Signs with a sovereign's OpenPGP key through the real `gpg` (its keyring at `GNUPGHOME`, or
/// the OpenPGP card it knows): a detached signature by exactly the pinned fingerprint.
struct OpenPGPSigner {
    let fingerprint: String
    let environment: [String: String]

    /// A signer for `fingerprint`; throws, saying what to do, when gpg is missing or holds no
    /// secret key (nor a card stub) for it.
    init(fingerprint: String, name: String, environment: [String: String]) throws {
        self.fingerprint = fingerprint
        self.environment = environment
        let listed = try Self.gpg(["--batch", "--no-tty", "--with-colons", "--list-secret-keys", fingerprint], environment: environment)
        guard listed.status == 0, listed.output.contains("sec") else {
            throw SigningError("\(name)'s OpenPGP key \(fingerprint) has no secret key in gpg's keyring\(Self.home(environment)): "
                               + "import it (`gpg --import`), or insert the OpenPGP card that holds it (`gpg --card-status`)")
        }
    }

    /// The signature packet over `message`.
    func sign(_ message: [UInt8]) throws -> [UInt8] {
        let folder = try GnuPG.privateDirectory(beside: FileManager.default.temporaryDirectory.path + "/gatehouse-openpgp")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(message).write(to: URL(fileURLWithPath: folder + "/statement"))
        let made = try Self.gpg(["--batch", "--no-tty", "--yes", "--local-user", fingerprint + "!", "--digest-algo", "SHA256",
                                 "--detach-sign", "--output", folder + "/statement.sig", folder + "/statement"], environment: environment)
        guard made.status == 0, let signature = FileManager.default.contents(atPath: folder + "/statement.sig") else {
            throw SigningError("gpg could not sign with \(fingerprint): \(made.firstError); if the key is on a card, insert it "
                               + "(`gpg --card-status`); a passphrase or PIN is asked by gpg's pinentry; nothing was signed")
        }
        return Array(signature)
    }

    private static func home(_ environment: [String: String]) -> String {
        environment["GNUPGHOME"].map { " (GNUPGHOME=\($0))" } ?? " (~/.gnupg)"
    }

    private static func gpg(_ arguments: [String], environment: [String: String]) throws -> CapturedCommand.Result {
        do {
            return try CapturedCommand.run(["gpg"] + arguments, environment: environment)
        } catch {
            throw SigningError("gpg cannot be started (\(error)); install GnuPG (`apt-get install gnupg`) to sign with an OpenPGP key; nothing was signed")
        }
    }
}
