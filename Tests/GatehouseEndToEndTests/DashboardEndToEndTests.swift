import Foundation
import Testing

/// The real `gatehouse` binary in a real terminal (tmux), read the way a person reads it.
@Suite(.serialized)
struct DashboardEndToEndTests {
    @Test func showsTheMatrixOpensADetailAndQuits() throws {
        let shell = try DashboardShell()
        defer { shell.close() }
        let tmux = shell.tmux

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

        // q quits with status 0, the terminal as it was and the prompt usable.
        try shell.quit()
    }

    @Test func asciiStarsUnderLangC() throws {
        let shell = try DashboardShell(lang: "C")
        defer { shell.close() }
        let tmux = shell.tmux
        let screen = try tmux.waitFor("OPT-5")
        let row = screen.split(separator: "\n").first { $0.contains("OPT-4 first live production cut") }
        #expect(row?.contains("**...   *****") == true, "screen:\n\(screen)")
        #expect(!screen.contains("★"))
        try shell.quit()
    }

    @Test func gatesTabExplainsWhyAGateIsBlocked() throws {
        let shell = try DashboardShell()
        defer { shell.close() }
        let tmux = shell.tmux
        try tmux.waitFor("OPT-5")
        try tmux.send("Tab")
        try tmux.waitFor("GATE-DEPLOY-ARCH")
        try tmux.send("j", "j", "j", "Enter")
        try tmux.waitFor("GATE-O8")
        try tmux.waitFor("gap GAP-3 is open")
        try shell.quit()
    }

    @Test func resizeRelaysTheScreenAndTooSmallAsksToEnlarge() throws {
        let shell = try DashboardShell()
        defer { shell.close() }
        let tmux = shell.tmux
        try tmux.waitFor("OPT-5")
        try tmux.resize(width: 50, height: 12)
        try tmux.waitFor("Terminal too small: 50x12.")
        try tmux.resize(width: 132, height: 40)
        // At 132 columns the text axes come into view.
        try tmux.waitFor("Reversibility")
        try shell.quit()
    }

    @Test func ctrlCRestoresTheTerminalAndExits130() throws {
        let shell = try DashboardShell()
        defer { shell.close() }
        let tmux = shell.tmux
        try tmux.waitFor("OPT-5")
        try tmux.send("C-c")
        try shell.expectExit(130)
    }

    @Test func sigtermRestoresTheTerminalAndExits143() throws {
        let shell = try DashboardShell()
        defer { shell.close() }
        let tmux = shell.tmux
        try tmux.waitFor("OPT-5")
        // The dashboard is the only child of the pane's shell.
        let wrapper = try tmux.panePID()
        let child = try #require(childPID(of: wrapper))
        kill(child, SIGTERM)
        try shell.expectExit(143)
    }

    @Test func noColorDrawsWithAttributesOnly() throws {
        let shell = try DashboardShell(environment: ["NO_COLOR": "1"])
        defer { shell.close() }
        let tmux = shell.tmux
        try tmux.waitFor("OPT-5")
        // capture-pane -e shows the escape sequences: no colour (38;5 / 48;5 / 3x / 4x) at all.
        let withEscapes = try tmuxEscapes(tmux)
        #expect(!withEscapes.contains("38;5;") && !withEscapes.contains("48;5;"))
        #expect(withEscapes.range(of: "\u{1B}\\[[0-9;]*3[0-7]m", options: .regularExpression) == nil)
        try shell.quit()
    }

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func everyThemeDrawsTheDashboard(theme: String) throws {
        let shell = try DashboardShell(arguments: "--theme \(theme)")
        defer { shell.close() }
        let tmux = shell.tmux
        try tmux.waitFor("OPT-5")
        let withEscapes = try tmuxEscapes(tmux)
        // Every theme but mono colours the header; mono uses attributes only.
        let coloured = withEscapes.range(of: "\u{1B}\\[[0-9;]*(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)[;m]", options: .regularExpression) != nil
        #expect(coloured == (theme != "mono"), "\(theme): \(withEscapes.prefix(300).debugDescription)")
        try shell.quit()
    }

    @Test(arguments: ["xterm-256color", "screen-256color", "tmux-256color", "vt100", "linux"])
    func theDashboardWorksUnderCommonTerminalTypes(term: String) throws {
        let shell = try DashboardShell(environment: ["TERM": term])
        defer { shell.close() }
        let tmux = shell.tmux
        try tmux.waitFor("OPT-5")
        try tmux.send("3")
        try tmux.waitFor("No runs in the journal yet.")
        try shell.quit()
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
