import Foundation
import Testing

/// The real `gatehouse` binary in a real terminal (tmux), read the way a person reads it.
@Suite(.serialized)
struct DashboardEndToEndTests {
    /// Runs the dashboard inside `sh`, recording the terminal modes before and after and the
    /// exit status, so a test can tell the terminal was left exactly as it was found.
    private func startDashboard(arguments: String = "", lang: String = "C.UTF-8", width: Int = 80, height: Int = 24,
                                extra: [String: String] = [:]) throws -> (TmuxSession, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Like an interactive shell, the wrapper survives Ctrl-C (its children still get it).
        let script = """
            trap : INT; stty -g > '\(directory.path)/before'; \
            '\(Binary.path)' \(arguments); status=$?; \
            stty -g > '\(directory.path)/after'; \
            echo "EXITED $status"; sleep 600
            """
        var environment = ["LANG": lang, "LC_ALL": lang, "TERM": "xterm-256color"]
        environment.merge(extra) { $1 }
        return (try TmuxSession(command: script, width: width, height: height, environment: environment), directory)
    }

    private func expectTerminalRestored(_ directory: URL) throws {
        let before = try String(contentsOf: directory.appendingPathComponent("before"), encoding: .utf8)
        let after = try String(contentsOf: directory.appendingPathComponent("after"), encoding: .utf8)
        #expect(before == after, "terminal modes changed: before \(before) after \(after)")
        try? FileManager.default.removeItem(at: directory)
    }

    /// Presses q and expects exit status 0 with the terminal modes as they were.
    private func quitAndExpectRestored(_ tmux: TmuxSession, _ directory: URL) throws {
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
        try expectTerminalRestored(directory)
    }

    @Test func showsTheMatrixOpensADetailAndQuits() throws {
        let (tmux, directory) = try startDashboard()
        defer { tmux.close() }

        // The matrix shows every option with the seed's stars.
        let screen = try tmux.waitFor("OPT-5")
        let expectedRows = [
            ("OPT-1 release/tag local", "★★★★★   ★☆☆☆☆"),
            ("OPT-2 deploy, kill-switch off", "★★★★☆   ★★★★☆"),
            ("OPT-3 post-deploy live dry-run", "★★★★☆   ★★★★☆"),
            ("OPT-4 first live production cut", "★★☆☆☆   ★★★★★"),
            ("OPT-5 defer until real crypto", "★★★★★   ★★★☆☆"),
        ]
        for (name, stars) in expectedRows {
            let row = screen.split(separator: "\n").first { $0.contains(name) }
            #expect(row?.contains(stars) == true, "row \(name) should show \(stars); screen:\n\(screen)")
        }

        // Enter opens OPT-1's detail with its verdict.
        try tmux.send("Enter")
        try tmux.waitFor("harmless hygiene")
        try tmux.send("Escape")
        try tmux.waitFor("G3_option_analysis: PASS")

        // q quits with status 0 and the terminal as it was.
        try quitAndExpectRestored(tmux, directory)
    }

    @Test func asciiStarsUnderLangC() throws {
        let (tmux, directory) = try startDashboard(lang: "C")
        defer { tmux.close() }
        let screen = try tmux.waitFor("OPT-5")
        let row = screen.split(separator: "\n").first { $0.contains("OPT-4 first live production cut") }
        #expect(row?.contains("**...   *****") == true, "screen:\n\(screen)")
        #expect(!screen.contains("★"))
        try quitAndExpectRestored(tmux, directory)
    }

    @Test func gatesTabExplainsWhyAGateIsBlocked() throws {
        let (tmux, directory) = try startDashboard()
        defer { tmux.close() }
        try tmux.waitFor("OPT-5")
        try tmux.send("Tab")
        try tmux.waitFor("GATE-DEPLOY-ARCH")
        try tmux.send("j", "j", "j", "Enter")
        try tmux.waitFor("GATE-O8")
        try tmux.waitFor("gap GAP-3 is open")
        try quitAndExpectRestored(tmux, directory)
    }

    @Test func resizeRelaysTheScreenAndTooSmallAsksToEnlarge() throws {
        let (tmux, directory) = try startDashboard()
        defer { tmux.close() }
        try tmux.waitFor("OPT-5")
        try tmux.resize(width: 50, height: 12)
        try tmux.waitFor("Terminal too small: 50x12.")
        try tmux.resize(width: 132, height: 40)
        // At 132 columns the text axes come into view.
        try tmux.waitFor("Reversibility")
        try quitAndExpectRestored(tmux, directory)
    }

    @Test func ctrlCRestoresTheTerminalAndExits130() throws {
        let (tmux, directory) = try startDashboard()
        defer { tmux.close() }
        try tmux.waitFor("OPT-5")
        try tmux.send("C-c")
        try tmux.waitFor("EXITED 130")
        try expectTerminalRestored(directory)
    }

    @Test func sigtermRestoresTheTerminalAndExits143() throws {
        let (tmux, directory) = try startDashboard()
        defer { tmux.close() }
        try tmux.waitFor("OPT-5")
        // The dashboard is the only child of the pane's shell.
        let shell = try tmux.panePID()
        let child = try #require(childPID(of: shell))
        kill(child, SIGTERM)
        try tmux.waitFor("EXITED 143")
        try expectTerminalRestored(directory)
    }

    @Test func noColorDrawsWithAttributesOnly() throws {
        let (tmux, directory) = try startDashboard(extra: ["NO_COLOR": "1"])
        defer { tmux.close() }
        try tmux.waitFor("OPT-5")
        // capture-pane -e shows the escape sequences: no colour (38;5 / 48;5 / 3x / 4x) at all.
        let withEscapes = try tmuxEscapes(tmux)
        #expect(!withEscapes.contains("38;5;") && !withEscapes.contains("48;5;"))
        #expect(withEscapes.range(of: "\u{1B}\\[[0-9;]*3[0-7]m", options: .regularExpression) == nil)
        try quitAndExpectRestored(tmux, directory)
    }

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func everyThemeDrawsTheDashboard(theme: String) throws {
        let (tmux, directory) = try startDashboard(arguments: "--theme \(theme)")
        defer { tmux.close() }
        try tmux.waitFor("OPT-5")
        let withEscapes = try tmuxEscapes(tmux)
        // Every theme but mono colours the header; mono uses attributes only.
        let coloured = withEscapes.range(of: "\u{1B}\\[[0-9;]*(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)[;m]", options: .regularExpression) != nil
        #expect(coloured == (theme != "mono"), "\(theme): \(withEscapes.prefix(300).debugDescription)")
        try quitAndExpectRestored(tmux, directory)
    }

    @Test(arguments: ["xterm-256color", "screen-256color", "tmux-256color", "vt100", "linux"])
    func theDashboardWorksUnderCommonTerminalTypes(term: String) throws {
        let (tmux, directory) = try startDashboard(extra: ["TERM": term])
        defer { tmux.close() }
        try tmux.waitFor("OPT-5")
        try tmux.send("3")
        try tmux.waitFor("No runs in the journal yet.")
        try quitAndExpectRestored(tmux, directory)
    }

    private func tmuxEscapes(_ tmux: TmuxSession) throws -> String {
        try Spawn.run(["tmux", "-L", tmux.socket, "capture-pane", "-e", "-p", "-t", "e2e:0"]).output
    }

    /// The first child of `pid`, from /proc.
    private func childPID(of pid: Int32) -> Int32? {
        guard let children = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return nil }
        return children.split(separator: " ").first.flatMap { Int32($0) }
    }
}
