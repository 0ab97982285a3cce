import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres
import GatehouseTestSupport
import Testing

/// The real binary against a real PostgreSQL target: `init --target postgres://…`, a dry run
/// that provably writes nothing, a LIVE run that writes each unit once, and a server that is
/// not there or refuses the password.
@Suite(.serialized, .enabled(if: !TestServer.skipped, "GATEHOUSE_SKIP_POSTGRES=1"))
struct PostgresEndToEndTests {
    /// A sandbox whose target is a fresh PostgreSQL database with a pack made by `gatehouse init`.
    private func sandboxWithPostgresTarget(_ label: String) throws -> (RunSandbox, ScratchDatabase, String) {
        let sandbox = try RunSandbox()
        let database = try TestServer.scratchDatabase(label)
        let location = try database.withReadOnlyRole()
        let target = location.description
        let created = try sandbox.gatehouse(["init", "--target", target])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created context pack schema context_pack in \(target) with 3 documents"))
        #expect(created.stdout.contains("the read-only role '\(location.readOnlyUser)' may read it"))
        return (sandbox, database, target)
    }

    private func snapshot(_ target: String) throws -> TargetSnapshot {
        let pack = try PostgresContextPack(location: PostgresLocation(parsing: target), readOnly: true)
        defer { pack.close() }
        return try pack.snapshot()
    }

    @Test func aDryRunOnPostgresWritesNothingAndTheServersStatisticsAgree() throws {
        let (sandbox, database, target) = try sandboxWithPostgresTarget("e2edry")
        defer { database.drop() }
        let before = try snapshot(target)
        let writesBefore = try TableStatistics.read(database)

        let runner = try sandbox.start(["run", "--dry-run", "--target", target], environment: ["PGPASSWORD": TestServer.password])
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")

        let run = try sandbox.onlyRun()
        #expect(run.outcome == .closed)
        #expect(run.start.target == target)
        #expect(run.facts.preCounts == run.facts.postCounts)
        #expect(run.facts.preStateSHA == run.facts.postStateSHA)
        #expect(run.facts.preStateSHA == before.sha256)
        #expect(run.facts.wouldInsert == 8 && run.facts.inserted == 0)
        #expect(try snapshot(target) == before)
        #expect(try TableStatistics.read(database) == writesBefore)
        #expect(!sandbox.journalContains(TestServer.password))
    }

