import GatehouseCore
import Testing

/// When the state machine lets a command plan's phase be journaled as reverted.
struct PhaseRevertRuleTests {
    @Test func aChangeIsRevertedOnceAndOnlyAfterTheRunEnded() throws {
        var ledger = RunLedger()
        let install = PlanPhase(id: "install", title: "Install", action: .command(ShellCommand(command: "./install.sh", timeoutSeconds: 5)),
                                mutates: true, revert: ShellCommand(command: "./revert.sh", timeoutSeconds: 5))
        let check = PlanPhase(id: "check", title: "Check", action: .command(ShellCommand(command: "true", timeoutSeconds: 5)), mutates: false)
        let plan = RunPlan(id: "p", title: "p", phases: [check, install])
        var sequence: Int64 = 0
        func apply(_ event: RunEvent) -> RunRefusal? {
            sequence += 1
            return ledger.apply(event, run: "r", actor: "t", sequence: sequence, time: sequence)
        }
        let reverted = RunEvent.phaseReverted(phase: "install", by: "t", succeeded: true, detail: "ok")
        #expect(apply(.started(RunStart(mode: .live, plan: plan, document: nil, target: nil, operatorName: "t", signing: "stub"))) == nil)
        #expect(apply(.phaseStarted(phase: "check")) == nil && apply(.phaseCompleted(phase: "check", facts: RunFacts())) == nil)
        // Not while the run goes on
        #expect(apply(reverted)?.message.contains("has not ended") == true)
        #expect(apply(.aborted(by: "t", reason: "stop")) == nil)
        // A phase that changes nothing, or did not complete its change, has nothing to revert
        #expect(apply(.phaseReverted(phase: "check", by: "t", succeeded: true, detail: "ok"))?.message.contains("did not complete a change") == true)
        #expect(apply(reverted)?.message.contains("did not complete a change") == true)
        #expect(ledger["r"]?.revertedPhases == [])
    }

    @Test func aCompletedChangeOfAnEndedRunIsRevertedOnce() throws {
        var ledger = RunLedger()
        let install = PlanPhase(id: "install", title: "Install", action: .command(ShellCommand(command: "./install.sh", timeoutSeconds: 5)),
                                mutates: true, revert: ShellCommand(command: "./revert.sh", timeoutSeconds: 5))
        let plan = RunPlan(id: "p", title: "p", phases: [install])
        var sequence: Int64 = 0
        func apply(_ event: RunEvent) -> RunRefusal? {
            sequence += 1
            return ledger.apply(event, run: "r", actor: "t", sequence: sequence, time: sequence)
        }
        _ = apply(.started(RunStart(mode: .dryRun, plan: plan, document: nil, target: nil, operatorName: "t", signing: "stub")))
        _ = apply(.phaseStarted(phase: "install"))
        _ = apply(.phaseCompleted(phase: "install", facts: RunFacts()))
        #expect(apply(.closed) == nil)
        let reverted = RunEvent.phaseReverted(phase: "install", by: "t", succeeded: true, detail: "ok")
        #expect(apply(reverted) == nil)
        #expect(ledger["r"]?.revertedPhases == ["install"])
        #expect(apply(reverted)?.message.contains("reverted already") == true)
        #expect(ledger["r"]?.revertedPhases == ["install"])
    }
}
