import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// SIGKILL to a LIVE runner at every phase boundary and in the middle of apply, then resume:
/// every unit exists exactly once, the journal verifies, the kill-switch ends off.
@Suite(.serialized)
struct CrashEndToEndTests {
    /// Every instant the runner can be killed at, as GATEHOUSE_FAULT names it.
    static let crashPoints: [String] = {
        var points: [String] = []
        for phase in RunPlan.productionCut.phases {
            points.append("after:phase.started:\(phase.id)")
            if phase.gate == nil { points.append("after:phase.completed:\(phase.id)") }
            if phase.id == "apply" {
                points += ["apply-unit:1", "apply-unit:4", "apply-unit:8", "apply-before-commit", "apply-after-commit"]
            }
        }
        return points
    }()

    @Test(arguments: crashPoints)
    func aLiveRunKilledAtAnyInstantResumesToExactlyOneCopyOfEachUnit(point: String) throws {
        let sandbox = try RunSandbox()
        _ = try sandbox.gatehouse(["init"])
        // Given a LIVE run whose runner dies with SIGKILL at `point`
        let runner = try sandbox.start(["run", "--live"], environment: ["GATEHOUSE_FAULT": point])
        let status = try sandbox.drive(runner)
        #expect(status == 137, "the runner was not killed at \(point): exit \(status)\n\(runner.output)")
        let crashed = try sandbox.onlyRun()
        #expect(crashed.outcome == nil)

        // Then its lock is gone, and whatever the journal says the switch was, a resume turns it off
        #expect(RunnerLockFiles(journalPath: sandbox.journalPath).presence(of: crashed.id).isGone)
        let resumed = try sandbox.start(["resume", crashed.id])
        let resumedRun = try sandbox.waitFor("the resume") { store in
            store.ledger[crashed.id].flatMap { $0.runnerAttached && $0.lastSequence > crashed.lastSequence ? $0 : nil }
        }
        #expect(!resumedRun.switchOn)
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)

        // When the resumed run is driven to its end
        #expect(try sandbox.drive(resumed) == 0, "\(resumed.output)")

        // Then each unit exists exactly once, the journal verifies, and the switch is off
        let final = try #require(try sandbox.store().ledger[crashed.id])
        #expect(final.outcome == .closed)
        #expect(try sandbox.counts() == ["document": 3, "unit": 8, "cut_marker": 1])
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
        #expect(try sandbox.store().ledger.anomalies.isEmpty)
        #expect(final.facts.postCounts == ["document": 3, "unit": 8, "cut_marker": 1])
    }
}
