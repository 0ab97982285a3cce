import Crypto
import GatehouseCore
import GatehouseTestSupport
import Testing

/// A run record is checked on another host from what it holds alone: the chain link by link,
/// the run its events fold to, the keys it lists against those pinned, every signature.
@Suite struct RunRecordTests {
    let key = Ed25519Signing.generate()

    func journal(resume: Bool = true) throws -> ChainedJournal {
        var journal = ChainedJournal()
        try journal.dryRun("run-a", key: key, resume: resume)
        return journal
    }

    /// The events with their hashes computed again, from the first one's link on, as a forger
    /// who edits a record and makes its chain whole again would.
    func rechained(_ events: [JournalEvent]) -> [JournalEvent] {
        var previous = events.first?.previousHash ?? JournalEvent.genesisHash
        return events.map { event in
            let made = JournalEvent(sequence: event.sequence, timeMilliseconds: event.timeMilliseconds, runID: event.runID,
                                    kind: event.kind, actor: event.actor, payload: try! JSONValue.parse(event.payload),
                                    previousHash: previous)
            previous = made.hash
            return made
        }
    }

    /// `record` with the payload of its first `kind` event changed by `edit`.
    func editing(_ record: RunRecord, kind: String, _ edit: (inout JSONValue) -> Void) throws -> RunRecord {
        var record = record
        let index = try #require(record.events.firstIndex { $0.kind == kind })
        var payload = try JSONValue.parse(record.events[index].payload)
        edit(&payload)
        record.events[index].payload = payload.canonical
        return record
    }

