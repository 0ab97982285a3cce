import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing
@testable import GatehouseTUI

/// A run whose runner is gone, on every screen that shows the run: in the danger colour, with
/// what to do; a runner alive or not looked at changes nothing.
struct RunnerGoneScreensTests {
    private let programme = ProgrammeLoader.embedded()
    /// 2026-05-21 10:00:00 UTC.
    private static let start: Int64 = 1_779_357_600_000
    private static let run = "3f9c2a1b7d00"
    private static let demo = Sovereign(name: "demo", provider: "stub", publicKey: nil, gates: ["SG_1", "SG_2"])
    private static let runner = RunnerIdentity(host: "ops-1", pid: 4242)

    /// A dry run waiting at SG_1 (and, when `recordedLost`, whose runner the journal says lost).
    private func ledger(recordedLost: Bool = false) -> RunLedger {
        var ledger = RunLedger()
        var events: [RunEvent] = [.started(RunStart(mode: .dryRun, plan: .productionCut, document: "release-notes-v0.6", target: nil,
                                                   operatorName: "ops", signing: "stub", sovereigns: [Self.demo]))]
        for phase in RunPlan.productionCut.phases.prefix(5) {
            events += [.phaseStarted(phase: phase.id), .phaseCompleted(phase: phase.id, facts: RunFacts())]
        }
        events.append(.phaseStarted(phase: "SG_1"))
        if recordedLost { events.append(.runnerLost(reason: "its runner process is gone (crashed or killed) without recording it")) }
        for (index, event) in events.enumerated() {
            let refusal = ledger.apply(event, run: Self.run, actor: "runner", sequence: Int64(index + 1), time: Self.start + Int64(index) * 1000)
            precondition(refusal == nil, "\(event): \(refusal!)")
        }
        return ledger
    }

    private func render(_ ledger: RunLedger, _ state: DashboardState, runner: RunnerPresence?, readOnly: Bool = true) -> Canvas {
        let context = DashboardContext(ledger: ledger, now: Self.start + 60_000, readOnly: readOnly, signer: "demo",
                                       runners: runner.map { [Self.run: $0] } ?? [:])
        return DashboardView.render(programme, state: state, context: context, width: 80, height: 24, glyphs: .unicode)
    }

    /// The role of the first cell of `text` on the canvas.
    private func role(of text: String, in canvas: Canvas) throws -> Role {
        let lines = canvas.text.components(separatedBy: "\n")
        let row = try #require(lines.firstIndex { $0.contains(text) }, "no \(text) in\n\(canvas.text)")
        let column = lines[row].distance(from: lines[row].startIndex, to: lines[row].range(of: text)!.lowerBound)
        return canvas[column, row].role
    }

    @Test func theRunsTabSaysTheRunnerIsGoneAndHowToResume() throws {
        let canvas = render(ledger(), DashboardState(tab: .runs), runner: .gone(Self.runner))
        assertSnapshot(canvas.text, named: "runs-runner-gone-sg1")
        #expect(try role(of: "Runner gone at SG_1: nothing moves until resumed", in: canvas) == .danger)
        #expect(canvas.text.contains("gatehouse resume 3f9c2a1b"))
        #expect(try role(of: "RUNNER GONE", in: canvas) == .danger)
    }

    @Test func aRunTheJournalSaysLostIsGoneWithoutLooking() throws {
        let canvas = render(ledger(recordedLost: true), DashboardState(tab: .runs), runner: nil)
        #expect(try role(of: "Runner gone at SG_1", in: canvas) == .danger)
        #expect(canvas.text.contains("RUNNER GONE"))
    }

    @Test func aLiveRunnerOrOneNotLookedAtShowsTheGateAsBefore() {
        for runner in [RunnerPresence.alive(Self.runner), nil] {
            let text = render(ledger(), DashboardState(tab: .runs), runner: runner).text
            #expect(text.contains("Waiting for SG_1") && !text.contains("RUNNER GONE") && !text.contains("Runner gone"))
        }
    }

    @Test func aRunnerOnAnotherHostIsShownAsNotVisibleNotAsGone() {
        let text = render(ledger(), DashboardState(tab: .runs), runner: .unknown(RunnerIdentity(host: "ops-2", pid: 7))).text
        #expect(text.contains("Waiting for SG_1") && text.contains("runner pid 7@ops-2: not visible from here"))
        #expect(!text.contains("RUNNER GONE"))
    }

    @Test func theRunListMarksTheRunGone() throws {
        var state = DashboardState(tab: .runs)
        state.runListOpen = true
        let canvas = render(ledger(), state, runner: .gone(nil))
        // The cursor row is painted as the selection; the status line under it says it in the danger colour
        #expect(canvas.text.contains("release-notes-v0.6   RUNNER GONE at SG_1"))
        #expect(try role(of: "1 run in the journal · 1 runner gone: `gatehouse resume RUN`", in: canvas) == .danger)
    }

    @Test func theApprovalsTabStillListsTheGateAndSaysTheRunnerIsGone() throws {
        let canvas = render(ledger(recordedLost: true), DashboardState(tab: .approvals), runner: .gone(nil))
        assertSnapshot(canvas.text, named: "approvals-runner-gone")
        #expect(canvas.text.contains("waiting 49s  runner gone"))
        #expect(try role(of: "runner of 3f9c2a1b gone: a decision waits for `gatehouse resume 3f9c2a1b`", in: canvas) == .danger)
    }

    @Test func theReviewPageSaysNothingHappensUntilTheRunIsResumed() throws {
        var state = DashboardState(tab: .approvals)
        state.flow = SignFlow(runID: Self.run, purpose: .decide(gate: "SG_1"))
        let canvas = render(ledger(recordedLost: true), state, runner: .gone(nil), readOnly: false)
        assertSnapshot(canvas.text, named: "approvals-review-runner-gone")
        #expect(try role(of: "GONE: the decision is recorded", in: canvas) == .danger)
    }

    @Test func aWatcherDoesNotSayItSignsAsAnyone() {
        let watcher = render(ledger(), DashboardState(tab: .approvals), runner: nil, readOnly: true).text
        #expect(!watcher.contains("signing as"))
        #expect(watcher.contains("read-only: sign with `gatehouse approve`"))
        #expect(render(ledger(), DashboardState(tab: .approvals), runner: nil, readOnly: false).text.contains("signing as demo"))
    }
}
