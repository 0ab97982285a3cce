import GatehouseCore
import GatehouseTestSupport
import Testing

/// Two runs of one plan are at parity when nothing but what differs between hosts by nature
/// differs; every other difference is named by its phase and field.
@Suite struct RunParityTests {
    let key = Ed25519Signing.generate()

    func side(_ id: String, host: String, document: String = "doc-digest-1", preSHA: String = "pre-sha-1",
              resume: Bool = true) throws -> ParitySide {
        var journal = ChainedJournal()
        try journal.dryRun(id, host: host, key: key, document: document, preSHA: preSHA, resume: resume)
        // As `compare` reads a record: the run its checked events fold to.
        let check = RunRecordCheck(journal.record(of: id))
        #expect(check.isClean, "\(check.problems)")
        return ParitySide(run: try #require(check.run), source: "\(host).json")
    }

    @Test func twoRunsOfOnePlanOnTwoHostsAreAtParity() throws {
        let parity = RunParity(try side("run-a", host: "alpha"), try side("run-b", host: "beta"))
        #expect(parity.differences == [])
        #expect(parity.holds)
        #expect(ParityReport.verdict(parity).hasPrefix("parity: HOLDS"))
        let expected = Set(parity.expected.map { "\($0.phase ?? "run").\($0.field)" })
        #expect(expected.isSuperset(of: ["run.run", "run.host", "identity_guards.target_id", "identity_guards.target_location"]))
        #expect(parity.phases.count == RunPlan.productionCut.phases.count)
        #expect(parity.phases.first { $0.phase == "SG_1" }.map { [$0.a, $0.b] } == ["approved", "approved"])
        #expect(!parity.phases.contains { $0.differs })
        // A LIVE run's backup file and the runbook naming it are the host's own
        #expect(Set(RunParity.expectedFields).isSuperset(of: ["backup_path", "backup_sha256", "runbook_path", "runbook_sha256"]))
        #expect(!RunParity.expectedFields.contains("backup_content_sha256"))
    }

    @Test func aChangedDocumentIsNamedByPhaseAndFact() throws {
        let parity = RunParity(try side("run-a", host: "alpha"),
                               try side("run-b", host: "beta", document: "doc-digest-2", preSHA: "pre-sha-2"))
        #expect(!parity.holds)
        let named = parity.differences.map { "\($0.phase ?? "run").\($0.field)" }
        #expect(named == [
            "pre_state_snapshot.pre_sha", "select_document.document_digest", "cut_candidates.candidates_digest",
            "verify.post_sha",
        ])
        let first = try #require(parity.differences.first)
        #expect([first.a, first.b] == ["pre-sha-1", "pre-sha-2"])
        #expect(parity.phases.filter(\.differs).map(\.phase) == ["pre_state_snapshot", "select_document", "cut_candidates", "verify"])
        let text = ParityReport.text(parity)
        #expect(text.hasPrefix("parity: DIFFERS (4 differences break it;"))
        #expect(text.contains("  pre_state_snapshot · pre_sha\n    A  pre-sha-1\n    B  pre-sha-2\n"))
    }

    @Test func theIdempotentResumeIsPartOfTheProof() throws {
        let withoutResume = RunParity(try side("run-a", host: "alpha"), try side("run-b", host: "beta", resume: false))
        #expect(withoutResume.differences.map(\.field) == ["idempotent_resume"])
        #expect(withoutResume.differences.first?.b.hasPrefix("none journaled") == true)
        // Neither has it: still no proof.
        let neither = RunParity(try side("run-a", host: "alpha", resume: false), try side("run-b", host: "beta", resume: false))
        #expect(neither.differences.map(\.field) == ["idempotent_resume"])
    }

    @Test func aTargetChangedAfterTheRunEndedBreaksTheResume() throws {
        var journal = ChainedJournal()
        try journal.dryRun("run-b", host: "beta", key: key, resume: false)
        let ended = try #require(journal.ledger["run-b"])
        let found = TargetSnapshot(counts: ["document": 4, "unit": 0], sha256: "pre-sha-changed")
        let check = ResumeCheck(of: ended, by: "ops", found: found)
        #expect(check.targetUnchanged == false)
        #expect(check.summary.contains("the target CHANGED since the run ended"))
        try journal.append(.resumeNoOp(check), run: "run-b", actor: "ops")
        let parity = RunParity(try side("run-a", host: "alpha"),
                               ParitySide(run: try #require(journal.ledger["run-b"]), source: "b"))
        #expect(parity.differences.map(\.field) == ["idempotent_resume"])
        #expect(parity.differences.first?.b == "nothing run; the target CHANGED since the run ended")
    }

    @Test func aVerdictJournaledOnTheRunReadsBackAndTravelsInItsRecord() throws {
        let parity = RunParity(try side("run-a", host: "alpha"),
                               try side("run-b", host: "beta", document: "doc-digest-2", preSHA: "pre-sha-2"))
        let check = ParityCheck(parity, by: "ops", referenceHead: "a1b2c3")
        #expect(!check.holds && check.differences == 4 && check.referenceHost == "alpha")
        #expect(check.differingFields.first == "pre_state_snapshot.pre_sha")
        #expect(check.summary.hasPrefix("DIFFERS from run run-a (alpha.json on alpha): 4 differences (pre_state_snapshot.pre_sha, "))
        var journal = ChainedJournal()
        try journal.dryRun("run-b", host: "beta", key: key)
        try journal.append(.parityChecked(check), run: "run-b", actor: "ops")
        #expect(journal.ledger["run-b"]?.parityChecks.map(\.check) == [check])
        // The record of the run carries it, and reads back to the same check
        let record = RunRecordCheck(try RunRecord(json: journal.record(of: "run-b").json))
        #expect(record.isClean, "\(record.problems)")
        #expect(record.run?.parityChecks.map(\.check) == [check])
    }

    @Test func theBuildIsComparedTheHostIsNot() throws {
        var b = try side("run-b", host: "beta")
        b.run.start.fingerprint?.commit = "2222222222222222222222222222222222222222"
        b.run.start.fingerprint?.kernel = "Linux 6.12.0 aarch64"
        let parity = RunParity(try side("run-a", host: "alpha"), b)
        #expect(parity.differences.map(\.field) == ["gatehouse"])
        #expect(parity.expected.contains { $0.field == "kernel" })
    }

    @Test func everyExpectedFieldIsDocumented() throws {
        // docs/parity.md lists the fields that do not break parity; the list here is the code's.
        #expect(RunParity.expectedFields.count == Set(RunParity.expectedFields).count)
        #expect(RunParity.expectedFields.contains("target_id"))
    }

    @Test func theJSONFormHasTheVerdictAndEveryDifference() throws {
        let parity = RunParity(try side("run-a", host: "alpha"), try side("run-b", host: "beta", preSHA: "pre-sha-2"))
        let json = ParityReport.json(parity)
        #expect(json["parity"] == .bool(false))
        #expect(json["differences"]?.arrayValue?.first?["field"] == .string("pre_sha"))
        #expect(json["differences"]?.arrayValue?.first?["phase"] == .string("pre_state_snapshot"))
        #expect(json["a"]?["fingerprint"]?["host"] == .string("alpha"))
    }
}
