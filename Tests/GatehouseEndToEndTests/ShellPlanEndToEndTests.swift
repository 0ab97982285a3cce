import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// A programme's own plan of shell commands (the OPT-2 deploy example) through the same gates.
@Suite(.serialized)
struct ShellPlanEndToEndTests {
    private static let programme = Binary.packageRoot.appendingPathComponent("programmes/examples/deploy-opt2.yaml").path

    @Test func aDryRunOfTheDeployPlanRunsTheCommandsInDryRunModeAndWritesNothing() throws {
        let sandbox = try RunSandbox()
        let root = sandbox.directory + "/deploy-root"
        let runner = try sandbox.start(["run", "--dry-run", "--plan", "deploy-opt2", "--programme", Self.programme],
                                       environment: ["GATEHOUSE_DEPLOY_ROOT": root])
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        let run = try sandbox.onlyRun()
        #expect(run.outcome == .closed)
        #expect(run.phases.map(\.status) == Array(repeating: .done, count: 6))
        // The scripts saw dry-run mode, and their output is in the journal
        let log = run.logTail.map(\.text)
        #expect(log.contains { $0.contains("mode dryrun") && $0.contains(run.id) })
        #expect(log.contains { $0.contains("install: dry run") })
        #expect(!FileManager.default.fileExists(atPath: root))
    }

    @Test func aLiveDeployWaitsForTheSwitchBeforeItsMutatingPhase() throws {
        let sandbox = try RunSandbox()
        let root = sandbox.directory + "/deploy-root"
        let runner = try sandbox.start(["run", "--live", "--plan", "deploy-opt2", "--programme", Self.programme],
                                       environment: ["GATEHOUSE_DEPLOY_ROOT": root])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "alice"]).status == 0)
        _ = try sandbox.waitFor("the refusal") { $0.ledger[run.id]?.refusals.first { $0.code == "live_with_switch_off" } }
        #expect(!FileManager.default.fileExists(atPath: root + "/iu-cutter/VERSION"))
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        #expect(try String(contentsOfFile: root + "/iu-cutter/VERSION", encoding: .utf8) == "v0.6\n")
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
    }

    @Test func aFailingCommandFailsItsPhaseAndTheRun() throws {
        let sandbox = try RunSandbox()
        let file = sandbox.directory + "/failing.yaml"
        try (EmbeddedProgramme.o5 + """

            plans:
              - id: broken
                title: A plan whose second phase fails
                phases:
                  - {id: ok, run: "echo fine", mutates: false}
                  - {id: bad, run: "echo oops >&2; exit 7", mutates: false}
                  - {id: never, run: "echo never", mutates: false}

            """).write(toFile: file, atomically: true, encoding: .utf8)
        let result = try sandbox.gatehouse(["run", "--dry-run", "--plan", "broken", "--programme", file])
        #expect(result.status == 4)
        let run = try sandbox.onlyRun()
        #expect(run.outcome == .failed(phase: "bad", reason: "`echo oops >&2; exit 7` exited with status 7"))
        #expect(run.phase("never")?.status == .pending)
        #expect(run.logTail.contains { $0.stream == "stderr" && $0.text == "oops" })
    }
}
