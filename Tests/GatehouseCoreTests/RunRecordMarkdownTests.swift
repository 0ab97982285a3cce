import GatehouseCore
import GatehouseTestSupport
import Testing

/// A run's exported record states who ran what and how it ended, every phase, the proofs,
/// every approval with its signature checked again, and where the run sits in the journal —
/// as Markdown whose tables stay tables whatever the values hold.
struct RunRecordMarkdownTests {
    private let intact = ChainVerification.intact(count: 30, head: String(repeating: "ab", count: 32))

    /// A dry run `r1` pinning the demo sovereign, closed out with both gates approved.
    private func closedDryRun(reason: String = "checked") throws -> RunState {
        var driver = LedgerDriver()
        driver.send(signedStart(sovereigns: [demoSovereign]), to: "r1")
        try driver.driveToClose("r1", approver: "demo", reason: reason)
        return try #require(driver.ledger["r1"])
    }

    private func proof(chain: ChainVerification? = nil) -> JournalProof {
        JournalProof(firstSequence: 1, lastSequence: 23, runEvents: 23, chain: chain ?? intact, exportedAt: 86_400_000)
    }

    /// Records an issue unless every line of `expected` is a line of `text`, in this order.
    private func expectLines(_ text: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        var rest = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        for line in expected {
            guard let found = rest.firstIndex(of: line) else {
                Issue.record("missing (or out of order): \(line)\n--- in ---\n\(text)", sourceLocation: sourceLocation)
                return
            }
            rest = rest[(found + 1)...]
        }
    }

    @Test func aClosedDryRunsRecordStatesTheRunItsPhasesProofsAndApprovals() throws {
        // Given a dry run closed out with both gates approved by the stub-signed demo sovereign
        let run = try closedDryRun()
        // When its record is rendered
        let record = RunRecordMarkdown.render(run, proof: proof())
        // Then it reads, section by section
        let signatures = run.decisions.map { String($0.decision.signature.prefix(16)) + "…" }
        expectLines(record, [
            "# Run r1",
            "",
            "- **Mode:** DRYRUN",
            "- **Plan:** production-cut",
            "- **Document:** release-notes-v0.6",
            "- **Target:** /tmp/pack.sqlite",
            "- **Operator:** olga",
            "- **Signing:** stub (INSECURE)",
            "- **Sovereigns:** demo (stub)",
            "- **Programme digest:** prog-digest",
            "- **Started:** 1970-01-01 00:00:01 UTC",
            "- **Ended:** 1970-01-01 00:00:23 UTC",
            "- **Outcome:** closed out",
            "",
            "## Phases",
            "",
            "| # | Phase | Status | Started (UTC) | Duration | Attempts | Note |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            "| 1 | identity_guards | done | 1970-01-01 00:00:02 | 1.0 s | 1 |  |",
            "| 6 | SG_1 | done | 1970-01-01 00:00:12 | 1.0 s | 1 |  |",
            "| 7 | backup | skipped | 1970-01-01 00:00:14 | 0 ms | 0 | dry run: nothing will be written, so no backup is taken |",
            "| 11 | sign_and_close_out | done | 1970-01-01 00:00:21 | 1.0 s | 1 |  |",
            "## Proofs",
            "| Fact | What it is | Value |",
            "| pre_counts | rows per table before the run | {\"unit\":0} |",
            "| pre_sha | SHA-256 of the target before the run | pre-sha |",
            "| document_digest | SHA-256 of the document cut | doc-digest |",
            "| candidates | units the document cuts into | 8 |",
            "| candidates_digest | SHA-256 of the candidate units | cand-digest |",
            "| post_sha | SHA-256 of the target after the run | pre-sha |",
            "| closeout_signature | the close-out's signature | stub-sha256:close |",
            "## Approvals",
            "| Gate | Decision | Signer | Provider | Verdict | Signed at (UTC) | Reason | Signature |",
            "| SG_1 | approved | demo | stub | INSECURE (stub) | 1970-01-01 00:00:12 | checked | \(signatures[0]) |",
            "| SG_2 | approved | demo | stub | INSECURE (stub) | 1970-01-01 00:00:19 | checked | \(signatures[1]) |",
            "## Kill-switch",
            "A dry run never turns the kill-switch on: it writes nothing.",
            "## Refusals",
            "None.",
            "## Journal proof",
            "- **Run events:** 23, sequence 1 to 23",
            "- **Chain:** verified intact at export: 30 events, head \(String(repeating: "ab", count: 32))",
            "- **Exported:** 1970-01-02 00:00:00 UTC",
        ])
        #expect(record.hasSuffix("UTC\n"))
        #expect(!record.contains("backup_path"), "a dry run records no backup")
    }

