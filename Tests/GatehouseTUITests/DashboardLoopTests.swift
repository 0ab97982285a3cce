import Foundation
import GatehouseCore
import GatehouseEngine
import Testing
@testable import GatehouseTUI

/// The dashboard's loop in-process: the real shell (`DashboardApp`) over an in-memory terminal,
/// a test clock and a scripted journal feed. Times are milliseconds of the test clock.
struct DashboardLoopTests {
    /// A journal feed that records when it was read and says it changed when told to.
    final class ScriptedFeed: DashboardFeed {
        let clock: ManualClock
        let changeNotice: (any ChangeNotice)?
        var store: RunStore? { nil }
        /// The clock's time at each read.
        private(set) var reads: [Int64] = []
        /// The clock's time at each read that looked at the runners' locks too.
        private(set) var looks: [Int64] = []
        /// Runs during a read (a key typed while the journal is read, say).
        var duringRead: (Int64) -> Void = { _ in }

        init(clock: ManualClock, notice: (any ChangeNotice)?) {
            self.clock = clock
            changeNotice = notice
        }

        func poll(into context: inout DashboardContext, lookingAtRunners: Bool) -> Bool {
            reads.append(clock.uptime)
            if lookingAtRunners { looks.append(clock.uptime) }
            duringRead(clock.uptime)
            changeNotice?.drain()
            return false
        }

        func reads(in range: ClosedRange<Int64>) -> [Int64] { reads.filter(range.contains) }
    }

    private let programme = ProgrammeLoader.embedded()

    /// The dashboard as `gatehouse watch` opens it, on the Runs tab.
    private func app(tab: DashboardState.Tab = .runs) -> DashboardApp {
        DashboardApp(programme: programme, theme: ThemeLoader.builtIn(ThemeLoader.monoName), useColor: false, journalPath: "/nonexistent/journal.sqlite",
                     targetPath: "/nonexistent/pack.sqlite", readOnly: true, initialTab: tab, actor: "watcher")
    }

    /// Runs the loop until the script ends it; returns the exit status.
    private func run(_ terminal: InMemoryTerminal, _ feed: ScriptedFeed, tab: DashboardState.Tab = .runs) -> Int32 {
        var feed = feed
        return app(tab: tab).run(on: terminal, feed: &feed, clock: terminal.clock.dashboardClock, glyphs: .unicode)
    }

    @Test func aBurstOfJournalChangesIsReadOnceAfterItGoesQuiet() {
        // Given a watcher idle since its first read, and a runner appending eleven events 5 ms apart
        let terminal = InMemoryTerminal()
        let feed = ScriptedFeed(clock: terminal.clock, notice: terminal.notice)
        for offset in stride(from: Int64(0), through: 50, by: 5) { terminal.schedule(.journalNotice, at: 300 + offset) }
        terminal.schedule(.key(.character("q")), at: 2_500)

        // When the loop runs
        #expect(run(terminal, feed) == 0)

        // Then the burst is read once, 20 ms after its last notice was seen (never during it),
        // besides the first read and the once-a-second reads
        #expect(feed.reads(in: 300...999) == [380])
        #expect(feed.reads(in: 0...299) == [0])
        #expect(feed.reads(in: 1_000...2_499) == [1_000, 2_000])
        #expect(!terminal.ranOutOfScript)
    }

    @Test func aBurstLongerThanTheReadIntervalIsReadAtMostEveryInterval() {
        // Given notices every 5 ms for half a second
        let terminal = InMemoryTerminal()
        let feed = ScriptedFeed(clock: terminal.clock, notice: terminal.notice)
        for offset in stride(from: Int64(0), through: 500, by: 5) { terminal.schedule(.journalNotice, at: 200 + offset) }
        terminal.schedule(.key(.character("q")), at: 900)

        #expect(run(terminal, feed) == 0)

        // Then reads during it are spaced by the interval, and the first waits at most that long
        let during = feed.reads(in: 200...720)
        #expect(during.first == 300)
        for (earlier, later) in zip(during, during.dropFirst()) {
            #expect(later - earlier >= DashboardLoop.readInterval)
        }
        #expect(during.count <= 6)
        // And the burst's end is read once it has been quiet
        #expect(feed.reads(in: 701...899).count == 1)
    }

