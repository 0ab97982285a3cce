import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing

/// Auditing through the real binary: `verify` checks every signature as well as the chain,
/// and `export` writes a run's record as Markdown.
@Suite(.serialized)
struct AuditEndToEndTests {
    /// A sandbox with one dry run driven to its close-out by the demo (stub) sovereign.
    private func closedDryRun() throws -> (RunSandbox, RunState) {
        let sandbox = try RunSandbox()
        #expect(try sandbox.gatehouse(["init"]).status == 0)
        let runner = try sandbox.start(["run", "--dry-run"])
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        return (sandbox, try sandbox.onlyRun())
    }

    @Test func verifyChecksTheChainAndEverySignature() throws {
        let (sandbox, _) = try closedDryRun()
        let verify = try sandbox.gatehouse(["verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("\(sandbox.journalPath): OK, "))
        #expect(verify.stdout.hasSuffix("; signatures: 2 checked (0 verified, 2 stub INSECURE, 0 unsigned), 0 failed\n"))
    }

    @Test func exportWritesTheRunsRecordAsMarkdown() throws {
        let (sandbox, run) = try closedDryRun()
        // When the run is exported by a prefix of its id
        let export = try sandbox.gatehouse(["export", run.shortID, "--format", "markdown"])
        #expect(export.status == 0, "\(export.stderr)")
        // Then the record has the run, its phases, both approvals with their verdicts, and the journal proof
        let record = export.stdout
        #expect(record.hasPrefix("# Run \(run.id)\n"))
        #expect(record.contains("- **Outcome:** closed out"))
        #expect(record.contains("| # | Phase | Status | Started (UTC) | Duration | Attempts | Note |"))
        #expect(record.contains("| 11 | sign_and_close_out | done | "))
        for gate in ["SG_1", "SG_2"] {
            #expect(record.contains("| \(gate) | approved | demo | stub | INSECURE (stub) | "), "\(gate)")
        }
        #expect(record.contains("| pre_sha | SHA-256 of the target before the run | \(run.facts.preStateSHA ?? "?") |"))
        #expect(record.contains("- **Run events:** "))
        #expect(record.contains("- **Chain:** verified intact at export: "))
    }

    @Test func exportToAFileNeverOverwritesWithoutForce() throws {
        let (sandbox, run) = try closedDryRun()
        let file = sandbox.directory + "/record.md"
        let first = try sandbox.gatehouse(["export", run.id, "--format", "markdown", "--output", file])
        #expect(first.status == 0 && first.stdout == "wrote the record of run \(run.id) to \(file)\n", "\(first.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("# Run \(run.id)\n"))
        // When the file exists
        try "keep me".write(toFile: file, atomically: true, encoding: .utf8)
        let again = try sandbox.gatehouse(["export", run.id, "--format", "markdown", "--output", file])
        // Then it is left alone unless --force
        #expect(again.status == 2 && again.stderr.contains("already exists; give --force to overwrite it"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
        #expect(try sandbox.gatehouse(["export", run.id, "--format", "markdown", "--output", file, "--force"]).status == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("# Run \(run.id)\n"))
    }

    @Test func exportRefusesAnUnknownRunOrFormat() throws {
        let (sandbox, run) = try closedDryRun()
        let unknown = try sandbox.gatehouse(["export", "nosuchrun", "--format", "markdown"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no run 'nosuchrun' in the journal"))
        let format = try sandbox.gatehouse(["export", run.id, "--format", "pdf"])
        #expect(format.status == 64 && format.stderr.contains("markdown"), "\(format.stderr)")
    }

    @Test func verifyNamesAJournaledApprovalWhoseSignatureDoesNotHold() throws {
        let sandbox = try RunSandbox()
        #expect(try sandbox.gatehouse(["init"]).status == 0)
        let runner = try sandbox.start(["run", "--dry-run"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        // Given an approval in demo's name with a forged stub signature, appended with a correct chain
        let forged = RunEvent.gateApproved(try TestDecisions.approval(of: run, gate: "SG_1", by: "demo", nonce: "forged",
                                                                      signer: .forged(signature: "stub-sha256:forged")))
        let event = try SQLiteJournal(path: sandbox.journalPath)
            .append(JournalEntry(runID: run.id, kind: forged.kind, actor: "mallory", payload: forged.payload))
        // And the run then approved properly and closed out
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        // When the journal is verified
        let verify = try sandbox.gatehouse(["verify"])
        // Then the chain is intact, but the forged event is named and the exit status is 3
        #expect(verify.status == 3)
        #expect(verify.stdout.contains(": OK, ") && verify.stdout.contains("0 failed; 1 event refused by the state machine"), "\(verify.stdout)")
        #expect(verify.stderr.contains("run \(run.id), event \(event.sequence): gate.approved journaled by mallory, refused by the state machine: "), "\(verify.stderr)")
        #expect(verify.stderr.contains("does not verify against demo's key"), "\(verify.stderr)")
    }
}
