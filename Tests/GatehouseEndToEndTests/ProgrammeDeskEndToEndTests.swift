import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// The O5 programme walked at the terminal, in the real dashboard under tmux, from an empty
/// journal to its first LIVE cut, with the programme file as it ships (nothing edited): every
/// gap, condition, ruling and sign-off made on the Gates tab with its typed phrase.
@Suite(.serialized)
struct ProgrammeDeskEndToEndTests {
    private let programme = ProgrammeLoader.embedded()

    private func dashboard(_ sandbox: RunSandbox, as name: String) throws -> TmuxSession {
        let environment = sandbox.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]) { $1 }
        let tmux = try TmuxSession(command: "'\(Binary.path)' --as \(name); echo EXITED $?; sleep 600", width: 80, height: 24,
                                   environment: environment)
        try tmux.waitFor("1 Matrix")
        try tmux.send("2")
        try tmux.waitFor(" Gates")
        return tmux
    }

    /// Puts the Gates tab's cursor on `id` (gates, macros, policy rules, then gaps).
    private func select(_ id: String, in tmux: TmuxSession) throws {
        let rows = programme.gates.map(\.id) + programme.macros.map(\.id) + programme.policies.map(\.id) + programme.gaps.map(\.id)
        let index = try #require(rows.firstIndex(of: id))
        try tmux.send("g")
        for _ in 0..<index { try tmux.send("j") }
        try tmux.waitFor("the cursor on \(id)") { screen in screen.split(separator: "\n").contains { $0.hasPrefix(" ▶ \(id) ") } }
    }

    /// Presses `key` on `id`, types `text` if the act asks for one, then the phrase the page
    /// shows; waits for the result and closes it. Returns the result's words.
    @discardableResult
    private func act(_ key: String, on id: String, text: String? = nil, tab: Bool = false, in tmux: TmuxSession) throws -> String {
        try select(id, in: tmux)
        try tmux.send(key)
        if let text {
            try tmux.waitFor("the text field") { $0.contains("?") || $0.contains("as it was made") }
            if tab { try tmux.send("Tab") }
            try tmux.send("-l", text)
            try tmux.send("Enter")
        }
        let page = try tmux.waitFor("To sign, type")
        let phrase = try #require(page.range(of: #"To sign, type ([A-Z]+ [A-Z0-9-]+( [0-9a-f]{8})?):"#, options: .regularExpression)
            .map { String(page[$0].dropFirst("To sign, type ".count).dropLast()) })
        try tmux.send("-l", phrase)
        try tmux.send("Enter")
        // The result as words, whatever the wrapping
        let result = try tmux.waitFor("the act's result") { $0.contains("any key close") }
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(result.contains("recorded in the journal"), "\(key) on \(id):\n\(result)")
        try tmux.send("Escape")
        try tmux.waitFor(" Gates")
        return result
    }

    @Test func theO5ProgrammeIsWalkedAtTheTerminalToItsFirstLiveCut() throws {
        let sandbox = try RunSandbox(liveReady: false)
        _ = try sandbox.gatehouse(["init"])
        // The developer host's dry run, as its record, and OPT-3's post-deploy dry run (GAP-1's
        // evidence) closed out, resumed, and shown at parity with it (GATE-O7's evidence)
        var runs: [String] = []
        for _ in 0..<2 {
            let dry = try sandbox.start(["run", "--dry-run"])
            #expect(try sandbox.drive(dry) == 0)
            runs.append(try #require(try sandbox.store().ledger.newestFirst.first).id)
            #expect(try sandbox.gatehouse(["resume", runs.last!]).status == 0)
        }
        let dryRun = runs[1]
        let record = sandbox.directory + "/o4-dryrun.json"
        #expect(try sandbox.gatehouse(["export", runs[0], "--format", "json", "--output", record]).status == 0)
        let verdict = try sandbox.gatehouse(["compare", record, dryRun, "--record-verdict", "--as", "demo"])
        #expect(verdict.status == 0, "\(verdict.stdout)\(verdict.stderr)")

        let tmux = try dashboard(sandbox, as: "demo")
        defer { tmux.close() }
        let closed = try act("c", on: "GAP-1", text: "v0.6 deployed to Contabo", tab: true, in: tmux)
        #expect(closed.contains("GAP-1 closed: run \(dryRun.prefix(12)); v0.6 deployed to Contabo"), "\(closed)")
        try act("m", on: "GATE-O6", text: "command-review package at 1a2b3c", in: tmux)
        #expect(try act("a", on: "GATE-O6", in: tmux).contains("GATE-O6 is pass"))
        #expect(try act("a", on: "GATE-O7", in: tmux).contains("GATE-O7 is pass"))
        for gap in 3...8 { try act("c", on: "GAP-\(gap)", text: "fixed in v0.6.\(gap)", in: tmux) }
        try act("u", on: "GATE-O8", text: "The first live production cut may proceed on a harmless document.", in: tmux)
        #expect(try act("a", on: "GATE-O8", in: tmux).contains("GATE-O8 is pending, 1 of 2 signatures"))
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")

        // The second sovereign signs at a dashboard of their own
        let second = try dashboard(sandbox, as: "demo2")
        defer { second.close() }
        #expect(try act("a", on: "GATE-O8", in: second).contains("GATE-O8 is pass"))
        let board = try second.waitFor("GATE-O8 pass on the board") { $0.contains("GATE-O8          xhigh    pass") }
        #expect(board.contains("GATE-O6          high     pass") && board.contains("GATE-O7          high     pass"), "\(board)")

        // Then a LIVE run finds every line of its checklist green and flips with the typed phrase
        let live = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" && $0.mode == .live ? $0 : nil } }
        #expect(try sandbox.gatehouse(["approve", run.shortID, "SG_1", "--as", "demo"]).status == 0)
        _ = try sandbox.waitFor("the switch asked for") { store in store.ledger[run.id].flatMap { if case .awaitKillSwitch = $0.nextStep { true } else { nil } } }
        try second.send("3")
        try second.waitFor("run \(run.shortID)")
        try second.send("K")
        let checklist = try second.waitFor("Every precondition is met.")
        #expect(!checklist.contains("✗") && checklist.contains("(the programme's, as the journal records them now)"), "\(checklist)")
        try second.send("Enter")
        try second.send("-l", "ENABLE LIVE \(run.shortID)")
        try second.send("Enter")
        try second.waitFor("y/N")
        try second.send("y")
        try second.waitFor("kill-switch ON for run \(run.shortID)")
        try second.send("Escape")
        _ = try sandbox.waitFor("SG_2", timeout: 30) { $0.ledger[run.id].flatMap { $0.waitingGate == "SG_2" ? $0 : nil } }
        #expect(try sandbox.gatehouse(["approve", run.shortID, "SG_2", "--as", "demo"]).status == 0)
        #expect(try live.wait() == 0, "\(live.output)")
        let ledger = try sandbox.store().ledger
        #expect(ledger[run.id]?.outcome == .closed && ledger.killSwitchHolder == nil)
        #expect(try sandbox.counts() == ["document": 3, "unit": 8, "cut_marker": 1])
        try second.waitFor("SWITCH OFF")
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
        let report = try sandbox.gatehouse(["report"]).stdout
        #expect(report.contains("GATE-O8: PASS (demo, stub, #") && report.contains("; demo2, stub, #"), "\(report)")
        #expect(report.contains("| \(run.id) | LIVE |") && report.contains("enabled by demo2 at #"), "\(report)")
    }
}