    @Test func theRunnersLocksAreLookedAtOnceASecondAndBeforeAKeyNotWithEveryReadOfABurst() {
        // Given a runner appending for two seconds, a notice every 5 ms, and a key in the middle
        let terminal = InMemoryTerminal()
        let feed = ScriptedFeed(clock: terminal.clock, notice: terminal.notice)
        for offset in stride(from: Int64(0), through: 2_000, by: 5) { terminal.schedule(.journalNotice, at: 200 + offset) }
        terminal.schedule(.key(.character("2")), at: 1_234)
        terminal.schedule(.key(.character("q")), at: 3_000)

        #expect(run(terminal, feed) == 0)

        // Then the burst is read up to ten times a second, but the locks are looked at only on
        // the first read of each whole second, and on the read before the key
        #expect(feed.reads(in: 200...2_200).count >= 15)
        let firstOfEachSecond = Dictionary(grouping: feed.reads) { $0 / 1_000 }.values.compactMap(\.first)
        #expect(feed.looks == (firstOfEachSecond + [1_234]).sorted())
        #expect(feed.looks.count == 5)
    }

    @Test func aResizeRedrawsTheWholeScreenOnce() {
        // Given a drawn dashboard
        let terminal = InMemoryTerminal(width: 80, height: 24)
        let feed = ScriptedFeed(clock: terminal.clock, notice: terminal.notice)
        terminal.schedule(.resize(width: 100, height: 30), at: 400)
        terminal.schedule(.key(.character("q")), at: 1_500)

        // When the terminal is resized
        #expect(run(terminal, feed) == 0)

        // Then one frame follows, of the new size, drawn whole; nothing else is drawn
        #expect(terminal.frames.count == 2)
        #expect(terminal.invalidations == 1)
        #expect(terminal.frames.last?.width == 100)
        #expect(terminal.frames.last?.height == 30)
    }

    @Test func aHangUpEndsTheLoopWithSIGHUPsStatus() {
        // Given a dashboard whose terminal hangs up
        let terminal = InMemoryTerminal()
        let feed = ScriptedFeed(clock: terminal.clock, notice: terminal.notice)
        terminal.schedule(.hangUp, at: 700)

        // Then the loop ends at once with 128 + SIGHUP, without waiting for more input
        #expect(run(terminal, feed) == 128 + SIGHUP)
        #expect(!terminal.ranOutOfScript)
        #expect(terminal.clock.uptime == 700)
    }

    @Test func aTerminatingSignalEndsTheLoopWithItsStatus() {
        let terminal = InMemoryTerminal()
        let feed = ScriptedFeed(clock: terminal.clock, notice: terminal.notice)
        terminal.schedule(.signal(SIGTERM), at: 250)

        #expect(run(terminal, feed) == 128 + SIGTERM)
    }

    @Test func aKeyTypedDuringAReadIsActedOn() {
        // Given a dashboard on the Matrix tab, and a key typed while a burst is being read
        let terminal = InMemoryTerminal()
        let feed = ScriptedFeed(clock: terminal.clock, notice: terminal.notice)
        terminal.schedule(.journalNotice, at: 300)
        feed.duringRead = { time in
            if time >= 300 { terminal.schedule(.key(.character("2")), at: time) }
            if time >= 300 { feed.duringRead = { _ in } }
        }
        terminal.schedule(.key(.character("q")), at: 1_500)

        #expect(run(terminal, feed, tab: .matrix) == 0)

        // Then the key was not lost: the Gates tab is what was drawn last
        #expect(terminal.frames.count == 2)
        #expect(terminal.screenText.contains("GATE-O6"))
        #expect(!terminal.frames[0].lines.joined().contains("GATE-O6"))
    }

    @Test func anIdleDashboardDrawsOnceAndReadsOnceASecond() {
        // Given nothing happening for ten seconds
        let terminal = InMemoryTerminal()
        let feed = ScriptedFeed(clock: terminal.clock, notice: terminal.notice)
        terminal.schedule(.key(.character("q")), at: 10_000)

        #expect(run(terminal, feed) == 0)

        // Then one frame is drawn, and the journal's head is checked on each whole second
        #expect(terminal.frames.count == 1)
        #expect(feed.reads == Array(stride(from: Int64(0), through: 9_000, by: 1_000)) + [10_000])
    }

    @Test func aJournalWithoutANoticeIsReadEveryPollInterval() {
        // Given a journal that cannot notify (PostgreSQL, or none yet)
        let terminal = InMemoryTerminal()
        let feed = ScriptedFeed(clock: terminal.clock, notice: nil)
        terminal.schedule(.key(.character("q")), at: 1_000)

        #expect(run(terminal, feed) == 0)

        #expect(feed.reads == Array(stride(from: Int64(0), through: 1_000, by: Int(DashboardLoop.pollInterval))))
    }
}
