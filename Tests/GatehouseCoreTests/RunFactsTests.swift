import GatehouseCore
import GatehouseTestSupport
import Testing

struct RunFactsTests {
    @Test func everyFactAndAnUnknownOneReadBackAsTheSameJSON() throws {
        // Given facts with every field set, and a fact no field has
        var facts = makeEveryFact()
        facts = RunFacts(json: facts.json.merging(["command_output_lines": .int(12)]) { $1 })
        #expect(Set(RunFacts.Field.allCases.map(\.name)).isSubset(of: facts.json.keys))

        // When they are written out and read back
        let text = JSONValue.object(facts.json).canonical
        let read = RunFacts(json: try #require(JSONValue.parse(text).objectValue))

        // Then they are the same facts, written as the same bytes
        #expect(read == facts)
        #expect(JSONValue.object(read.json).canonical == text)
        #expect(read.preStateSHA == "pre-sha" && read.candidates == 8 && read.other == ["command_output_lines": .int(12)])
    }

    @Test func aKnownFactOfAnotherTypeIsKeptAsJournaled() {
        // Given journaled facts whose values are not of their fields' types
        let members: [String: JSONValue] = [
            "candidates": .string("eight"), "pre_sha": .null, "pre_counts": .object(["unit": .string("x")]),
            "candidate_headings": .array([.string("a"), .int(1)]), "backup": .string("none"),
        ]

        // When they are read
        let facts = RunFacts(json: members)

        // Then no field holds them, as a look-up of the field's type found nothing before, and
        // they are written out as they were
        #expect(facts.candidates == nil && facts.preStateSHA == nil && facts.preCounts == nil)
        #expect(facts.candidateHeadings == nil && !facts.backupNotTaken)
        #expect(facts.value(of: .candidates) == .string("eight") && facts.value(of: .preStateSHA) == .null)
        #expect(facts.json == members)
    }

    @Test func aBackupNotTakenIsJournaledAsNull() {
        #expect(RunFacts(backupNotTaken: true).json == ["backup": .null])
        #expect(RunFacts(json: ["backup": .null]).backupNotTaken)
        #expect(RunFacts().json.isEmpty && RunFacts().isEmpty)
    }

    @Test func mergingIsTheMergeOfTheJSONObjectsLaterWinning() {
        // Given pairs of fact objects drawn from known and unknown names, with values of every type
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let earlier = makeMembers(&random), later = makeMembers(&random)

            // When the later phase's facts are merged over the earlier ones
            var facts = RunFacts(json: earlier)
            facts.merge(RunFacts(json: later))

            // Then the facts are what a dictionary merge of the two objects gives, name by name
            let expected = earlier.merging(later) { _, new in new }
            #expect(facts.json == expected)
            #expect(facts == RunFacts(json: expected))
        }
    }

    @Test func theFoldMergesEachPhasesFacts() {
        // Given a run whose phases record facts, one of them again
        var driver = LedgerDriver()
        driver.start(mode: .dryRun)
        driver.send(.phaseStarted(phase: "identity_guards"))
        driver.send(.phaseCompleted(phase: "identity_guards", facts: RunFacts(targetID: "t-1", targetSchema: 1)))
        driver.send(.phaseStarted(phase: "pre_state_snapshot"))
        driver.send(.phaseCompleted(phase: "pre_state_snapshot", facts: RunFacts(json: ["target_schema": .int(2), "x": .bool(true)])))

        // Then the run holds every fact, the later value of the one recorded twice
        let facts = driver.ledger["run-1"]!.facts
        #expect(facts.json == ["target_id": .string("t-1"), "target_schema": .int(2), "x": .bool(true)])
    }

