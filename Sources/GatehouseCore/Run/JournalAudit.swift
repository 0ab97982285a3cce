/// What an auditor finds in a whole journal beyond its hash chain: the verdict on every
/// signature of every run, and every journaled event the state machine refuses to fold.
///
/// An intact chain proves that nobody edited the journal after the fact; this proves that
/// what was journaled was signed by the sovereigns each run pinned, and was legal when written.
public struct JournalAudit: Sendable, Equatable {
    /// A signed event whose signature does not hold.
    public struct Failure: Sendable, Equatable {
        public var run: String
        public var sequence: Int64
        /// `gate.approved`, `gate.rejected` or `killswitch.enabled`.
        public var kind: String
        public var signer: String
        public var reason: String
    }

    /// Real signatures (ed25519, ssh, openpgp) that verify against the pinned public key.
    public private(set) var verified = 0
    /// Stub signatures that recompute (they prove the statement, not the signer).
    public private(set) var insecure = 0
    /// Decisions and enables of runs that pinned no sovereigns.
    public private(set) var unsigned = 0
    /// The signatures that do not hold, in journal order.
    public private(set) var failures: [Failure] = []
    /// The journaled events the state machine refuses, in journal order.
    public let anomalies: [RunLedger.Anomaly]

    /// Close-outs signed by a sovereign (inside the approval of the last gate) that verify.
    public private(set) var closeOutsVerified = 0

    /// Checks every decision and kill-switch enable of every run of `ledger`, and every
    /// close-out a sovereign signed.
    public init(_ ledger: RunLedger) {
        anomalies = ledger.anomalies
        for run in ledger.newestFirst.reversed() where run.facts.closeoutProvider != StubSigning.providerName {
            switch CloseOutStatement.verdict(of: run) {
            case .verified?: closeOutsVerified += 1
            case .failed(let reason)?:
                failures.append(Failure(run: run.id, sequence: run.ending?.sequence ?? run.startSequence, kind: "run.closed_out",
                                        signer: CloseOutStatement.signingDecision(of: run)?.by ?? "?", reason: reason))
            case .insecure?, .unsigned?, nil: break
            }
        }
        for entry in AuditTrail.entries(ledger) {
            switch entry.verdict {
            case .verified?: verified += 1
            case .insecure?: insecure += 1
            case .unsigned?: unsigned += 1
            case .failed(let reason)?:
                failures.append(Failure(run: entry.run, sequence: entry.sequence, kind: entry.kind, signer: entry.actor, reason: reason))
            case nil: break
            }
        }
    }

    /// How many signed events were checked.
    public var checked: Int { verified + insecure + unsigned + failures.count }

    /// Whether every signature holds and the state machine accepts every event.
    public var isClean: Bool { failures.isEmpty && anomalies.isEmpty }

    /// One line: `signatures: 4 checked (2 verified, 2 stub INSECURE, 0 unsigned), 0 failed`,
    /// then `; 1 event refused by the state machine` when there are anomalies.
    public var summary: String {
        var line = "signatures: \(checked) checked (\(verified) verified, \(insecure) stub INSECURE, \(unsigned) unsigned), \(failures.count) failed"
        if closeOutsVerified > 0 { line += "; \(closeOutsVerified) close-out\(closeOutsVerified == 1 ? "" : "s") signed by a sovereign, verified" }
        if !anomalies.isEmpty {
            line += "; \(anomalies.count) event\(anomalies.count == 1 ? "" : "s") refused by the state machine"
        }
        return line
    }

    /// One line per failure and anomaly, in journal order, naming the run, the event and why.
    public var problems: [String] {
        let failed = failures.map { ($0.sequence, "run \($0.run), event \($0.sequence): \($0.kind) by \($0.signer): signature FAILED: \($0.reason)") }
        let refused = anomalies.map { ($0.sequence, "run \($0.runID), event \($0.sequence): \($0.kind) journaled by \($0.actor), refused by the state machine: \($0.reason)") }
        return (failed + refused).sorted { $0.0 < $1.0 }.map(\.1)
    }
}
