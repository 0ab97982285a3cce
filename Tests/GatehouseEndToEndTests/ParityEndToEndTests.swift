import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseBench
import GatehousePostgres
import GatehouseTestSupport
import Testing

/// OPT-3's proof through the real binary: a dry run on one "host" (an SQLite journal and
/// target) exported as a run record, the same plan on another (a PostgreSQL journal and
/// target), and `gatehouse compare` between them; a record tampered with is refused.
///
/// Needs the test server of `scripts/test.sh`; GATEHOUSE_SKIP_POSTGRES=1 skips it on purpose.
@Suite(.serialized, .enabled(if: !TestServer.skipped, "GATEHOUSE_SKIP_POSTGRES=1"))
struct ParityEndToEndTests {
    /// The second host: a PostgreSQL journal and a PostgreSQL target made by `gatehouse init`.
    private struct PostgresHost {
        let journal: PostgresScratch
        let target: ScratchDatabase
        let targetLocation: String
        var environment: [String: String] {
            ["GATEHOUSE_JOURNAL": journal.location.description, "GATEHOUSE_TARGET": targetLocation, "PGPASSWORD": TestServer.password]
        }

        func drop() {
            journal.drop()
            target.drop()
        }
    }

    private func postgresHost(_ sandbox: RunSandbox) throws -> PostgresHost {
        let journal = try scratchDatabase("parityjournal")
        let target = try TestServer.scratchDatabase("paritytarget")
        let host = PostgresHost(journal: journal, target: target, targetLocation: try target.withReadOnlyRole().description)
        let created = try sandbox.gatehouse(["init", "--target", host.targetLocation], environment: host.environment)
        #expect(created.status == 0, "\(created.stderr)")
        return host
    }

