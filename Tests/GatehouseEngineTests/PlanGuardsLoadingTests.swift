import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// What a plan of commands declares beyond its commands, as a programme file writes it: the
/// identity it must find, its pre-state probe, a local tag, and each command's folder,
/// variables, files and revert; and the errors a wrong one gets.
struct PlanGuardsLoadingTests {
    private static let base = EmbeddedProgramme.o5.hasSuffix("\n") ? EmbeddedProgramme.o5 : EmbeddedProgramme.o5 + "\n"

    private func load(_ plans: String) -> Result<Programme, SourceErrors> {
        ProgrammeLoader.parse(Self.base + plans, fileName: "p.yaml")
    }

    private func errors(_ plans: String) -> [String] {
        guard case .failure(let errors) = load(plans) else { return [] }
        return errors.description.split(separator: "\n").map(String.init)
    }

    @Test func identityPreStateTagAndACommandsSettingsLoadAsWritten() throws {
        let plan = try #require(try load("""
            plans:
              - id: o6
                title: O6
                identity:
                  host: contabo
                  user: deploy
                  repository: {path: ./repo, commit: 6625f76, tag: v0.6}
                  target: {id: dot-prod, file: /etc/target-id}
                pre_state:
                  tree: /opt/dot/iu-cutter
                phases:
                  - gate: SG_1
                  - tag: {name: v0.6, message: O4 HEAD}
                  - id: install
                    run: ./install.sh --now
                    directory: deploy
                    environment: {MODE: strict}
                    paths: {DOT_TREE: ./site/tree}
                    files: [lib/common.sh]
                    revert: {run: ./revert.sh, timeout: 30}

            """).get().plan("o6"))
        #expect(plan.identity == IdentityGuards(host: "contabo", user: "deploy",
                                                repository: RepositoryGuard(path: "./repo", commit: "6625f76", tag: "v0.6"),
                                                target: TargetGuard(id: "dot-prod", file: "/etc/target-id")))
        #expect(plan.preState == .tree("/opt/dot/iu-cutter"))
        #expect(plan.phases.map(\.id) == ["identity_guards", "pre_state", "SG_1", "tag", "install"])
        #expect(plan.phase("tag")?.action == .host(.tag(LocalTag(name: "v0.6", message: "O4 HEAD"))) && plan.phase("tag")?.mutates == true)
        #expect(plan.phase("install")?.action == .command(ShellCommand(command: "./install.sh --now", timeoutSeconds: 600, directory: "deploy",
                                                                        environment: ["MODE": "strict"], paths: ["DOT_TREE": "./site/tree"],
                                                                        files: ["lib/common.sh"])))
        #expect(plan.phase("install")?.revert == ShellCommand(command: "./revert.sh", timeoutSeconds: 30))
        // The plan reads back from its journal form as it was
        #expect(RunPlan(json: plan.json) == plan)
    }

    @Test(arguments: [
        ("identity: {}", "declares nothing"),
        ("identity: {repository: {path: ., commit: XYZ}}", "7 to 64 lower-case hex digits"),
        ("pre_state: {tree: /a, command: ls}", "gives both 'command' and 'tree'"),
        ("pre_state: {}", "needs 'command'"),
    ])
    func aWrongGuardOrProbeSaysWhatIsExpected(declaration: String, words: String) {
        let found = errors("""
            plans:
              - id: o6
                title: O6
                \(declaration)
                phases:
                  - {id: a, run: ./a.sh}

            """)
        #expect(found.contains { $0.contains(words) }, "\(found)")
    }

    @Test(arguments: [
        ("- tag: v0.6", "declare identity: repository"),
        ("- {id: a, run: ./a.sh, directory: ../up}", "a folder under the programme's folder"),
        ("- {id: a, run: ./a.sh, files: [/etc/passwd]}", "must be under the programme's folder"),
        ("- {id: a, run: ./a.sh, environment: {GATEHOUSE_RUN: x}}", "set by the runner itself"),
        ("- {id: a, run: ./a.sh, environment: {1BAD: x}}", "not a variable name"),
        ("- {id: a, run: ./a.sh, environment: {A: x}, paths: {A: ./y}}", "in both 'environment' and 'paths'"),
        ("- {id: a, run: ./a.sh, gate: SG_1}", "has both 'run' and 'gate'"),
        ("- tag: -bad", "not one git accepts"),
    ])
    func aWrongPhaseSaysWhatIsExpected(phase: String, words: String) {
        let found = errors("""
            plans:
              - id: o6
                title: O6
                phases:
                  \(phase)

            """)
        #expect(found.contains { $0.contains(words) }, "\(found)")
    }
}
