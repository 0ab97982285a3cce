import GatehouseCore
import GatehouseEngine
import Testing
@testable import GatehouseTUI

/// Issue 8, point 2, on screen: a dashboard whose journal's chain is broken says so on every
/// tab, in danger colours, instead of showing the state as trusted.
struct JournalTrustScreenTests {
    private let programme = ProgrammeLoader.embedded()
    private static let broken = ChainVerification.broken(sequence: 12, reason: "its content does not match its hash: the event was edited")

    /// A run paused at SG_1, as a ledger of a dry run would hold it.
    private func ledger() -> RunLedger {
        var ledger = RunLedger()
        let events: [RunEvent] = [
            .started(RunStart(mode: .dryRun, plan: .productionCut, document: "release-notes-v0.6", target: "/srv/pack.sqlite",
                              operatorName: "ops", signing: "stub")),
        ] + RunPlan.productionCut.phases.prefix { $0.gate == nil }.flatMap { phase -> [RunEvent] in
            [.phaseStarted(phase: phase.id), .phaseCompleted(phase: phase.id, facts: RunFacts())]
        } + [.phaseStarted(phase: "SG_1")]
        for (index, event) in events.enumerated() {
            let refusal = ledger.apply(event, run: "3f9c2a1b7d00", actor: "runner", sequence: Int64(index + 1),
                                       time: 1_779_357_600_000 + Int64(index) * 1000)
            precondition(refusal == nil, "\(event): \(refusal!)")
        }
        return ledger
    }

    private func render(_ tab: DashboardState.Tab, trust: ChainVerification?, glyphs: GlyphSet = .unicode) -> Canvas {
        let context = DashboardContext(ledger: ledger(), now: 1_779_357_660_000, journalTrust: trust)
        return DashboardView.render(programme, state: DashboardState(tab: tab), context: context, width: 80, height: 24, glyphs: glyphs)
    }

    private func row(_ canvas: Canvas, _ y: Int) -> String {
        String(canvas.text.split(separator: "\n", omittingEmptySubsequences: false)[y])
    }

    @Test func theRunsTabOfABrokenJournal() {
        assertSnapshot(render(.runs, trust: Self.broken).text, named: "runs-journal-broken")
    }

    @Test(arguments: DashboardState.Tab.allCases)
    func everyTabSaysTheJournalIsBrokenInDangerColours(tab: DashboardState.Tab) throws {
        let canvas = render(tab, trust: Self.broken)
        // The header carries the badge, in the danger role
        let header = row(canvas, 0)
        let badge = try #require(header.range(of: " JOURNAL BROKEN #12 "), "header: \(header)")
        let x = header.distance(from: header.startIndex, to: badge.lowerBound)
        #expect((x..<(x + 20)).allSatisfy { canvas[$0, 0].role == .danger })
        // And the status line says what it means and what to do, in the danger role
        let status = row(canvas, 22)
        #expect(status.hasPrefix(" JOURNAL TAMPERED at event 12: state not trusted; run `gatehouse verify`."), "status: \(status)")
        #expect(canvas[1, 22].role == .danger)
    }

    @Test func anIntactOrUncheckedJournalShowsNoWarning() {
        let intact = render(.runs, trust: .intact(count: 14, head: "ab"))
        #expect(intact == render(.runs, trust: nil))
        #expect(!intact.text.contains("JOURNAL") && !intact.text.contains("TAMPERED"))
    }

    @Test(arguments: DashboardState.Tab.allCases)
    func everyTabSaysACheckpointWasPassedOverInDangerColours(tab: DashboardState.Tab) {
        var context = DashboardContext(ledger: ledger(), now: 1_779_357_660_000, journalTrust: .intact(count: 14, head: "ab"))
        context.ignoredCheckpoints = [.sealBroken(sequence: 12)]
        let canvas = DashboardView.render(programme, state: DashboardState(tab: tab), context: context, width: 132, height: 24, glyphs: .unicode)
        let status = row(canvas, 22)
        #expect(status.hasPrefix(" WARNING: 1 checkpoint(s) of the journal not used; run `gatehouse verify`. the checkpoint at event 12 does not match"),
                "status: \(status)")
        #expect(canvas[1, 22].role == .danger)
    }

    @Test func inASCIITheWarningIsASCII() {
        let canvas = render(.matrix, trust: Self.broken, glyphs: .ascii)
        #expect(row(canvas, 0).contains("JOURNAL BROKEN #12"))
        #expect(canvas.text.unicodeScalars.allSatisfy { $0.isASCII })
    }
}
