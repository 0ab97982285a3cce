import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// The `plans:` section of a programme file: shell-command phases through sovereign gates.
struct PlanLoadingTests {
    /// The O5 programme with `plans` appended; `planLine(n)` is the file line of line n of it.
    private static let base = EmbeddedProgramme.o5.hasSuffix("\n") ? EmbeddedProgramme.o5 : EmbeddedProgramme.o5 + "\n"
    private static let baseLines = base.components(separatedBy: "\n").count - 1

    private static let validPlans = """
        plans:                        # 1
          - id: deploy                # 2
            title: Deploy it          # 3
            phases:                   # 4
              - id: guards            # 5
                run: ./guards.sh      # 6
                timeout: 60           # 7
                mutates: false        # 8
              - gate: SG_1            # 9
              - id: install           # 10
                title: Install        # 11
                run: ./install.sh     # 12

        """

    private func programme(_ plans: String) -> Result<Programme, SourceErrors> {
        ProgrammeLoader.parse(Self.base + plans, fileName: "p.yaml")
    }

    private func replacing(line number: Int, with replacement: String) -> String {
        var lines = Self.validPlans.components(separatedBy: "\n")
        lines[number - 1] = replacement
        return lines.joined(separator: "\n")
    }

    private func expectError(_ plans: String, line: Int, column: Int, _ phrase: String,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        expectSingleError(programme(plans), line: Self.baseLines + line, column: column, phrase, sourceLocation: sourceLocation)
    }

    @Test func aPlanLoadsWithItsPhasesAsWritten() throws {
        let loaded = try programme(Self.validPlans).get()
        let plan = try #require(loaded.plan("deploy"))
        #expect(plan.title == "Deploy it")
        #expect(plan.phases == [
            PlanPhase(id: "guards", title: "guards", action: .command(ShellCommand(command: "./guards.sh", timeoutSeconds: 60)), mutates: false),
            PlanPhase(id: "SG_1", title: "Sovereign gate SG_1", action: .gate("SG_1"), mutates: false),
            PlanPhase(id: "install", title: "Install", action: .command(ShellCommand(command: "./install.sh", timeoutSeconds: 600)), mutates: true),
        ])
        #expect(loaded.plan(RunPlan.productionCutID) == RunPlan.productionCut)
        #expect(loaded.plan("nope") == nil)
    }

    @Test func theExampleDeployProgrammeLoads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("programmes/examples/deploy-opt2.yaml").path
        let loaded = try ProgrammeLoader.load(path: path).get()
        let plan = try #require(loaded.plan("deploy-opt2"))
        #expect(plan.phases.map(\.id) == ["preflight", "stage", "SG_1", "install", "smoke", "SG_2"])
        #expect(plan.phases.filter(\.mutates).map(\.id) == ["install"])
        #expect(plan.phase("stage") == PlanPhase(id: "stage", title: "Stage the v0.6 artifact",
                                                 action: .command(ShellCommand(command: "./deploy/stage.sh", timeoutSeconds: 120)),
                                                 mutates: false))
        #expect(plan.phase("install")?.action == .command(ShellCommand(command: "./deploy/install.sh", timeoutSeconds: 300)))
        #expect(plan.phase("SG_1") == PlanPhase(id: "SG_1", title: "Sovereign gate SG_1", action: .gate("SG_1"), mutates: false))
        #expect(loaded.plans.map(\.id) == ["deploy-opt2"])
    }

    @Test func theExampleScriptsAreExecutable() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("programmes/examples/deploy")
        for name in ["preflight.sh", "stage.sh", "install.sh", "smoke.sh"] {
            #expect(FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
    }

    @Test func aProgrammeWithoutPlansHasOnlyTheEmbeddedOne() throws {
        let loaded = try programme("").get()
        #expect(loaded.plans.isEmpty)
        #expect(loaded.plan(RunPlan.productionCutID)?.phases.count == 11)
    }

    @Test func aPlanIdIsAnIdentifier() {
        expectError(replacing(line: 2, with: "  - id: deploy now"), line: 2, column: 9,
                    "the id of a plan must be an identifier of ASCII letters, digits, '-', '_' or '.', found 'deploy now'")
    }

    @Test func aPhaseIdIsAnIdentifier() {
        expectError(replacing(line: 5, with: "      - id: \"guards!\""), line: 5, column: 13, "found 'guards!'")
    }

    @Test func aCommandPhaseMayNotTakeTheIdOfAGatePhase() {
        expectError(replacing(line: 10, with: "      - id: SG_1"), line: 10, column: 9, "duplicate phase id 'SG_1'")
    }

    @Test func aGatePhaseTakesItsIdFromItsGate() {
        expectError(replacing(line: 9, with: "      - {gate: SG_1, id: approve}"), line: 9, column: 22, "unknown key 'id'")
    }

    @Test func aTimeoutIsAWholeNumberOfSeconds() {
        expectError(replacing(line: 7, with: "        timeout: 1m"), line: 7, column: 18, "must be a whole number 1...86400, found '1m'")
        expectError(replacing(line: 7, with: "        timeout: 86401"), line: 7, column: 18, "must be 1...86400, found 86401")
    }

    @Test func plansAreAList() {
        expectError("plans: {id: deploy}\n", line: 1, column: 8, "'plans' must be a list, found a mapping")
    }

    @Test func theEmbeddedPlanIdIsReserved() {
        expectError(replacing(line: 2, with: "  - id: production-cut"), line: 2, column: 9, "reserved")
    }

    @Test func planIdsAreUnique() {
        let twice = Self.validPlans + """
              - id: deploy
                title: Again
                phases:
                  - gate: SG_2

            """
        expectError(twice, line: 13, column: 9, "duplicate plan id 'deploy'")
    }

    @Test func aPlanNeedsPhases() {
        expectError(replacing(line: 4, with: "    phases: []") .components(separatedBy: "\n").prefix(4).joined(separator: "\n") + "\n",
                    line: 4, column: 13, "has no phases")
    }

    @Test func phaseIdsAreUniqueWithinAPlan() {
        expectError(replacing(line: 10, with: "      - id: guards"), line: 10, column: 9, "duplicate phase id 'guards'")
    }

    @Test func aPhaseIsACommandOrAGateNotBothNorNeither() {
        expectError(replacing(line: 9, with: "      - {gate: SG_1, run: x}"), line: 9, column: 16, "both 'run' and 'gate'")
        expectError(replacing(line: 6, with: "        title: nothing to run"), line: 5, column: 9, "needs either 'run'")
    }

    @Test func aGatePhaseNamesADeclaredGate() {
        expectError(replacing(line: 9, with: "      - gate: SG_9"), line: 9, column: 15, "names gate 'SG_9', which is not declared")
    }

    @Test func commandsTimeoutsAndMutatesAreChecked() {
        expectError(replacing(line: 6, with: "        run: \"  \""), line: 6, column: 14, "command of phase 'guards' of plan 'deploy' is empty")
        expectError(replacing(line: 7, with: "        timeout: 0"), line: 7, column: 18, "1...86400")
        expectError(replacing(line: 8, with: "        mutates: maybe"), line: 8, column: 18, "mutates")
        expectError(replacing(line: 8, with: "        mutate: false"), line: 8, column: 9, "mutate")
    }
}
