import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse approve RUN GATE --as NAME`: a sovereign's signed decision at the gate a run waits at.
struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve (or --reject) the sovereign gate a run waits at, signed as a sovereign of the run.",
        discussion: """
            The statement signed binds the run, the gate, the decision, the signer, the reason, \
            the time, a nonce and the run's pre-state SHA-256, candidates digest and document \
            digest as they stand. An ed25519 sovereign signs with --key FILE (from `gatehouse \
            keygen`), an ssh sovereign with their key in the SSH agent at SSH_AUTH_SOCK (a \
            forwarded agent works); a stub sovereign needs no key and is INSECURE. Exit status: 0 recorded; \
            6 refused and journaled (not waiting at that gate, too late, not a sovereign for \
            it, a signature that does not verify); 2 bad input.
            """)

    @Argument(help: ArgumentHelp("The run's id or a unique prefix of it.", valueName: "run"))
    var runName: String

    @Argument(help: ArgumentHelp("The gate, such as SG_1 or SG_2.", valueName: "gate"))
    var gate: String

    @Option(name: .customLong("as"), help: ArgumentHelp("The sovereign's name.", valueName: "name"))
    var sovereign: String

    @Option(name: .long, help: ArgumentHelp("The sovereign's ed25519 private key file (mode 0600); an ssh sovereign signs with the key in the SSH agent at SSH_AUTH_SOCK instead.", valueName: "file"))
    var key: String?

    @Flag(name: .long, help: "Reject instead of approving; the run ends.")
    var reject = false

    @Option(name: .long, help: ArgumentHelp("Why (required with --reject).", valueName: "text"))
    var reason: String?

    @OptionGroup var journalOptions: JournalOptions

    func validate() throws {
        if sovereign.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--as needs a name") }
        if reject && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reject needs --reason TEXT: say why the gate is rejected")
        }
    }

    func run() throws {
        let store = try journalOptions.openStore()
        let state = try reportingErrors { try store.resolve(runName) }
        // A runner found gone is recorded lost first; the decision is still allowed, and waits.
        let seen = state.isEnded ? nil : try journalOptions.runnerLiveness().presence(of: state.id)
        try reportingErrors { try RunLauncher.recordLost(seen.map { [state.id: $0] } ?? [:], store: store, actor: sovereign) }
        let decision = try reportingErrors {
            askForTouch(of: sovereign, in: state)
            return try RunActs(store: store, passphrase: TerminalPassphrase.ask).decide(run: state.id, gate: gate, approve: !reject, reason: reason ?? "",
                                             as: sovereign, keyFile: key)
        }
        let insecure = decision.provider == StubSigning.providerName ? ", INSECURE" : ""
        write("run \(state.id): \(gate) \(reject ? "rejected" : "approved") by \(sovereign) (\(decision.provider) signature\(insecure))\n")
        if let after = store.ledger[state.id], after.runner(seen: seen)?.isGone == true {
            write("  its runner is gone: nothing happens until the run is resumed (`gatehouse resume \(after.shortID)`)\n")
        }
    }
}
