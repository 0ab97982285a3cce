import GatehouseCore
import Testing

/// The audit trail reads the journal as an auditor does: who started each run, every signed
/// decision with its verdict, every refusal and how each run ended, in journal order across runs.
struct AuditTrailTests {
    /// Runs `a` and `b` interleaved: `a` refused once and closed, `b` still waiting at SG_1.
    private func twoRuns() throws -> LedgerDriver {
        var driver = LedgerDriver()
        driver.send(signedStart(sovereigns: [demoSovereign]), to: "a")
        driver.send(signedStart(sovereigns: [demoSovereign]), to: "b")
        for phase in RunPlan.productionCut.phases.prefix(6) {
            driver.send(.phaseStarted(phase: phase.id), to: "b")
            if phase.gate == nil { driver.send(.phaseCompleted(phase: phase.id, facts: proofFacts(phase.id)), to: "b") }
        }
        driver.send(.refused(attempted: "killswitch.enabled", refusal: .switchForDryRun(run: "a")), to: "a", actor: "olga")
        try driver.driveToClose("a", approver: "demo", reason: "checked")
        return driver
    }

    @Test func aRunsEntriesAreItsStartDecisionsRefusalsAndEndingInJournalOrder() throws {
        let driver = try twoRuns()
        let entries = AuditTrail.entries(of: driver.ledger["a"]!)
        #expect(entries.map(\.kind) == ["run.started", "run.refused", "gate.approved", "gate.approved", "run.closed"])
        #expect(entries.map(\.sequence) == entries.map(\.sequence).sorted())
        #expect(entries[0].actor == "olga" && entries[0].detail == "DRYRUN production-cut of release-notes-v0.6")
        #expect(entries[1].actor == "olga" && entries[1].detail.hasPrefix("killswitch.enabled switch_for_dry_run: "))
        #expect(entries[2].actor == "demo" && entries[2].detail == "SG_1: checked")
        #expect(entries[2].provider == "stub" && entries[2].verdict == .insecure)
        #expect(entries[4].detail == "closed out" && entries[4].verdict == nil)
    }

    @Test func theWholeTrailInterleavesRunsByJournalOrder() throws {
        let driver = try twoRuns()
        let entries = AuditTrail.entries(driver.ledger)
        #expect(entries.map(\.run) == ["a", "b", "a", "a", "a", "a"])
        #expect(entries.map(\.sequence) == entries.map(\.sequence).sorted())
    }
}
