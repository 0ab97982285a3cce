import GatehouseCore
import GatehouseTestSupport
import Testing

/// A programme may require a LIVE run's backup to prove it restores before the gate after
/// it: SG_2 is then approved only once the last drill of that backup passed. Rejecting never waits.
struct BackupDrillRequirementTests {
    /// A LIVE run that took its backup `/b/run-1.sqlite`, applied, and waits at SG_2 (or,
    /// without the requirement, went past it: the driver approves each gate it meets).
    private func waitingAtSG2(drillRequired: Bool) -> LedgerDriver {
        var driver = LedgerDriver()
        driver.send(.started(RunStart(mode: .live, plan: .productionCut, document: "d", target: "/tmp/pack.sqlite", operatorName: "ops",
                                      signing: "stub", backupDrillRequired: drillRequired)))
        driver.advance(to: "backup")
        driver.send(.killSwitchEnabled(by: "sovereign"))
        driver.send(.phaseStarted(phase: "backup"))
        driver.send(.phaseCompleted(phase: "backup", facts: RunFacts(backupPath: "/b/run-1.sqlite", backupSHA256: "b")))
        driver.advance(to: "sign_and_close_out")
        return driver
    }

    private func drill(_ backup: String = "/b/run-1.sqlite", holds content: String?) -> RunEvent {
        .restoreDrilled(RestoreDrill(by: "ops", backup: backup, contentSHA256: content, expectedSHA256: "pre", detail: "unreadable"))
    }

    @Test func sg2WaitsForAPassingDrillOfTheBackup() throws {
        var driver = waitingAtSG2(drillRequired: true)
        #expect(driver.ledger["run-1"]?.waitingGate == "SG_2")
        let refusal = driver.send(.gateApproved(decision("SG_2")))
        let undrilled = try #require(refusal)
        #expect(undrilled.code == "backup_not_drilled")
        #expect(undrilled.message.contains("it has not been drilled") && undrilled.message.contains("gatehouse restore run-1 --drill"))
        driver.send(drill(holds: "other"))
        #expect(driver.send(.gateApproved(decision("SG_2")))?.message.contains("the last drill FAILED") == true)
        driver.send(drill("/b/elsewhere.sqlite", holds: "pre"))
        #expect(driver.send(.gateApproved(decision("SG_2")))?.code == "backup_not_drilled")
        driver.send(drill(holds: "pre"))
        driver.send(drill(holds: nil))
        #expect(driver.send(.gateApproved(decision("SG_2")))?.message.contains("the last drill FAILED: unreadable") == true)
        driver.send(drill(holds: "pre"))
        #expect(driver.send(.gateApproved(decision("SG_2"))) == nil)
    }

    @Test func rejectingOrARunWithoutTheRequirementDoesNotWait() {
        var required = waitingAtSG2(drillRequired: true)
        #expect(required.send(.gateRejected(decision("SG_2"))) == nil)
        // Without it, the driver's approval of SG_2 on its way was accepted at once.
        let free = waitingAtSG2(drillRequired: false)
        #expect(free.ledger["run-1"]?.phase("SG_2")?.status == .done)
    }

    @Test func theRequirementIsPinnedInTheStartEvent() {
        let start = RunStart(mode: .live, plan: .productionCut, document: "d", target: nil, operatorName: "o", signing: "stub",
                             backupDrillRequired: true)
        #expect(start.backupDrillRequired)
        let event = RunEvent.started(start)
        #expect(RunEvent(kind: event.kind, payload: event.payload) == event)
        let plain = RunEvent.started(RunStart(mode: .live, plan: .productionCut, document: "d", target: nil, operatorName: "o", signing: "stub"))
        #expect(plain.payload.canonical.contains("backup_drill_required") == false)
    }
}