    @Test func anOldJournalsFactsDecodeToTheSameBytes() throws {
        // Given phase.completed payloads as earlier versions journaled them (canonical text)
        let payloads = [
            #"{"facts":{"pre_counts":{"cut_marker":0,"document":3,"unit":0},"pre_sha":"3fc8040a47687a7d1f2fcea6e6717f3d8b8b6185f17fc7af48e230caa6f4907c"},"phase":"pre_state_snapshot"}"#,
            #"{"facts":{"candidate_headings":["Preamble","Highlights"],"candidates":2,"candidates_digest":"c1"},"phase":"cut_candidates"}"#,
            #"{"facts":{"backup":null},"phase":"backup"}"#,
            #"{"facts":{"dry_run":true,"inserted":0,"would_insert":8},"phase":"apply"}"#,
            #"{"facts":{"closeout_insecure":true,"closeout_provider":"stub","closeout_signature":"stub-sha256:ab","closeout_statement":{"mode":"dryrun","run":"r"}},"phase":"sign_and_close_out"}"#,
            #"{"facts":{"exit_status":0},"phase":"lint"}"#,
            #"{"facts":{},"phase":"p"}"#,
        ]
        for text in payloads {
            // When each is read as an event and written out again
            let event = try #require(RunEvent(kind: "phase.completed", payload: JSONValue.parse(text)))

            // Then it is the same bytes, so its hash in the chain is the same
            #expect(event.payload.canonical == text)
        }
        let snapshot = try #require(RunEvent(kind: "phase.completed", payload: JSONValue.parse(payloads[0])))
        guard case .phaseCompleted(_, let facts) = snapshot else { Issue.record("not a phase.completed"); return }
        #expect(facts.preCounts == ["cut_marker": 0, "document": 3, "unit": 0] && facts.preStateSHA?.hasPrefix("3fc8") == true)
    }

    @Test func boundValuesComeInTheOrderAskedUnderTheirJournalNames() {
        let facts = RunFacts(preStateSHA: "p", documentDigest: "d")
        let values = facts.values(of: [.documentDigest, .candidatesDigest, .preStateSHA])
        #expect(values.map(\.name) == ["document_digest", "pre_sha"])
        #expect(values.map(\.value) == [.string("d"), .string("p")])
    }

    // MARK: - Factories

    private func makeEveryFact() -> RunFacts {
        RunFacts(targetID: "t-1", targetLocation: "/tmp/pack.sqlite", targetSchema: 1,
                 preCounts: ["document": 3, "unit": 0], preStateSHA: "pre-sha", document: "d", documentTitle: "D",
                 documentDigest: "dd", signatureCritical: false, candidates: 8, candidatesDigest: "cd",
                 candidateHeadings: ["A", "B"], wouldInsert: 8, inserted: 0, dryRun: true, alreadyAppliedBy: "r0",
                 backupNotTaken: true, backupPath: "/b", backupSHA256: "bs", backupBytes: 4096, backupContentSHA256: "bc", backupRecipients: ["F1"], runbookPath: "/r", runbookSHA256: "rs",
                 postCounts: ["document": 3, "unit": 8], postStateSHA: "post-sha",
                 closeoutStatement: ["run": .string("r")], closeoutProvider: "stub", closeoutSignature: "sig",
                 closeoutInsecure: true, exitStatus: 0, hostName: "h", userName: "u", repositoryCommit: "c0ffee",
                 preStateReading: PreStateReading(digest: "p", files: ["a": "file 644 x"]),
                 hostStateReading: PreStateReading(digest: "q", output: "out"), tagName: "v1", tagCreated: true,
                 restoredFrom: "/b", restoredSHA256: "bs")
    }

    /// A few facts, under known and unknown names, with values of every JSON type.
    private func makeMembers(_ random: inout SplitMix64) -> [String: JSONValue] {
        let names = RunFacts.Field.allCases.map(\.name) + ["unknown", "n"]
        let values: [JSONValue] = [
            .null, .bool(true), .int(3), .int(-1), .string("s"), .array([.string("h")]), .array([.int(1)]),
            .object(["unit": .int(1)]), .object(["unit": .string("x")]), .object([:]),
        ]
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0..<6, using: &random) {
            members[names.randomElement(using: &random)!] = values.randomElement(using: &random)!
        }
        return members
    }
}