    /// A dry run on the PostgreSQL host, driven to its close-out and resumed once; its id.
    private func dryRun(on host: PostgresHost, in sandbox: RunSandbox) throws -> RunState {
        let store = try RunStore(journal: PostgresJournal(location: host.journal.location))
        let known = Set(store.ledger.newestFirst.map(\.id))
        let runner = try sandbox.start(["run", "--dry-run"], environment: host.environment)
        let deadline = Date().addingTimeInterval(60)
        while runner.exitStatus == nil {
            guard Date() < deadline else { throw E2EError("the PostgreSQL runner did not end; output:\n\(runner.output)") }
            try store.refresh()
            if let run = store.ledger.newestFirst.first(where: { !known.contains($0.id) }), case .awaitDecision(let gate) = run.nextStep {
                try? store.record(.gateApproved(TestDecisions.approval(of: run, gate: gate)), run: run.id, actor: "sovereign")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(runner.exitStatus == 0, "\(runner.output)")
        try store.refresh()
        let run = try #require(store.ledger.newestFirst.first { !known.contains($0.id) })
        let resume = try sandbox.gatehouse(["resume", run.id], environment: host.environment)
        #expect(resume.status == 0, "\(resume.stderr)")
        return run
    }

    @Test func theSamePlanOnSQLiteAndOnPostgreSQLIsAtParityUntilADocumentChanges() throws {
        let first = try RunSandbox()
        let (record, reference) = try first.referenceRecord()
        let second = try RunSandbox()
        let host = try postgresHost(second)
        defer { host.drop() }

        // Given the same documents on both hosts: the same pre-state, read by two kinds of target
        let run = try dryRun(on: host, in: second)
        #expect(run.outcome == .closed)
        #expect(run.facts.preStateSHA == reference.facts.preStateSHA)
        #expect(run.start.fingerprint?.journal == "postgresql" && reference.start.fingerprint?.journal == "sqlite")

        // When the PostgreSQL run is compared with the SQLite record
        let compare = try second.gatehouse(["compare", record, run.id], environment: host.environment)
        // Then parity holds, the hosts' own fields listed apart
        #expect(compare.status == 0, "\(compare.stdout)\n\(compare.stderr)")
        #expect(compare.stdout.hasPrefix("parity: HOLDS"), "\(compare.stdout)")
        #expect(compare.stdout.contains("journal") && compare.stdout.contains("postgresql"), "\(compare.stdout)")
        let json = try second.gatehouse(["compare", record, run.id, "--format", "json"], environment: host.environment)
        let verdict = try JSONValue.parse(json.stdout)
        #expect(verdict["parity"] == .bool(true), "\(json.stdout)")
        #expect(verdict["differences"] == .array([]))
        // And the verdict journaled on the PostgreSQL run is the evidence GATE-O7 reads
        let recorded = try second.gatehouse(["compare", record, run.id, "--record-verdict", "--as", "ops"], environment: host.environment)
        #expect(recorded.status == 0 && recorded.stderr.contains("recorded on run \(run.id): at parity with run \(reference.id)"), "\(recorded.stderr)")
        let gates = try JSONValue.parse(try second.gatehouse(["gates", "--format", "json"], environment: host.environment).stdout)
        let o7 = gates["gates"]?.arrayValue?.first { $0["id"]?.stringValue == "GATE-O7" }
        #expect(o7?["evidence"]?.arrayValue?.contains { $0.stringValue?.contains("at parity with run \(reference.id)") == true } == true,
                "\(o7?.canonical ?? "no GATE-O7")")
        // A verdict goes on a run of this journal, not on a record
        let onRecord = try second.gatehouse(["compare", run.id, record, "--record-verdict"], environment: host.environment)
        #expect(onRecord.status == 2 && onRecord.stderr.contains("must be a run of this journal"), "\(onRecord.stderr)")

        // When one document of the second target changes, and the plan is run there again
        let admin = try PostgresSession.connect(to: host.target.location, applicationName: "gatehouse-tests")
        try admin.execute("UPDATE context_pack.document SET body = body || ' Amended.' WHERE id = (SELECT min(id) FROM context_pack.document)")
        admin.close()
        let changed = try dryRun(on: host, in: second)
        #expect(changed.facts.preStateSHA != reference.facts.preStateSHA)

        // Then compare names the phase and the fact that differ, exit 1
        let differs = try second.gatehouse(["compare", record, changed.id], environment: host.environment)
        #expect(differs.status == 1, "\(differs.stdout)\n\(differs.stderr)")
        #expect(differs.stdout.hasPrefix("parity: DIFFERS"), "\(differs.stdout)")
        let report = try JSONValue.parse(try second.gatehouse(["compare", record, changed.id, "--format", "json"],
                                                                 environment: host.environment).stdout)
        guard case .array(let differences)? = report["differences"] else { throw E2EError("no differences in \(report.canonical)") }
        let named = differences.compactMap { difference -> String? in
            guard case .string(let field)? = difference["field"] else { return nil }
            if case .string(let phase)? = difference["phase"] { return "\(phase) \(field)" }
            return field
        }
        #expect(named.contains { $0.hasSuffix(" pre_sha") }, "\(named)")
        #expect(differs.stdout.contains("pre_sha"), "\(differs.stdout)")
    }

    @Test(arguments: RecordTamper.allCases)
    func aTamperedRecordFailsVerifyNamingWhatDoesNotHoldAndCompareRefusesIt(tamper: RecordTamper) throws {
        let sandbox = try RunSandbox()
        let (path, run) = try sandbox.referenceRecord()
        // Given a record file changed after it was written
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let tampered = try tamper.apply(to: text)
        #expect(tampered != text)
        try tampered.write(toFile: path, atomically: true, encoding: .utf8)
        // Then `verify --record` fails, saying what does not hold
        let verify = try sandbox.gatehouse(["verify", "--record", path])
        #expect(verify.status == 3, "\(verify.stdout)\n\(verify.stderr)")
        #expect((verify.stdout + verify.stderr).contains(tamper.named), "\(verify.stdout)\n\(verify.stderr)")
        // And compare refuses to compare it with anything
        let compare = try sandbox.gatehouse(["compare", path, run.id])
        #expect(compare.status == 2, "\(compare.stdout)\n\(compare.stderr)")
        #expect(compare.stderr.contains("refusing to compare run \(run.id)"), "\(compare.stderr)")
    }
}

/// The dashboard's side of OPT-3: `gatehouse watch --reference FILE` and `c` on the Runs tab.
@Suite(.serialized)
struct ParityDashboardEndToEndTests {
    @Test func aWatcherComparesTheRunInViewWithAReferenceRecord() throws {
        let sandbox = try RunSandbox()
        let (record, reference) = try sandbox.referenceRecord()
        // Given a second dry run of the same plan, closed out and resumed
        let runner = try sandbox.start(["run", "--dry-run"])
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        let run = try #require(try sandbox.store().ledger.newestFirst.first { $0.id != reference.id })
        #expect(try sandbox.gatehouse(["resume", run.id]).status == 0)
        // When a watcher given the first run's record picks it with c
        let environment = sandbox.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]) { $1 }
        let tmux = try TmuxSession(command: "'\(Binary.path)' watch --reference '\(record)'; echo EXITED $?; sleep 600",
                                   width: 200, height: 30, environment: environment)
        defer { tmux.close() }
        try tmux.waitFor("run \(run.shortID)")
        try tmux.send("c")
        let picker = try tmux.waitFor("Compare run \(run.shortID) with")
        #expect(picker.contains("no reference") && picker.contains(record) && picker.contains(reference.shortID), "\(picker)")
        try tmux.send("j")
        try tmux.send("Enter")
        // Then the Runs tab gives the verdict above the phases
        let screen = try tmux.waitFor("parity with run \(reference.shortID) (\(record)")
        #expect(screen.contains("HOLDS"), "\(screen)")
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }

    @Test func aReferenceThatDoesNotHoldIsRefusedBeforeTheScreenOpens() throws {
        let sandbox = try RunSandbox()
        let (record, run) = try sandbox.referenceRecord()
        let text = try String(contentsOfFile: record, encoding: .utf8)
        try RecordTamper.eventEdited.apply(to: text).write(toFile: record, atomically: true, encoding: .utf8)
        let watch = try sandbox.gatehouse(["watch", "--reference", record])
        #expect(watch.status == 2, "\(watch.stderr)")
        #expect(watch.stderr.contains("refusing the reference run \(run.id) from \(record): it does not hold"), "\(watch.stderr)")
    }
}

