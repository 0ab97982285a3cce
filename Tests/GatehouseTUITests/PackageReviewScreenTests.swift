import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing
@testable import GatehouseTUI

/// SG_1's review page of a run of a command-review package: the package digest, then every
/// command with the digest of each file it runs, scrolled with the arrow keys above the prompt.
struct PackageReviewScreenTests {
    private let programme = ProgrammeLoader.embedded()
    private static let start: Int64 = 1_779_357_600_000
    private static let run = "7be2c01d9a44"

    private func ledger() -> RunLedger {
        func command(_ line: String, _ files: [String]) -> PhaseAction {
            .command(ShellCommand(command: line, timeoutSeconds: 60, files: files))
        }
        let plan = RunPlan(id: "o6-deploy", title: "O6 deploy", phases: [
            PlanPhase(id: "identity_guards", title: "Identity guards", action: .host(.identityGuards), mutates: false),
            PlanPhase(id: "pre_state", title: "Pre-state probe", action: .host(.preState), mutates: false),
            PlanPhase(id: "preflight", title: "Preflight", action: command("./o6/preflight.sh", ["o6/preflight.sh"]), mutates: false),
            PlanPhase(id: "SG_1", title: "Sovereign gate SG_1", action: .gate("SG_1"), mutates: false),
            PlanPhase(id: "tag", title: "Tag", action: .host(.tag(LocalTag(name: "v0.6.0-O4-live-dryrun", message: "m"))), mutates: true),
            PlanPhase(id: "install", title: "Install", action: command("./o6/install.sh", ["o6/artifact/VERSION", "o6/install.sh"]),
                      mutates: true, revert: ShellCommand(command: "./o6/revert.sh", timeoutSeconds: 60, files: ["o6/revert.sh"])),
            PlanPhase(id: "smoke", title: "Smoke", action: command("./o6/smoke.sh", ["o6/smoke.sh"]), mutates: false),
            PlanPhase(id: "SG_2", title: "Sovereign gate SG_2", action: .gate("SG_2"), mutates: false),
        ], identity: IdentityGuards(repository: RepositoryGuard(path: "/srv/orchestrator", commit: String(repeating: "6", count: 40))),
           preState: .tree("/opt/incomex/dot/iu-cutter"))
        let files = ["o6/artifact/VERSION", "o6/install.sh", "o6/preflight.sh", "o6/revert.sh", "o6/smoke.sh"].enumerated().map { index, path in
            PackagedFile(path: path, size: 100, sha256: String(repeating: String(index + 1), count: 64), executable: true)
        }
        let pin = PackagePin(digest: String(repeating: "ab", count: 32), source: "/home/ops/o6.pkg", files: files)
        var ledger = RunLedger()
        var sequence: Int64 = 0
        func send(_ event: RunEvent) {
            sequence += 1
            let refusal = ledger.apply(event, run: Self.run, actor: "runner", sequence: sequence, time: Self.start + sequence * 1000)
            precondition(refusal == nil, "\(event): \(refusal!)")
        }
        send(.started(RunStart(mode: .live, plan: plan, document: nil, target: nil, operatorName: "ops", signing: "stub",
                               directory: "/var/lib/gatehouse/journal.sqlite.runners/7be2c01d9a44.package",
                               sovereigns: [Sovereign(name: "demo", provider: "stub", publicKey: nil, gates: ["SG_1", "SG_2"])],
                               package: pin)))
        let reading = PreStateReading(digest: "f23dfb26b3774b1b2a5e3c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f", files: [:])
        for (phase, facts) in [("identity_guards", RunFacts(repositoryCommit: String(repeating: "6", count: 40))),
                               ("pre_state", RunFacts(preStateSHA: reading.digest, preStateReading: reading)), ("preflight", RunFacts(exitStatus: 0))] {
            send(.phaseStarted(phase: phase))
            send(.phaseCompleted(phase: phase, facts: facts))
        }
        send(.phaseStarted(phase: "SG_1"))
        return ledger
    }

    private func render(_ ledger: RunLedger, _ state: DashboardState) -> String {
        DashboardView.render(programme, state: state, context: DashboardContext(ledger: ledger, now: Self.start + 60_000, signer: "demo"),
                             width: 80, height: 24, glyphs: .unicode).text
    }

    @Test func theReviewShowsThePackageDigestAndItsCommandsAboveThePrompt() {
        let ledger = ledger()
        var state = DashboardState(tab: .approvals)
        _ = state.handle(.enter, programme: programme, context: DashboardContext(ledger: ledger, now: Self.start + 60_000, signer: "demo"))
        assertSnapshot(render(ledger, state), named: "approvals-review-package")
    }

    @Test func theArrowKeysScrollTheCommandsAndTheHeadingAndPromptStay() {
        let ledger = ledger()
        let context = DashboardContext(ledger: ledger, now: Self.start + 60_000, signer: "demo")
        var state = DashboardState(tab: .approvals)
        _ = state.handle(.enter, programme: programme, context: context)
        for _ in 0..<6 { _ = state.handle(.up, programme: programme, context: context) }
        assertSnapshot(render(ledger, state), named: "approvals-review-package-scrolled")
        // Scrolling is bounded at both ends, and the keys still sign
        for _ in 0..<100 { _ = state.handle(.up, programme: programme, context: context) }
        let top = render(ledger, state)
        #expect(top.contains("Review SG_1 of run 7be2c01d9a44") && top.contains("Mode"))
        _ = state.handle(.end, programme: programme, context: context)
        #expect(render(ledger, state) == render(ledger, { var fresh = DashboardState(tab: .approvals); _ = fresh.handle(.enter, programme: programme, context: context); return fresh }()))
        _ = state.handle(.character("a"), programme: programme, context: context)
        #expect(state.flow?.step == .phrase)
    }
}
