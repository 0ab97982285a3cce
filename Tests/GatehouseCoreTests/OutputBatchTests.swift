import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

/// A phase's command output journaled in batches: the lines a reader sees, every byte kept,
/// and the audit of each stream.
struct OutputBatchTests {
    /// `bytes` cut into batches at `cuts` (offsets into it), as a runner makes them.
    private static func batches(_ bytes: [UInt8], cutAt cuts: [Int], phase: String = "apply", stream: String = "stdout") -> [OutputBatch] {
        var digest = OutputDigest()
        let bounds = [0] + cuts.filter { $0 > 0 && $0 < bytes.count }.sorted() + [bytes.count]
        return zip(bounds, bounds.dropFirst()).enumerated().map { index, range in
            let piece = Array(bytes[range.0..<range.1])
            let offset = digest.count
            digest.add(piece)
            return OutputBatch(phase: phase, stream: stream, offset: offset, bytes: piece, sha256: digest.hex,
                               isLast: index == bounds.count - 2)
        }
    }

    /// A journal holding one started run and `batches` as its output.
    private static func journal(_ batches: [OutputBatch]) throws -> ChainedJournal {
        var journal = ChainedJournal()
        let plan = RunPlan(id: "p", title: "P", phases: [PlanPhase(id: "apply", title: "Apply", action: .command(ShellCommand(command: "x", timeoutSeconds: 60)), mutates: false)])
        try journal.append(.started(RunStart(mode: .dryRun, plan: plan, document: nil, target: nil, operatorName: "ops", signing: "stub")), run: "r", actor: "ops")
        try journal.append(.phaseStarted(phase: "apply"), run: "r")
        for batch in batches { try journal.append(.output(batch), run: "r") }
        return journal
    }

    private static func lines(_ bytes: [UInt8]) -> [String] {
        var splitter = OutputLineSplitter()
        var lines: [String] = []
        splitter.append(bytes[...]) { lines.append(OutputLineSplitter.text($0)) }
        splitter.finish { lines.append(OutputLineSplitter.text($0)) }
        return lines
    }

    @Test func aLineWrittenAcrossTwoBatchesIsOneLineOfTheTail() throws {
        let bytes = Array("first\nsecond half-".utf8) + Array("way\r\nlast without newline".utf8)
        let journal = try Self.journal(Self.batches(bytes, cutAt: [18]))
        let run = try #require(journal.ledger["r"])
        #expect(run.logTail.map(\.text) == ["first", "second half-way", "last without newline"])
        #expect(run.logCount == 3)
        #expect(run.outputLines.unfinished.isEmpty, "the stream's last batch ends its last line")
    }

    @Test func aLineNotYetEndedWaitsForTheNextBatch() throws {
        let journal = try Self.journal([OutputBatch(phase: "apply", stream: "stdout", offset: 0, bytes: Array("one\ntw".utf8),
                                                    sha256: "-", isLast: false)])
        let run = try #require(journal.ledger["r"])
        #expect(run.logTail.map(\.text) == ["one"])
        #expect(run.outputLines.unfinished[OutputStreamID(phase: "apply", stream: "stdout")]?.pending == Array("tw".utf8))
    }

    @Test(arguments: 0..<8)
    func theLinesOfABatchedStreamAreTheLinesOfTheWholeStream(seed: Int) throws {
        var random = SplitMix64(seed: 0x0B47_C4ED, case: seed)
        let pieces: [[UInt8]] = [Array("ok\n".utf8), Array("crlf\r\n".utf8), [0xFF, 0xFE, 0x0A], Array("é✓\n".utf8),
                                 Array("\u{1B}[31mred\u{1B}[0m\n".utf8), [0x0A], Array(repeating: 0x61, count: 5000) + [0x0A],
                                 Array("no newline ".utf8), [0xE2, 0x9C], [0x0D]]
        var bytes: [UInt8] = []
        for _ in 0..<(50 + Int(random.next() % 200)) { bytes += pieces[Int(random.next() % UInt64(pieces.count))] }
        let cuts = (0..<Int(random.next() % 12)).map { _ in Int(random.next() % UInt64(bytes.count)) }
        let whole = Self.lines(bytes)
        let run = try #require(try Self.journal(Self.batches(bytes, cutAt: cuts)).ledger["r"])
        #expect(run.logCount == whole.count)
        #expect(run.logTail.map(\.text) == Array(whole.suffix(RunState.logTailLimit)))
    }

