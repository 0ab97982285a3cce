import Foundation
import Testing

/// Issue 8, point 4: terminals as operators have them — resized a thousand times, 20x6, with
/// a TERM that cannot draw, under LANG=C — and after every case the terminal as it was and
/// the shell's prompt usable.
@Suite(.serialized)
struct TerminalEndToEndTests {
    /// A journal with one closed dry run in it, and the environment that points at it.
    private func journalWithARun() throws -> RunSandbox {
        let sandbox = try RunSandbox()
        let runner = try sandbox.start(["run", "--dry-run"])
        #expect(try sandbox.drive(runner) == 0)
        return sandbox
    }

    // MARK: - Resizes

    /// tmux merges resizes that come quickly before passing them on to the program in a pane,
    /// so the storm sets the pane's terminal size itself, as tmux does: TIOCSWINSZ on the
    /// pane's terminal, each one a SIGWINCH to the dashboard.
    @Test func aThousandResizesInTwoSecondsLeaveTheScreenOfTheFinalSize() throws {
        let final = (width: 100, height: 30)
        // Given the reference: the dashboard started afresh at the final size
        let reference = try DashboardShell(width: final.width, height: final.height)
        defer { reference.close() }
        let expected = try reference.tmux.waitFor("OPT-5")
        try reference.quit()

        // When a dashboard at 80x24 is resized 1,000 times in 2 s, through sizes from 20x6 (too
        // small) to 200x60, then its window is resized to the final size
        let shell = try DashboardShell()
        defer { shell.close() }
        try shell.tmux.waitFor("OPT-5")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-resizes-\(UUID().uuidString).out").path
        defer { unlink(output) }
        try shell.tmux.recordOutput(to: output)
        let tty = open(try shell.tmux.paneTTY(), O_RDWR | O_NOCTTY)
        #expect(tty >= 0, "cannot open the pane's terminal: \(String(cString: strerror(errno)))")
        defer { close(tty) }
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ range: ClosedRange<Int>) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
        let resizes = 1000
        var failed = 0
        let started = Date()
        for index in 0..<resizes {
            let due = started.addingTimeInterval(Double(index) * 2.0 / Double(resizes))
            if due > Date() { Thread.sleep(until: due) }
            var size = winsize(ws_row: UInt16(next(6...60)), ws_col: UInt16(next(20...200)), ws_xpixel: 0, ws_ypixel: 0)
            if ioctl(tty, UInt(TIOCSWINSZ), &size) != 0 { failed += 1 }
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(failed == 0)
        try shell.tmux.resize(width: final.width, height: final.height)

        // Then it settles on exactly the screen a fresh start at the final size draws
        try shell.tmux.waitFor("the screen of a fresh start at \(final.width)x\(final.height)", timeout: 15) { $0 == expected }
        try shell.tmux.stopRecording()
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: output))) ?? Data()
        let redraws = bytes.split(separator: 0x1B, omittingEmptySubsequences: false).filter { $0.starts(with: Array("[2J".utf8)) }.count
        print("""
            Terminal resizes: \(resizes) resizes in \(String(format: "%.2f", seconds)) s, sizes from 20x6 to 200x60, then the window to \(final.width)x\(final.height)
              the dashboard cleared and redrew the whole screen \(redraws) times (\(bytes.count) bytes) and settled on the screen of a fresh start at \(final.width)x\(final.height)
            """)
        // And it still answers keys, and quits leaving the terminal as it was
        try shell.tmux.send("Tab")
        try shell.tmux.waitFor("GATE-DEPLOY-ARCH")
        try shell.quit()
    }

    @Test func aTwentyBySixWindowSaysItIsTooSmallAndQQuits() throws {
        let shell = try DashboardShell(width: 20, height: 6)
        defer { shell.close() }
        let screen = try shell.tmux.waitFor("q quits.")
        let lines = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Array(lines.prefix(5)) == ["Terminal too small:", "20x6.", "Enlarge to 60x16 or", "more.", "q quits."], "\(screen)")
        try shell.quit()
    }

    // MARK: - Terminal types that cannot draw

    @Test(arguments: ["dumb", "no-such-term"])
    func aTermThatCannotDrawGetsTheStatusInsteadAndExits1(term: String) throws {
        let sandbox = try journalWithARun()
        let run = try sandbox.onlyRun()
        // Wide enough that no line wraps.
        let shell = try DashboardShell(width: 220, height: 24, environment: sandbox.environment.merging(["TERM": term]) { $1 })
        defer { shell.close() }
        // Then it says why, naming the TERM, then prints the runs as `gatehouse status` does
        let screen = try shell.tmux.waitFor("EXITED 1")
        #expect(screen.contains("gatehouse: cannot open the dashboard: ") && screen.contains(term == "dumb" ? "TERM='dumb' cannot draw a full screen" : "TERM='no-such-term' is unknown to ncurses"),
                "\(screen)")
        #expect(screen.contains("gatehouse: here is `gatehouse status` instead"), "\(screen)")
        let status = try sandbox.gatehouse(["status"])
        #expect(status.status == 0)
        for line in status.stdout.split(separator: "\n") {
            #expect(screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == line.trimmingCharacters(in: .whitespaces) },
                    "missing status line '\(line)':\n\(screen)")
        }
        #expect(screen.contains(run.id) && screen.contains("closed"))
        try shell.expectExit(1)
    }

    @Test func aTermThatCannotDrawWithNoJournalSaysThereIsNone() throws {
        let shell = try DashboardShell(width: 220, height: 24, environment: ["TERM": "dumb", "GATEHOUSE_JOURNAL": "/nonexistent/journal.sqlite"])
        defer { shell.close() }
        let screen = try shell.tmux.waitFor("EXITED 1")
        #expect(screen.contains("TERM='dumb' cannot draw a full screen") && screen.contains("no journal at /nonexistent/journal.sqlite"), "\(screen)")
        try shell.expectExit(1)
    }

    // MARK: - LANG=C

    @Test func underLangCEveryScreenIsPlainASCII() throws {
        let sandbox = try journalWithARun()
        let shell = try DashboardShell(lang: "C", environment: sandbox.environment)
        defer { shell.close() }
        // Every tab, a detail page, a gate's reasons and the help, as a person would page through them
        let visits: [(keys: [String], shows: String)] = [
            ([], "OPT-5"), (["Enter"], "harmless hygiene"), (["Escape", "Tab"], "GATE-DEPLOY-ARCH"),
            (["j", "j", "j", "Enter"], "Every requirement is met"), (["Escape", "3"], "+ 1  identity_guards    done"), (["l"], "1 run in the journal"),
            (["Escape", "4"], "nothing waits for a sovereign"), (["5"], "SG_1"), (["?"], "close help"),
        ]
        var cells = 0
        var foreignCount = 0
        for visit in visits {
            if !visit.keys.isEmpty { try shell.tmux.send(visit.keys) }
            // The Runs tab is read once its status line is drawn too (a capture can be half a frame).
            let screen = visit.shows.contains("identity_guards")
                ? try shell.tmux.waitFor("the Runs tab drawn whole") { $0.contains(visit.shows) && $0.contains("following the newest run") }
                : try shell.tmux.waitFor(visit.shows)
            let foreign = screen.unicodeScalars.filter { !$0.isASCII }
            cells += screen.unicodeScalars.filter { $0 != "\n" }.count
            foreignCount += foreign.count
            #expect(foreign.isEmpty, "after \(visit.keys): non-ASCII \(String(String.UnicodeScalarView(foreign)).debugDescription) on\n\(screen)")
            // ncurses shows a byte it cannot print in this locale as M-x or ~x
            #expect(screen.range(of: "M-[^ ]|~@", options: .regularExpression) == nil, "after \(visit.keys): mojibake on\n\(screen)")
            // A character the locale cannot show is folded to ASCII, not dropped (ncurses would
            // leave a blank): the run's line and the status line join their parts with " . ".
            if visit.shows.contains("identity_guards") {
                #expect(screen.contains("DRYRUN  production-cut . release-notes-v0.6 . tester"), "\(screen)")
                #expect(screen.contains("following the newest run . "), "\(screen)")
            }
        }
        print("LANG=C: \(visits.count) screens read (\(cells) characters), \(foreignCount) not ASCII")
        try shell.tmux.send("Escape")
        try shell.quit()
    }
}

extension TmuxSession {
    /// Types each of `keys`.
    func send(_ keys: [String]) throws {
        for key in keys { try send(key) }
    }
}
