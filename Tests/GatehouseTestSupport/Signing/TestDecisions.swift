import Foundation
import GatehouseCore
import GatehouseEngine

/// Sovereigns' decisions and kill-switch enables for tests, so that a test names who decides
/// what instead of building and signing a `GateDecision` or a `SwitchEnable` by hand.
///
/// Without a `signer`, each is stub-signed. A decision meant to be refused (another key,
/// another signer, a changed statement) says so at the call: `signer: .ed25519(mallory)`,
/// `signer: .forged(signature: "stub-sha256:00")`, or a statement edited before it is signed.
public enum TestDecisions {
    // MARK: - Bound to a run

    /// A stub-signed approval of `gate`, bound to `run` as it stands (see `ApprovalStatement`).
    ///
    /// - Parameters:
    ///   - name: the sovereign; by default the first the run pinned, else `sovereign`.
    ///   - signedAt: when it was signed, in milliseconds since 1970; by default now.
    ///   - nonce: by default a fresh UUID.
    public static func approval(of run: RunState, gate: String, by name: String? = nil, reason: String = "",
                                signedAt: Int64? = nil, nonce: String? = nil) -> GateDecision {
        let (name, statement) = decisionStatement(run, gate, approve: true, name, reason, signedAt, nonce)
        return decision(gate, by: name, reason: reason, statement: statement)
    }

    /// An approval of `gate`, bound to `run` as it stands, signed with `signer`.
    ///
    /// - Throws: what `signer` throws.
    public static func approval(of run: RunState, gate: String, by name: String? = nil, reason: String = "",
                                signedAt: Int64? = nil, nonce: String? = nil, signer: TestSigner) throws -> GateDecision {
        let (name, statement) = decisionStatement(run, gate, approve: true, name, reason, signedAt, nonce)
        return try decision(gate, by: name, reason: reason, statement: statement, signer: signer)
    }

    /// A stub-signed rejection of `gate`, bound to `run` as it stands; the defaults are those
    /// of ``approval(of:gate:by:reason:signedAt:nonce:)``.
    public static func rejection(of run: RunState, gate: String, by name: String? = nil, reason: String = "",
                                 signedAt: Int64? = nil, nonce: String? = nil) -> GateDecision {
        let (name, statement) = decisionStatement(run, gate, approve: false, name, reason, signedAt, nonce)
        return decision(gate, by: name, reason: reason, statement: statement)
    }

    /// A stub-signed kill-switch enable of `run` as it stands (see `SwitchStatement`); the
    /// defaults are those of ``approval(of:gate:by:reason:signedAt:nonce:)``.
    public static func enable(of run: RunState, by name: String? = nil, signedAt: Int64? = nil, nonce: String? = nil) -> SwitchEnable {
        let name = name ?? firstSovereign(of: run)
        let statement = SwitchStatement.make(run: run, by: name, signedAt: signedAt ?? WallClock.system.milliseconds(),
                                             nonce: nonce ?? UUID().uuidString)
        return SwitchEnable(by: name, statement: statement, provider: StubSigning.providerName, signature: StubSigning.sign(statement))
    }

    /// A restore of `run`'s backup by `name`, the phrase typed as `typed` (by default right),
    /// signed with `signer` (see `RestoreStatement`); the other defaults are those of
    /// ``approval(of:gate:by:reason:signedAt:nonce:)``.
    ///
    /// - Throws: what `signer` throws.
    public static func restore(of run: RunState, by name: String? = nil, typed: String? = nil,
                               signer: TestSigner = .stub) throws -> TargetRestore {
        let name = name ?? firstSovereign(of: run)
        let statement = RestoreStatement.make(run: run, by: name, typed: typed ?? RestoreStatement.phrase(for: run),
                                              signedAt: WallClock.system.milliseconds(), nonce: UUID().uuidString)
        let (provider, signature) = try signer.sign(statement)
        return TargetRestore(backup: run.facts.backupPath ?? "", sha256: run.facts.backupSHA256 ?? "", by: name,
                             decision: SignedAct(by: name, statement: statement, provider: provider, signature: signature),
                             contentSHA256: run.facts.preStateSHA)
    }

    // MARK: - Over a given statement

    /// A stub-signed decision at `gate` over `statement`, by default `["gate": gate]`: bound to
    /// no run, which only a run that pinned no sovereigns accepts.
    public static func decision(_ gate: String, by name: String, reason: String = "",
                                statement: [String: JSONValue]? = nil) -> GateDecision {
        let statement = statement ?? ["gate": .string(gate)]
        return GateDecision(gate: gate, by: name, reason: reason, statement: statement,
                            provider: StubSigning.providerName, signature: StubSigning.sign(statement))
    }

    /// A decision at `gate` over `statement`, signed with `signer`.
    ///
    /// - Throws: what `signer` throws.
    public static func decision(_ gate: String, by name: String, reason: String = "", statement: [String: JSONValue],
                                signer: TestSigner) throws -> GateDecision {
        let (provider, signature) = try signer.sign(statement)
        return GateDecision(gate: gate, by: name, reason: reason, statement: statement, provider: provider, signature: signature)
    }

    /// A kill-switch enable by `name` over `statement`, signed with `signer`.
    ///
    /// - Throws: what `signer` throws.
    public static func enable(by name: String, statement: [String: JSONValue], signer: TestSigner) throws -> SwitchEnable {
        let (provider, signature) = try signer.sign(statement)
        return SwitchEnable(by: name, statement: statement, provider: provider, signature: signature)
    }

    // MARK: - Statements

    /// The signer's name and the statement of a decision on `gate` of `run`, with the defaults filled in.
    private static func decisionStatement(_ run: RunState, _ gate: String, approve: Bool, _ name: String?, _ reason: String,
                                          _ signedAt: Int64?, _ nonce: String?) -> (name: String, statement: [String: JSONValue]) {
        let name = name ?? firstSovereign(of: run)
        let statement = ApprovalStatement.make(run: run, gate: gate, approve: approve, by: name, reason: reason,
                                               signedAt: signedAt ?? WallClock.system.milliseconds(), nonce: nonce ?? UUID().uuidString)
        return (name, statement)
    }

    /// The first sovereign `run` pinned, or `sovereign` for a run that pinned none.
    private static func firstSovereign(of run: RunState) -> String {
        run.start.sovereigns.first?.name ?? "sovereign"
    }
}

extension RunState {
    /// Every signed act of the run (its decisions, then its kill-switch enables): signature,
    /// statement and provider, for a test that checks each with another tool.
    public var signedActs: [(signature: String, statement: [String: JSONValue], provider: String)] {
        decisions.map { ($0.decision.signature, $0.decision.statement, $0.decision.provider) }
            + switchEnables.map { ($0.enable.signature, $0.enable.statement, $0.enable.provider) }
    }
}
