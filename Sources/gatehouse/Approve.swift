import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse approve RUN GATE --as NAME`: a sovereign's decision at the gate a run waits at.
struct Approve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve (or --reject) the sovereign gate a run waits at; stub-signed for now (INSECURE).",
        discussion: """
            The decision binds the run, the gate, the pre-state SHA-256 and the digest of the \
            candidates as they stand. Exit status: 0 recorded; 6 refused (the run is not waiting \
            at that gate, or another decision came first: it was too late); 2 bad input.
            """)

    @Argument(help: ArgumentHelp("The run's id or a unique prefix of it.", valueName: "run"))
    var runName: String

    @Argument(help: ArgumentHelp("The gate, such as SG_1 or SG_2.", valueName: "gate"))
    var gate: String

    @Option(name: .customLong("as"), help: ArgumentHelp("The sovereign's name.", valueName: "name"))
    var sovereign: String

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
        var statement: [String: JSONValue] = [
            "run": .string(state.id), "gate": .string(gate), "decision": .string(reject ? "reject" : "approve"),
            "reason": .string(reason ?? ""), "nonce": .string(RunLauncher.newRunID() + RunLauncher.newRunID()),
        ]
        for key in ["pre_sha", "candidates_digest", "document_digest"] {
            if let value = state.facts[key] { statement[key] = value }
        }
        let decision = GateDecision(gate: gate, by: sovereign, reason: reason ?? "", statement: statement,
                                    provider: StubSigning.providerName, signature: StubSigning.sign(statement))
        try reportingErrors {
            try store.record(reject ? .gateRejected(decision) : .gateApproved(decision), run: state.id, actor: sovereign)
        }
        write("run \(state.id): \(gate) \(reject ? "rejected" : "approved") by \(sovereign) (stub signature, INSECURE)\n")
    }
}
