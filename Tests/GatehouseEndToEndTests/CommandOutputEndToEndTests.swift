import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// A chatty command phase: its output journaled in batches, every byte of it back out of the
/// journal and out of its exported record, its lines shown inert.
@Suite(.serialized)
struct CommandOutputEndToEndTests {
    /// What the phase's command writes: escapes, invalid UTF-8, 100,000 short lines, a line
    /// longer than the cut, a last line without a newline, and a line on stderr.
    private static let script = #"""
        printf 'caf\303\251 \377\376 \033]0;owned\007\033[31mred\033[0m\r\n'
        seq 1 100000
        head -c 10000 /dev/zero | tr '\0' z
        printf '\nlast line without newline'
        echo 'a warning' >&2
        """#

    /// A sandbox whose programme has a plan of one phase running the script, and the bytes the
    /// script writes to a file when run by hand.
    private static func chattyRun() throws -> (RunSandbox, RunState, expected: [UInt8]) {
        let sandbox = try RunSandbox()
        try script.write(toFile: sandbox.directory + "/chatty.sh", atomically: true, encoding: .utf8)
        let file = sandbox.directory + "/chatty.yaml"
        try (EmbeddedProgramme.o5 + """

            plans:
              - id: chatty
                title: A plan whose phase prints a lot
                phases:
                  - {id: talk, run: "sh chatty.sh", mutates: false}

            """).write(toFile: file, atomically: true, encoding: .utf8)
        let result = try sandbox.gatehouse(["run", "--dry-run", "--plan", "chatty", "--programme", file])
        #expect(result.status == 0, "\(result.stderr)")
        let byHand = Process()
        byHand.executableURL = URL(fileURLWithPath: "/bin/sh")
        byHand.arguments = ["-c", "sh chatty.sh > expected.out 2>/dev/null"]
        byHand.currentDirectoryURL = URL(fileURLWithPath: sandbox.directory)
        try byHand.run()
        byHand.waitUntilExit()
        let expected = try Array(Data(contentsOf: URL(fileURLWithPath: sandbox.directory + "/expected.out")))
        return (sandbox, try sandbox.onlyRun(), expected)
    }

    @Test func theFullOutputOfAPhaseComesBackByteForByte() throws {
        let (sandbox, run, expected) = try Self.chattyRun()
        #expect(expected.count > 590_000)
        let stdout = try Binary.runForBytes(["log", run.id, "--output", "--phase", "talk", "--stream", "stdout"],
                                            environment: sandbox.environment)
        #expect(stdout.status == 0, "\(stdout.stderr)")
        #expect(stdout.stdout == expected, "the output as the command wrote it, escapes and invalid UTF-8 included")
        let stderr = try sandbox.gatehouse(["log", run.id, "--output", "--stream", "stderr"])
        #expect(stderr.stdout == "a warning\n")
        // Batches, not an event a line: the chain grows with time, not with lines.
        let events = try sandbox.store().journal.events(after: 0)
        #expect(events.filter { $0.kind == "output" }.count < 100)
        #expect(!events.contains { $0.kind == "log" })
    }

    @Test func theExportedRecordHoldsEveryByteAndEachStreamIsCheckedWhole() throws {
        let (sandbox, run, expected) = try Self.chattyRun()
        let path = sandbox.directory + "/record.json"
        #expect(try sandbox.gatehouse(["export", run.id, "--format", "json", "--output", path]).status == 0)
        let record = try RunRecord(json: String(contentsOfFile: path, encoding: .utf8))
        let batches = record.events.compactMap(OutputBatch.init)
        #expect(batches.filter { $0.stream == "stdout" }.flatMap(\.bytes) == expected)
        let verify = try sandbox.gatehouse(["verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("bytes, every stream whole"), "\(verify.stdout)")
        let offline = try sandbox.gatehouse(["verify", "--record", path])
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(offline.stdout.contains("output: \(batches.count) batches, \(expected.count + 10) bytes, every stream whole"), "\(offline.stdout)")
    }

    @Test func theLogShowsEveryLineInertTheLongOneInPieces() throws {
        let (sandbox, run, _) = try Self.chattyRun()
        let log = try sandbox.gatehouse(["log", run.id])
        #expect(log.status == 0)
        let lines = log.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasSuffix("talk | caf\u{E9} \u{FFFD}\u{FFFD} ␛]0;owned␇␛[31mred␛[0m") }, "escapes shown inert, bad bytes replaced")
        #expect(lines.filter { $0.contains("  output  talk | ") }.count == 1 + 100_000 + 3 + 1,
                "a line per line written: the 10,000-byte line in three pieces")
        #expect(lines.contains { $0.hasSuffix("talk | 100000") })
        #expect(lines.contains { $0.hasSuffix("talk | last line without newline") })
        #expect(lines.contains { $0.hasSuffix("talk ! a warning") })
        #expect(!log.stdout.contains("\u{1B}"))
        #expect(run.logCount == 1 + 100_000 + 3 + 1 + 1)
        #expect(run.logTail.last?.text == "a warning" || run.logTail.last?.text == "last line without newline")
    }
}
