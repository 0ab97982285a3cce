import ArgumentParser
import Foundation
import GatehouseEngine

/// `gatehouse keygen NAME`: a sovereign's ed25519 key pair.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a sovereign's ed25519 private key (mode 0600, never overwritten) and print the public key line for the programme.")

    @Argument(help: ArgumentHelp("The sovereign's name.", valueName: "name"))
    var name: String

    @Option(name: .long, help: ArgumentHelp("Where to write the private key (default: $XDG_CONFIG_HOME/gatehouse/keys/NAME.key).", valueName: "file"))
    var out: String?

    @Flag(name: .long, help: "Protect the key with a passphrase, asked twice on the terminal without echo (and at each signature).")
    var passphrase = false

    func validate() throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ValidationError("the name must be letters, digits, '-', '_' or '.'")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        let path = out ?? config + "/gatehouse/keys/\(name).key"
        let publicKey = try reportingErrors {
            try PrivateKeyFile.create(name: name, at: path, passphrase: passphrase ? try TerminalPassphrase.new(for: path) : nil)
        }
        write("""
            wrote the private key of \(name) to \(path) (mode 0600\(passphrase ? ", sealed under your passphrase" : ""); keep it secret)
            add this sovereign to the programme file:

              - name: \(name)
                provider: ed25519
                public_key: \(publicKey)
                gates: [SG_1, SG_2]

            """)
    }
}
