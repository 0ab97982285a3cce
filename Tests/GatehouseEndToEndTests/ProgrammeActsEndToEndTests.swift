import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// The programme walked from G3 to the first LIVE cut with the real binary's commands, on the
/// embedded O5 programme as it ships (no file edited), and what the rules refuse on the way.
@Suite(.serialized)
struct ProgrammeActsEndToEndTests {
    /// Runs `arguments` and expects `status`; returns what it printed.
    @discardableResult
    private func expect(_ sandbox: RunSandbox, _ arguments: [String], status: Int32 = 0,
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let result = try sandbox.gatehouse(arguments)
        #expect(result.status == status, "\(arguments): \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout + result.stderr
    }

    /// A dry run driven to its close-out; its id.
    private func closedDryRun(_ sandbox: RunSandbox) throws -> String {
        let runner = try sandbox.start(["run", "--dry-run"])
        #expect(try sandbox.drive(runner) == 0)
        return try #require(try sandbox.store().ledger.newestFirst.first { $0.outcome == .closed && $0.mode == .dryRun }).id
    }

    @Test func theO5ProgrammeIsWalkedToItsFirstLiveCutWithoutEditingAFile() throws {
        let sandbox = try RunSandbox(liveReady: false)
        try expect(sandbox, ["init"])
        // GAP-1 closed with a closed-out run as evidence, GATE-O6 (its condition first) and GATE-O7
        // (the dry run shown at parity with the developer host's, here a record of an earlier run)
        let reference = try closedDryRun(sandbox)
        let dry = try closedDryRun(sandbox)
        for run in [reference, dry] { try expect(sandbox, ["resume", run]) }
        let record = sandbox.directory + "/o4-dryrun.json"
        try expect(sandbox, ["export", reference, "--format", "json", "--output", record])
        #expect(try expect(sandbox, ["compare", record, dry, "--record-verdict", "--as", "demo"])
            .contains("recorded on run \(dry.prefix(12)): at parity with run \(reference.prefix(12)) (\(record) on "))
        #expect(try expect(sandbox, ["gap", "close", "GAP-1", "--as", "demo", "--run", String(dry.prefix(8))])
            .contains("GAP-1 closed by demo (evidence: run \(dry.prefix(12)))"))
        try expect(sandbox, ["condition", "met", "GATE-O6", "--as", "demo", "--evidence", "review package 1a2b3c"])
        #expect(try expect(sandbox, ["gate", "sign", "GATE-O6", "--as", "demo"]).contains("GATE-O6 is now pass"))
        try expect(sandbox, ["gate", "sign", "GATE-O7", "--as", "demo"])
        // GAP-3..8 closed, the ruling recorded from a file, GATE-O8 signed by two sovereigns
        for gap in 3...8 { try expect(sandbox, ["gap", "close", "GAP-\(gap)", "--as", "demo2", "--evidence", "fixed in v0.6.\(gap)"]) }
        let ruling = sandbox.directory + "/ruling.txt"
        try "The first live production cut may proceed on a harmless document.\n".write(toFile: ruling, atomically: true, encoding: .utf8)
        try expect(sandbox, ["ruling", "GATE-O8", "--as", "demo", "--file", ruling])
        #expect(try expect(sandbox, ["gate", "sign", "GATE-O8", "--as", "demo"]).contains("pending, 1 of 2 signatures"))
        #expect(try expect(sandbox, ["gate", "sign", "GATE-O8", "--as", "demo2"]).contains("GATE-O8 is now pass"))

        // Then the live board says so, in JSON for scripts
        let board = try JSONValue.parse(expect(sandbox, ["gates", "--format", "json"]))
        let gates = try #require(board["gates"]?.arrayValue)
        func gate(_ id: String) -> JSONValue? { gates.first { $0["id"]?.stringValue == id } }
        for id in ["G3", "GATE-O6", "GATE-O7", "GATE-O8"] { #expect(gate(id)?["status"]?.stringValue == "pass", "\(id)") }
        #expect(gate("GATE-O8")?["sign_offs"]?.arrayValue?.compactMap { $0["by"]?.stringValue } == ["demo", "demo2"])
        #expect(gate("GATE-O8")?["signatures_needed"]?.intValue == 2)

        // And a LIVE run finds every checklist line green, read from the journal, and flips
        let live = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        try expect(sandbox, ["approve", run.shortID, "SG_1", "--as", "demo"])
        let checklist = try expect(sandbox, ["killswitch", "checklist", run.shortID])
        #expect(checklist.contains("(the programme's, as the journal records them now)") && !checklist.contains("[NOT]"), "\(checklist)")
        try expect(sandbox, ["killswitch", "enable", run.shortID, "--confirm", "ENABLE LIVE \(run.shortID)", "--as", "demo"])
        _ = try sandbox.waitFor("SG_2") { $0.ledger[run.id]?.waitingGate == "SG_2" ? true : nil }
        try expect(sandbox, ["approve", run.shortID, "SG_2", "--as", "demo2"])
        #expect(try live.wait() == 0)
        let after = try sandbox.store().ledger
        #expect(after[run.id]?.outcome == .closed && after.killSwitchHolder == nil)
        #expect(try sandbox.counts() == ["document": 3, "unit": 8, "cut_marker": 1])

        // And the report shows it all: each gate's result with its signatures, the LIVE run
        let report = try expect(sandbox, ["report"])
        for line in ["G3_option_analysis: PASS (as the programme records)", "GATE-O6: PASS (demo, stub, #", "GATE-O8: PASS (demo, stub, #",
                     "; demo2, stub, #", "| \(run.id) | LIVE | production-cut of release-notes-v0.6 | closed | enabled by demo at #",
                     "| GAP-1 | yes | closed at #", "| ruling for xhigh gate GATE-O8 | yes |"] {
            #expect(report.contains(line), "\(line)\n\(report)")
        }
        let json = try JSONValue.parse(expect(sandbox, ["report", "--format", "json"]))
        #expect(json["kill_switch"]?.arrayValue?.allSatisfy { $0["met"] == .bool(true) } == true)
        #expect(json["journal"]?["chain_intact"] == .bool(true))
    }

    @Test func whatTheRulesRefuseIsJournaledWithItsReason() throws {
        let sandbox = try RunSandbox(liveReady: false)
        try expect(sandbox, ["init"])
        // Each refused, exit 6, and journaled as programme.refused with why
        try expect(sandbox, ["gate", "sign", "GATE-O6", "--as", "mallory"], status: 6)
        try expect(sandbox, ["gate", "sign", "GATE-O7", "--as", "demo"], status: 6)
        try expect(sandbox, ["gate", "sign", "GATE-O8", "--as", "demo"], status: 6)
        try expect(sandbox, ["ruling", "GATE-O6", "--as", "demo", "--text", "go"], status: 6)
        try expect(sandbox, ["gap", "reopen", "GAP-3", "--as", "demo", "--reason", "again"], status: 6)
        try expect(sandbox, ["condition", "met", "GATE-O6", "--as", "demo", "--evidence", "ok"])
        try expect(sandbox, ["gate", "sign", "GATE-O6", "--as", "demo"])
        try expect(sandbox, ["gate", "sign", "GATE-O6", "--as", "demo"], status: 6)
        let refusals = try sandbox.store().ledger.programme.book(of: "O5").refusals.map(\.refusal)
        #expect(refusals.map(\.reason).dropLast() == [
            "'mallory' is not a sovereign of the programme (sovereigns: demo, demo2)",
            "GATE-O7 is blocked: gate GATE-O6 is blocked, not pass (and 2 more)",
            "GATE-O8 is xhigh and no ruling is recorded for it (record one first: `gatehouse ruling GATE-O8`)",
            "rulings are recorded for xhigh gates; GATE-O6 is high",
            "GAP-3 is not closed (open)",
        ])
        #expect(refusals.last?.reason.hasPrefix("demo signed GATE-O6 off already (#") == true)
        #expect(refusals.map(\.by) == ["mallory", "demo", "demo", "demo", "demo", "demo"])
        // Bad input is not journaled: exit 2, nothing appended
        let before = try sandbox.store().ledger.sequence
        #expect(try expect(sandbox, ["gate", "sign", "GATE-O9", "--as", "demo"], status: 2).contains("the programme has no gate 'GATE-O9'"))
        #expect(try expect(sandbox, ["gap", "close", "GAP-1", "--as", "demo", "--run", "nope"], status: 2).contains("no run 'nope'"))
        #expect(try sandbox.store().ledger.sequence == before)
        // And the chain holds every one of them
        try expect(sandbox, ["verify"])
    }
}
