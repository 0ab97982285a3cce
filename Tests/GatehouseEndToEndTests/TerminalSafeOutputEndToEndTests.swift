import Foundation
import GatehouseBench
import GatehouseCore
import GatehouseEngine
import Testing

/// Recorded text that holds escape sequences (a command's output, an operator's name, a reason
/// typed at a gate, a programme's title), read back by every command that prints it, on a real
/// pseudo-terminal: nothing but tab and newline (and the terminal's own CR before each LF)
/// reaches it, and the sequences read as what they are.
@Suite(.serialized)
struct TerminalSafeOutputEndToEndTests {
    /// A window-title change, a colour, a carriage return and erase-line over the line, a
    /// clipboard write (OSC 52 ended by ST), a C1 CSI, a right-to-left override.
    static let hostile = "\u{1B}]0;owned\u{07}\u{1B}[31mred\u{1B}[0m\r\u{1B}[2Kforged\u{1B}]52;c;cGF5bG9hZA==\u{1B}\\\u{9B}1m\u{202E}txt"

    /// A programme whose plan's command prints ``hostile`` (printf writes the bytes), and waits at SG_1.
    private static func hostileProgramme(in sandbox: RunSandbox) throws -> String {
        let file = sandbox.directory + "/hostile.yaml"
        let printf = #"printf '\033]0;owned\007\033[31mred\033[0m\r\033[2Kforged\033]52;c;cGF5bG9hZA==\033\\\302\2331m\342\200\256txt\n'"#
        try (EmbeddedProgramme.o5 + """

            plans:
              - id: hostile
                title: A plan whose command writes escape sequences
                phases:
                  - {id: say, run: "\(printf.replacingOccurrences(of: "\\", with: "\\\\"))", mutates: false}
                  - gate: SG_1
                  - {id: after, run: "echo after", mutates: false}

            """).write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Runs `gatehouse arguments` on a pseudo-terminal of its own until it exits; what reached the terminal.
    private func onTerminal(_ sandbox: RunSandbox, _ arguments: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment.merging(sandbox.environment) { $1 }
        environment.merge(["TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]) { $1 }
        let terminal = try PseudoTerminal([Binary.path] + arguments, environment: environment, width: 200, height: 50)
        terminal.read(for: 30)
        return String(decoding: terminal.output, as: UTF8.self)
    }

    /// Expects nothing in `output` a terminal would act on, and the hostile text shown inert.
    private func expectInert(_ output: String, showing: [String] = ["␛]0;owned␇"], _ command: String,
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        // The terminal's line discipline writes CR LF for each LF: that CR is the terminal's own;
        // a progress line rewrites itself with CR and erase-line (its text inert like the rest)
        let text = output.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r\u{1B}[K", with: "\n")
        let controls = text.unicodeScalars.filter { TerminalText.isControl($0) && $0 != "\n" && $0 != "\t" }
        #expect(controls.isEmpty, "\(command) sent \(controls.map { String($0.value, radix: 16) }) to the terminal:\n\(text)",
                sourceLocation: sourceLocation)
        for shown in showing {
            #expect(text.contains(shown), "\(command) did not show \(shown):\n\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyCommandThatPrintsRecordedTextShowsItInert() throws {
        let sandbox = try RunSandbox()
        let programme = try Self.hostileProgramme(in: sandbox)
        let name = "ops\u{1B}[2J"
        // The runner prints its command's output as it comes
        let runner = try sandbox.start(["run", "--dry-run", "--plan", "hostile", "--programme", programme, "--as", name])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(run.logTail.contains { $0.text.contains("\u{1B}]0;owned\u{07}") }, "the journal keeps the bytes as they were")
        let reason = "no\u{1B}]52;c;cGF5bG9hZA==\u{07}\u{202E}pe"
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "demo", "--reject", "--reason", reason]).status == 0)
        _ = try runner.wait()
        #expect(runner.output.contains("no␛]52;c;cGF5bG9hZA==␇<U+202E>pe") && !runner.output.contains("\u{1B}"),
                "a runner's output is inert wherever it goes: \(runner.output)")

        expectInert(try onTerminal(sandbox, ["log", run.id]), showing: ["␛]0;owned␇␛[31mred␛[0m␍␛[2Kforged", "<U+009B>1m<U+202E>txt",
                                                                         "no␛]52;c;cGF5bG9hZA==␇<U+202E>pe", "ops␛[2J"], "log")
        expectInert(try onTerminal(sandbox, ["status"]), showing: ["rejected at SG_1"], "status")
        expectInert(try onTerminal(sandbox, ["status", run.id]), showing: ["operator ops␛[2J"], "status RUN")
        let json = try onTerminal(sandbox, ["status", run.id, "--format", "json"])
        expectInert(json, showing: [#""operator":"ops\u001b[2J""#, #"\u001b]52;c;cGF5bG9hZA==\u0007\u202epe"#], "status --format json")
        expectInert(try onTerminal(sandbox, ["export", run.id, "--format", "markdown"]),
                    showing: ["ops␛[2J", "␛]52;c;cGF5bG9hZA==␇<U+202E>pe"], "export")
        expectInert(try onTerminal(sandbox, ["verify"]), showing: [], "verify")

        // --raw gives the bytes as recorded, for a pipe
        let raw = try sandbox.gatehouse(["log", run.id, "--raw"]).stdout
        #expect(raw.contains("\u{1B}]0;owned\u{07}\u{1B}[31mred") && raw.contains(reason))
    }

    @Test func theRunnerShowsTheReasonOfARejectionInertOnItsTerminal() throws {
        let sandbox = try RunSandbox()
        let programme = try Self.hostileProgramme(in: sandbox)
        // A run on a terminal of its own, rejected at SG_1 by a second process with a hostile reason
        let terminal = try onTerminalUntilRejected(sandbox, ["run", "--dry-run", "--plan", "hostile", "--programme", programme],
                                                   reason: "no\u{1B}[1A\u{1B}[2Kapproved\u{07}")
        expectInert(terminal, showing: ["rejected at SG_1 by demo: no␛[1A␛[2Kapproved␇"], "run")
    }

    /// Starts `arguments` on a pseudo-terminal, rejects the run at SG_1 with `reason` when it
    /// gets there, and returns what reached the terminal by the time the run ended.
    private func onTerminalUntilRejected(_ sandbox: RunSandbox, _ arguments: [String], reason: String) throws -> String {
        var environment = ProcessInfo.processInfo.environment.merging(sandbox.environment) { $1 }
        environment.merge(["TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]) { $1 }
        let terminal = try PseudoTerminal([Binary.path] + arguments, environment: environment, width: 200, height: 50)
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        #expect(try sandbox.gatehouse(["approve", run.id, "SG_1", "--as", "demo", "--reject", "--reason", reason]).status == 0)
        terminal.read(for: 30)
        return String(decoding: terminal.output, as: UTF8.self)
    }

    @Test func aProgrammeWhoseTextHoldsControlsIsRefusedAndTheErrorIsInert() throws {
        let sandbox = try RunSandbox()
        let file = sandbox.directory + "/titled.yaml"
        // The title holds an escape sequence and a right-to-left override (written as YAML escapes)
        let titled = EmbeddedProgramme.o5.replacingOccurrences(
            of: "\n  title: O5 Release / Live-Production Planning\n", with: "\n  title: \"\\e]0;owned\\a\\u202Eevil\"\n")
        #expect(titled != EmbeddedProgramme.o5)
        try titled.write(toFile: file, atomically: true, encoding: .utf8)
        for command in [["check", file], ["matrix", "--programme", file], ["gates", "--programme", file]] {
            let result = try sandbox.gatehouse(command)
            #expect(result.status == 2, "\(command): \(result.stdout)")
            #expect(result.stderr.contains("titled.yaml:") && result.stderr.contains("holds U+001B (escape)"), "\(command): \(result.stderr)")
            expectInert(try onTerminal(sandbox, command), showing: ["control characters and bidirectional overrides are not allowed"],
                        command.joined(separator: " "))
        }
    }
}