    @Test func aBrokenChainIsStatedInTheRecord() throws {
        let record = RunRecordMarkdown.render(try closedDryRun(), proof: proof(chain: .broken(sequence: 7, reason: "edited")))
        expectLines(record, ["- **Chain:** BROKEN at event 7 at export: edited"])
    }

    @Test func pipesAndLineBreaksInValuesAreEscapedSoTablesStayTables() throws {
        #expect(MarkdownTable.escape(#"a|b\c"#) == #"a\|b\\c"#)
        #expect(MarkdownTable.escape("one\ntwo\r\nthree") == "one<br>two<br>three")
        // Given an approval whose reason holds a pipe and a line break
        let record = RunRecordMarkdown.render(try closedDryRun(reason: "a | b\nc"), proof: proof())
        // Then its row is one line with eight cells, the reason escaped
        let row = try #require(record.split(separator: "\n").first { $0.hasPrefix("| SG_1 | approved") })
        #expect(row.contains(#"| a \| b<br>c |"#))
        let pipes = row.filter { $0 == "|" }.count
        let escapedPipes = row.components(separatedBy: #"\|"#).count - 1
        #expect(pipes - escapedPipes == 9)
    }

    @Test func aLiveRunsRecordListsTheEnablesAndTheChecklistPinnedAndEvaluated() throws {
        // Given a LIVE run with one pinned precondition, approved at SG_1 and enabled by demo
        var driver = LedgerDriver()
        let pinned = PreconditionCheck(kind: "gap", label: "GAP-3 closed", met: true, why: "recorded as closed in the programme")
        driver.send(signedStart(mode: .live, sovereigns: [demoSovereign], preconditions: [pinned]), to: "r1")
        try driver.driveToClose("r1", approver: "demo")
        let enable = TestDecisions.enable(of: driver.ledger["r1"]!, by: "demo", signedAt: 0, nonce: "n")
        #expect(driver.send(.killSwitchEnabled(enable), to: "r1") == nil)
        let run = try #require(driver.ledger["r1"])
        // When its record is rendered
        let record = RunRecordMarkdown.render(run, proof: proof())
        // Then the enable carries its verdict, and each checklist line says where it comes from
        expectLines(record, [
            "## Kill-switch",
            "| Signer | Provider | Verdict | Enabled at (UTC) |",
            "| demo | stub | INSECURE (stub) | 1970-01-01 00:00:\(driver.sequence < 10 ? "0" : "")\(driver.sequence) UTC |",
            "| Check | Met | Source | Why |",
            "| GAP-3 closed | yes | pinned | recorded as closed in the programme |",
            "| document policy | yes | evaluated | release-notes-v0.6 is not signature-critical; stub signing is allowed |",
            "| approvals present | yes | evaluated | SG_1 by demo (stub, INSECURE) |",
        ])
    }

    @Test func theJournalProofCountsTheRunsOwnEvents() {
        let events = ["a", "b", "a", "", "a", "b"].enumerated().map { index, run in
            JournalEvent(sequence: Int64(index + 1), timeMilliseconds: 0, runID: run, kind: "log", actor: "t", payload: .null,
                         previousHash: JournalEvent.genesisHash)
        }
        let proof = JournalProof(run: "b", events: events, chain: intact, exportedAt: 0)
        #expect(proof.firstSequence == 2 && proof.lastSequence == 6 && proof.runEvents == 2)
    }
}
