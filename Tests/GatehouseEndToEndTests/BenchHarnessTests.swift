import Foundation
import GatehouseBench
import GatehouseTestSupport
import Testing

/// The benchmark's harness keeps working: short scenarios against the real binary give real,
/// non-zero measurements (CI never runs the whole benchmark; `bench/run.sh` does).
@Suite(.serialized)
struct BenchHarnessTests {
    @Test func theWatcherStartsInAPseudoTerminalAndItsFirstFrameIsTimed() throws {
        let bench = TerminalBench(gatehouse: Binary.path, quick: true)
        let milliseconds = try bench.firstFrame(width: 80, height: 24)
        #expect(milliseconds > 0 && milliseconds < 10_000)
    }

    @Test func anIdleWatcherIsMeasuredAndATickCostsSomeBytes() throws {
        var bench = TerminalBench(gatehouse: Binary.path, quick: true)
        bench.idleSeconds = 0.5
        bench.ticks = 2
        let wire = try bench.wireBytes(width: 80, height: 24, repaintAll: false)
        #expect(wire.firstFrame > 500 && wire.tick > 0)
        #expect(wire.idlePerSecond == 0)
    }

    @Test func theJournalAndRenderScenariosMeasureSomething() throws {
        let journal = JournalBench(quick: true)
        let replay = try journal.replay(count: 500)
        #expect(replay.readAndFold > 0 && replay.fold > 0)
        #expect(try journal.batched() > 0)
        #expect(try RenderBench(gatehouse: Binary.path, quick: true).canvasFrame() > 0)
    }

    @Test func theProgrammeScenarioFoldsItsJournalCleanlyAndMeasuresTheSignOffFlow() throws {
        var bench = ProgrammeBench(gatehouse: Binary.path, quick: true)
        bench.events = 600
        let fold = try bench.fold()
        #expect(fold.replay > 0 && fold.board > 0)
        let frames = try bench.signOffFrames()
        // a, the thirteen characters of "PASS GATE-O6 " and the digest's eight, Enter
        #expect(frames.frames == 23 && frames.flow > 0 && frames.review > frames.flow)
    }

    @Test func thePackageScenarioBuildsChecksRunsAndTimesTheRehashing() throws {
        var bench = PackageBench(gatehouse: Binary.path, quick: true)
        bench.phases = 12
        let times = try bench.measure()
        #expect(times.bytes >= 12 * 9_000)
        #expect(times.build > 0 && times.verify > 0 && times.rehash > 0 && times.run > times.rehash)
    }

    @Test(.enabled(if: !TestServer.skipped, "GATEHOUSE_SKIP_POSTGRES=1"))
    func theBackupScenarioTakesAndDrillsAnEncryptedBackupAndTheSameByHand() throws {
        var bench = BackupBench(quick: true)
        bench.megabytes = 2
        let times = try bench.measure(on: TestServer.administrator()) { _ in }
        #expect(times.packBytes > 2_000_000 && times.backupBytes > 500_000)
        #expect([times.backup, times.drill, times.byHandBackup, times.byHandDrill].allSatisfy { $0.count == 1 && $0[0] > 0 })
    }

    @Test func aScenarioThatCannotRunThrowsInsteadOfReportingZero() {
        let bench = TerminalBench(gatehouse: "/nonexistent/gatehouse", quick: true)
        #expect(throws: BenchError.self) { try bench.firstFrame(width: 80, height: 24) }
    }

    @Test func theReportMarksMissedTargets() {
        let results = [Measurement("Journal", "batches", 44_000, "events/s", target: "≥ 150,000/s", met: false),
                       Measurement("Wire bytes", "idle", 0, "B/s", target: "0 B/s", met: true)]
        let markdown = BenchReport.markdown(results, machine: "m", date: "d", commit: "c", seconds: 1)
        #expect(markdown.contains("| Journal | batches | 44000 events/s | ≥ 150,000/s | **no** |"))
        #expect(markdown.contains("Targets missed: batches"))
    }
}