    @Test func aLongLineWithoutANewlineKeepsOnlyALinesCutOfItOpen() throws {
        let bytes = Array(repeating: UInt8(ascii: "x"), count: 1_000_000)
        var batches = Self.batches(bytes, cutAt: Array(stride(from: 65_536, to: 1_000_000, by: 65_536)))
        batches[batches.count - 1].isLast = false
        let run = try #require(try Self.journal(batches).ledger["r"])
        #expect(run.outputLines.unfinished.values.allSatisfy { $0.pending.count <= OutputLineSplitter.maximumLineBytes + 1 })
        #expect(run.logCount == 1_000_000 / OutputLineSplitter.maximumLineBytes, "the pieces of the line so far")
    }

    @Test func aStreamStartingAgainDropsTheHalfLineItsEarlierRunLeft() throws {
        var batches = Self.batches(Array("done\nhalf".utf8), cutAt: [])
        batches[0].isLast = false
        batches += Self.batches(Array("again\n".utf8), cutAt: [])
        let run = try #require(try Self.journal(batches).ledger["r"])
        #expect(run.logTail.map(\.text) == ["done", "again"])
    }

    @Test func everyByteComesBackFromTheJournalUTF8AsTextTheRestAsBase64() throws {
        for bytes in [Array("tab\there \"quoted\" \\ \u{1B}]0;title\u{07} é\n".utf8), [0x80, 0xFF, 0x00, 0x0A, 0xC3]] {
            let batch = Self.batches(bytes, cutAt: [])[0]
            let journaled = batch.json
            #expect((journaled["text"] != nil) == (String(validating: bytes, as: UTF8.self) != nil))
            let parsed = try JSONValue.parse(journaled.canonical)
            #expect(RunEvent(kind: "output", payload: parsed) == .output(batch))
        }
    }

    @Test func aWholeStreamPassesTheAudit() throws {
        let bytes = Array((0..<2000).map { "line \($0)\n" }.joined().utf8)
        let journal = try Self.journal(Self.batches(bytes, cutAt: [100, 5000, 9000]))
        var audit = OutputAudit()
        journal.events.forEach { audit.add($0) }
        #expect(audit.problems.isEmpty)
        #expect(audit.summary == "output: 4 batches, \(bytes.count) bytes, every stream whole")
    }

    @Test func aMissingBatchIsNamed() throws {
        var batches = Self.batches(Array(repeating: 0x41, count: 300), cutAt: [100, 200])
        batches.remove(at: 1)
        var audit = OutputAudit()
        try Self.journal(batches).events.forEach { audit.add($0) }
        #expect(audit.problems.map(\.sequence) == [4])
        #expect(audit.problems.first?.text.contains("resumes at byte 200, but its batches so far hold 100 bytes: a batch is missing or out of order") == true)
    }

    @Test func bytesThatAreNotWhatTheDigestSaysAreNamed() throws {
        var batches = Self.batches(Array("one\ntwo\nthree\n".utf8), cutAt: [4, 8])
        batches[1].bytes = Array("TWO\n".utf8)
        var audit = OutputAudit()
        try Self.journal(batches).events.forEach { audit.add($0) }
        #expect(audit.problems.map(\.sequence) == [4], "the altered batch, and not the intact one after it again")
        #expect(audit.problems.first?.text.contains("its bytes are not what the runner read") == true)
    }
}