    @Test func aLiveRunOnPostgresEncryptsItsDumpAndRestoresFromIt() throws {
        let (sandbox, database, target) = try sandboxWithPostgresTarget("e2egpg")
        defer { database.drop() }
        let keys = try GnuPGHome()
        defer { keys.close() }
        try sandbox.encryptBackups(to: [keys.fingerprint])
        let environment = keys.environment.merging(["PGPASSWORD": TestServer.password]) { $1 }
        let pre = try snapshot(target)
        let runner = try sandbox.start(["run", "--live", "--target", target], environment: environment)
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        let run = try sandbox.onlyRun()
        // The dump is ciphertext only, 0600, with no plain copy beside it
        let backup = try #require(run.facts.backupPath)
        #expect(backup.hasSuffix(".dump.gpg") && run.facts.backupRecipients == [keys.fingerprint])
        #expect((try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = URL(fileURLWithPath: backup).deletingLastPathComponent().path
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == [URL(fileURLWithPath: backup).lastPathComponent,
                                                                                    URL(fileURLWithPath: try #require(run.facts.runbookPath)).lastPathComponent])
        #expect(try keys.gpg(["--batch", "--list-packets", backup]).output.contains("keyid \(keys.encryptionKeyID)"))
        // It was restored into a scratch database as it was written, and that database is gone
        #expect(run.facts.backupContentSHA256 == pre.sha256)
        #expect(try database.scratchDatabasesLeftBeside() == [])

        // A drill decrypts it into a scratch database and finds the pre-state; the pack is untouched
        let target0 = try snapshot(target)
        let drill = try sandbox.gatehouse(["restore", run.id, "--drill"], environment: environment)
        #expect(drill.status == 0 && drill.stdout.contains("passed: the backup holds the pre-state"), "\(drill.stdout)\(drill.stderr)")
        #expect(try snapshot(target) == target0)
        #expect(try database.scratchDatabasesLeftBeside() == [])

        // The runbook's by-hand steps (decrypt, then its pg_restore line) put the pre-state back
        let runbook = try String(contentsOfFile: try #require(run.facts.runbookPath), encoding: .utf8)
        #expect(runbook.contains("gatehouse restore \(run.shortID) --drill"))
        let hand = sandbox.directory + "/rollback"
        try FileManager.default.createDirectory(atPath: hand, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        #expect(try keys.gpg(["--batch", "--decrypt", "--output", hand + "/pack.dump", backup]).status == 0)
        let line = try #require(runbook.split(separator: "\n").first { $0.hasPrefix("`pg_restore ") })
        let command = String(line.dropFirst().prefix { $0 != "`" }).replacingOccurrences(of: "/tmp/rollback/pack.dump", with: hand + "/pack.dump")
        let restored = try Spawn.run(["/usr/bin/env", "PGPASSWORD=\(TestServer.password)", "sh", "-c", command])
        #expect(restored.status == 0, "\(command): \(restored.output)")
        #expect(try snapshot(target) == pre)

        // And the key's holder restores the pre-state through gatehouse too
        let restore = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", "RESTORE \(run.shortID)"], environment: environment)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try snapshot(target) == pre)
    }

    @Test func aDiskThatFillsWhileTheDumpIsEncryptedFailsTheRunBeforeApply() throws {
        let (sandbox, database, target) = try sandboxWithPostgresTarget("e2efull")
        defer { database.drop() }
        let keys = try GnuPGHome()
        defer { keys.close() }
        try sandbox.encryptBackups(to: [keys.fingerprint])
        // Given a pack whose dump is several MB (a table beside the pack's, in its schema)
        let admin = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        try admin.execute(statements: [
            "CREATE TABLE context_pack.ballast (b text NOT NULL)",
            "INSERT INTO context_pack.ballast SELECT string_agg(md5(random()::text || i::text || j::text), '') FROM generate_series(1, 256) AS i, generate_series(1, 1000) AS j GROUP BY i",
        ])
        admin.close()
        let pre = try snapshot(target)
        // When the runner may write no file larger than 1 MB (SIGXFSZ ignored, so gpg's write
        // fails with EFBIG as on a full disk); its backups go to a state folder of the sandbox's
        let state = sandbox.directory + "/state"
        let environment = keys.environment.merging(["PGPASSWORD": TestServer.password, "XDG_STATE_HOME": state]) { $1 }
        let runner = try sandbox.spawn(["/bin/bash", "-c", "trap '' XFSZ; ulimit -f 1024; exec \"$0\" \"$@\"", Binary.path,
                                        "run", "--live", "--target", target], environment: environment)
        #expect(try sandbox.drive(runner) == 4, "\(runner.output)")
        // Then the run failed at its backup, saying why, and the pack, the backup folder and
        // the server's databases are as they were
        let run = try sandbox.onlyRun()
        guard case .failed("backup", let reason) = run.outcome else {
            Issue.record("expected a failure at backup, got \(String(describing: run.outcome))")
            return
        }
        #expect(reason.contains("the streamed backup failed") && reason.contains("nothing was applied"), "\(reason)")
        #expect(try snapshot(target) == pre)
        #expect(try database.scratchDatabasesLeftBeside() == [])
        let left = ((try? FileManager.default.subpathsOfDirectory(atPath: state + "/backups")) ?? []).filter { path in
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: state + "/backups/" + path, isDirectory: &folder) && !folder.boolValue
        }
        #expect(left == [], "a backup or a part of one was left")
    }

    @Test func aLiveRunOnPostgresWritesEachUnitOnceBacksUpAndRestores() throws {
        let (sandbox, database, target) = try sandboxWithPostgresTarget("e2elive")
        defer { database.drop() }
        let environment = ["PGPASSWORD": TestServer.password]
        let pre = try snapshot(target)

        let runner = try sandbox.start(["run", "--live", "--target", target], environment: environment)
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        let run = try sandbox.onlyRun()
        #expect(run.outcome == .closed)
        #expect(try snapshot(target).counts == ["document": 3, "unit": 8, "cut_marker": 1])
        let backup = try #require(run.facts.backupPath)
        #expect(backup.hasSuffix(".dump"))
        #expect(try SQLiteContextPack.sha256(ofFile: backup) == run.facts.backupSHA256)
        #expect((try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // The dump was restored into a scratch database before the apply: it holds the pre-state.
        #expect(run.facts.backupContentSHA256 == pre.sha256)

        // A second LIVE run of the same document writes nothing: the marker is there.
        let second = try sandbox.start(["run", "--live", "--target", target], environment: environment)
        #expect(try sandbox.drive(second) == 0, "\(second.output)")
        let again = try #require(try sandbox.store().ledger.newestFirst.first)
        #expect(again.facts.inserted == 0 && again.facts.alreadyAppliedBy == run.id)
        #expect(try snapshot(target).counts == ["document": 3, "unit": 8, "cut_marker": 1])

        // Restoring the first run's backup puts the pack back to its pre-state.
        let restore = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", "RESTORE \(run.shortID)"], environment: environment)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try snapshot(target) == pre)
        #expect(!sandbox.journalContains(TestServer.password))
    }

    @Test(arguments: ["apply-unit:4", "apply-before-commit", "apply-after-commit"])
    func aLiveRunnerKilledInTheApplyLeavesNoPartialWriteAndResumesToOneCopyOfEachUnit(point: String) throws {
        let (sandbox, database, target) = try sandboxWithPostgresTarget("e2ekill")
        defer { database.drop() }
        let environment = ["PGPASSWORD": TestServer.password]
        // Given a LIVE runner that dies with SIGKILL at `point`, its connection with it
        let runner = try sandbox.start(["run", "--live", "--target", target], environment: environment.merging(["GATEHOUSE_FAULT": point]) { $1 })
        #expect(try sandbox.drive(runner) == 137, "\(runner.output)")
        let crashed = try sandbox.onlyRun()

        // Then the server rolled back the uncommitted transaction: no unit, or all of them
        let units = try snapshot(target).counts["unit"]
        #expect(units == (point == "apply-after-commit" ? 8 : 0))

        // When the run is resumed and driven to its end, each unit exists exactly once
        let resumed = try sandbox.start(["resume", crashed.id], environment: environment)
        #expect(try sandbox.drive(resumed) == 0, "\(resumed.output)")
        #expect(try sandbox.store().ledger[crashed.id]?.outcome == .closed)
        #expect(try snapshot(target).counts == ["document": 3, "unit": 8, "cut_marker": 1])
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
    }

    @Test func aServerThatIsNotThereFailsTheRunAndNamesIt() throws {
        let sandbox = try RunSandbox()
        var location = try TestServer.administrator()
        location.port = 1
        let runner = try sandbox.start(["run", "--live", "--target", location.description])
        #expect(try runner.wait() == 4, "\(runner.output)")
        let run = try sandbox.onlyRun()
        guard case .failed("identity_guards", let reason) = run.outcome else {
            Issue.record("expected a failure at identity_guards, got \(String(describing: run.outcome))")
            return
        }
        #expect(reason.contains("cannot connect to PostgreSQL at \(location.host):1"))
        #expect(!run.switchOn)
        #expect(try sandbox.store().ledger.killSwitchHolder == nil)
    }

    @Test func aWrongPasswordFailsTheRunAndSaysWhereTheRightOneGoes() throws {
        let (sandbox, database, target) = try sandboxWithPostgresTarget("e2epass")
        defer { database.drop() }
        let runner = try sandbox.start(["run", "--dry-run", "--target", target],
                                       environment: ["PGPASSWORD": "wrong", "PGPASSFILE": "/nonexistent"])
        #expect(try runner.wait() == 4, "\(runner.output)")
        let run = try sandbox.onlyRun()
        guard case .failed("identity_guards", let reason) = run.outcome else {
            Issue.record("expected a failure at identity_guards, got \(String(describing: run.outcome))")
            return
        }
        #expect(reason.contains("refused the password") && reason.contains("PGPASSWORD"))
        #expect(!sandbox.journalContains("wrong"))
    }

    @Test func aPasswordInTheTargetIsRefusedBeforeAnythingIsJournaled() throws {
        let sandbox = try RunSandbox()
        let result = try sandbox.gatehouse(["run", "--dry-run", "--target", "postgres://cutter:hunter2@127.0.0.1:5432/pack"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("holds a password") && !result.stderr.contains("hunter2"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.journalPath) || !sandbox.journalContains("hunter2"))
    }
}

extension RunSandbox {
    /// Whether `text` appears anywhere in the journal file's bytes.
    func journalContains(_ text: String) -> Bool {
        guard !text.isEmpty, let bytes = try? Data(contentsOf: URL(fileURLWithPath: journalPath)) else { return false }
        return bytes.range(of: Data(text.utf8)) != nil
    }
}