extension RunSandbox {
    /// The first host: a closed-out dry run on SQLite, resumed once (the idempotent resume),
    /// exported as a record file that `verify --record` finds sound.
    func referenceRecord() throws -> (record: String, run: RunState) {
        #expect(try gatehouse(["init"]).status == 0)
        let runner = try start(["run", "--dry-run"])
        #expect(try drive(runner) == 0, "\(runner.output)")
        let run = try onlyRun()
        let resume = try gatehouse(["resume", run.id])
        #expect(resume.status == 0, "\(resume.stderr)")
        let export = try gatehouse(["export", run.id, "--format", "json"])
        #expect(export.status == 0, "\(export.stderr)")
        let path = directory + "/reference.json"
        try export.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let verify = try gatehouse(["verify", "--record", path])
        #expect(verify.status == 0, "\(verify.stdout)\n\(verify.stderr)")
        #expect(verify.stdout.contains("OK"), "\(verify.stdout)")
        return (path, try onlyRun())
    }
}

/// A way a run record's file is changed after it was exported, and what `verify --record` names.
enum RecordTamper: String, CaseIterable, CustomTestStringConvertible {
    /// A fact in the dry run's verdict edited (would write more than it does).
    case eventEdited
    /// The signature of the SG_1 approval replaced by another.
    case signatureReplaced
    /// The sovereign's key as the record lists it swapped for another.
    case keySwapped

    var testDescription: String { rawValue }

    /// The words `verify --record` says it with.
    var named: String {
        switch self {
        case .eventEdited, .signatureReplaced: "does not match its hash"
        case .keySwapped: "a key was swapped"
        }
    }

    func apply(to record: String) throws -> String {
        var lines = record.components(separatedBy: "\n")
        func replaceFirst(_ old: String, with new: String, inLineContaining marker: String) throws {
            guard let index = lines.firstIndex(where: { $0.contains(marker) && $0.contains(old) }),
                  let range = lines[index].range(of: old) else {
                throw E2EError("no line of the record holds \(marker) and \(old)")
            }
            lines[index].replaceSubrange(range, with: new)
        }
        switch self {
        case .eventEdited:
            try replaceFirst("would_insert\\\":8", with: "would_insert\\\":9", inLineContaining: "would_insert")
        case .signatureReplaced:
            try replaceFirst("\\\"signature\\\":\\\"", with: "\\\"signature\\\":\\\"AAAA", inLineContaining: "gate.approved")
        case .keySwapped:
            // The O5 demo sovereign is stub-signed: its listing now claims an ed25519 key instead.
            try replaceFirst("\"provider\":\"stub\"", with: "\"provider\":\"ed25519\",\"public_key\":\"\(String(repeating: "A", count: 43))=\"",
                             inLineContaining: "\"sovereigns\"")
        }
        return lines.joined(separator: "\n")
    }
}