    @Test func aRecordReadsBackAsWritten() throws {
        let record = try journal().record(of: "run-a")
        let text = record.json
        #expect(try RunRecord(json: text) == record)
        #expect(text.hasPrefix("{\"format\":\"gatehouse-run-record-v1\",\n"))
        // One event a line, so that diff and grep read it.
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("{\"actor\":") }.count == record.events.count)
    }

    @Test func aRecordOfARunHoldsOffline() throws {
        let check = RunRecordCheck(try journal().record(of: "run-a"))
        #expect(check.problems == [])
        #expect(check.isClean)
        #expect(check.audit?.verified == 2)
        #expect(check.run?.outcome == .closed)
        #expect(check.summary.contains("OK"))
    }

    @Test func anEditedEventIsNamed() throws {
        let record = try editing(try journal().record(of: "run-a"), kind: "phase.completed") { payload in
            payload = .object(["phase": .string("identity_guards"), "facts": .object(["target_id": .string("another")])])
        }
        let check = RunRecordCheck(record)
        #expect(!check.isClean)
        #expect(check.problems.first == "event 3: its content does not match its hash: the event was edited")
    }

    @Test func aReplacedSignatureFailsEvenWithTheChainMadeWhole() throws {
        let mallory = Ed25519Signing.generate()
        var record = try editing(try journal().record(of: "run-a"), kind: "gate.approved") { payload in
            guard case .object(var members) = payload, let statement = members["statement"]?.objectValue else { return }
            members["signature"] = .string(try! Ed25519Signing.sign(statement, with: mallory))
            payload = .object(members)
        }
        record.events = rechained(record.events)
        record.journalHead = JournalHead(sequence: record.events.last!.sequence, hash: record.events.last!.hash)
        let check = RunRecordCheck(record)
        #expect(check.chain == .intact(count: record.events.count, head: record.events.last!.hash))
        // The state machine refuses the decision, and so every event that followed it.
        #expect(check.problems.first == "run run-a, event 13: gate.approved journaled by alice, refused by the state machine: the decision on SG_1 of run run-a is refused: the signature does not verify against alice's key (a wrong key, or the statement was altered)")
        #expect(check.run?.outcome == nil)
    }

    @Test func aSwappedKeyInTheListIsNamed() throws {
        var record = try journal().record(of: "run-a")
        record.sovereigns[0].publicKey = Ed25519Signing.publicKeyText(Ed25519Signing.generate().publicKey)
        let check = RunRecordCheck(record)
        #expect(check.problems.count == 1)
        #expect(check.problems.first?.contains("sovereign alice with another key or provider than run.started pinned") == true)
        #expect(check.problems.first?.hasSuffix("a key was swapped") == true)
    }

    @Test func aSwappedPinnedKeyFailsEverySignature() throws {
        let mallory = Ed25519Signing.generate()
        let malloryKey = Ed25519Signing.publicKeyText(mallory.publicKey)
        var record = try editing(try journal().record(of: "run-a"), kind: "run.started") { payload in
            guard case .object(var members) = payload, case .array(var sovereigns)? = members["sovereigns"],
                  case .object(var alice) = sovereigns[0] else { return }
            alice["public_key"] = .string(malloryKey)
            sovereigns[0] = .object(alice)
            members["sovereigns"] = .array(sovereigns)
            payload = .object(members)
        }
        record.events = rechained(record.events)
        record.journalHead = JournalHead(sequence: record.events.last!.sequence, hash: record.events.last!.hash)
        record.sovereigns[0].publicKey = malloryKey
        let check = RunRecordCheck(record)
        #expect(check.problems.first?.hasPrefix("run run-a, event 13: gate.approved journaled by alice, refused by the state machine") == true)
        #expect(check.problems.first?.contains("the signature does not verify against alice's key") == true)
    }

    @Test func anEventRemovedFromTheMiddleBreaksTheChain() throws {
        var record = try journal().record(of: "run-a")
        record.events.remove(at: 5)
        let check = RunRecordCheck(record)
        #expect(check.problems.first == "event 6: expected event 6, found 7: an event is missing or out of order")
    }

    @Test func anotherRunsEventsBetweenAreCarriedSoTheChainIsWhole() throws {
        var journal = ChainedJournal()
        try journal.append(.started(RunStart(mode: .dryRun, plan: .productionCut, document: nil, target: nil,
                                             operatorName: "ops", signing: "stub")), run: "run-z", actor: "ops")
        try journal.dryRun("run-a", key: key)
        try journal.append(.aborted(by: "ops", reason: "not needed"), run: "run-z", actor: "ops")
        try journal.append(.log(phase: "verify", stream: "stdout", text: "a line after another run's event"), run: "run-a")
        try journal.append(.log(phase: "verify", stream: "stdout", text: "after the record"), run: "run-z")
        let record = journal.record(of: "run-a")
        #expect(record.events.contains { $0.runID == "run-z" })
        #expect(record.events.first?.sequence == 2)
        #expect(record.anchor == JournalHead(sequence: 1, hash: journal.events[0].hash))
        #expect(record.events.last?.runID == "run-a")
        #expect(RunRecordCheck(record).isClean)
    }

    @Test func aRecordWhoseEventsStartNoRunIsRefused() throws {
        var record = try journal().record(of: "run-a")
        record.events.removeFirst()
        #expect(RunRecordCheck(record).problems.last == "the record's events do not start run run-a (its first event must be its run.started)")
    }

    @Test func textThatIsNotARecordSaysWhatIsWrong() {
        #expect(throws: RunRecord.ReadError(message: "not a run record: no \"format\" member (expected \"gatehouse-run-record-v1\")")) {
            try RunRecord(json: "{\"run\":\"x\"}")
        }
        #expect(throws: RunRecord.ReadError(message: "a record of format \"gatehouse-run-record-v9\"; this gatehouse reads \"gatehouse-run-record-v1\"")) {
            try RunRecord(json: "{\"format\":\"gatehouse-run-record-v9\"}")
        }
        #expect(throws: RunRecord.ReadError.self) { try RunRecord(json: "[1, 2") }
    }

    @Test func aRecordsEventsMustBeObjectsGivenOnce() throws {
        let json = try journal().record(of: "run-a").json
        let head = "\"events\":["
        func reading(_ text: String) -> String {
            do { _ = try RunRecord(json: text); return "read" } catch { return error.message }
        }
        #expect(reading(json.replacingOccurrences(of: head, with: "\"events\":[], \"events\":[")).contains("duplicate member \"events\""))
        #expect(reading(json.replacingOccurrences(of: head, with: head + "7, ")) == "the record's \"events\" is missing or not an array of events")
        #expect(reading(json.replacingOccurrences(of: "\n]}", with: ", 7\n]}")).contains("event \(try journal().record(of: "run-a").events.count + 1) of the record is not an object"))
        // The same record written out again by another tool (members reordered, no new lines) reads the same
        let pretty = try JSONValue.parse(json)
        #expect(try RunRecord(json: pretty.canonical) == RunRecord(json: json))
    }

    @Test func terminalControlsInARecordAreWrittenAsEscapes() throws {
        var journal = try journal()
        try journal.append(.log(phase: "verify", stream: "stdout", text: "bell\u{7F} csi\u{9B}2J"), run: "run-a")
        let text = journal.record(of: "run-a").json
        #expect(!text.unicodeScalars.contains { $0.value == 0x7F || (0x80...0x9F).contains($0.value) })
        #expect(text.contains(#"bell\u007F csi\u009B2J"#))
        #expect(try RunRecord(json: text).events.last?.payload.contains("bell\u{7F} csi\u{9B}2J") == true)
    }
}
