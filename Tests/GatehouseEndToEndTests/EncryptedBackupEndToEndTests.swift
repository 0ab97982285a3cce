import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import GRDB
import Testing

/// O8's backups encrypted with the real `gpg` to the keys the programme names: a LIVE run's
/// backup is ciphertext only, 0600, read back as the pre-state first; restoring decrypts it;
/// a recipient gpg does not know, or no gpg at all, fails the run before apply.
@Suite(.serialized)
struct EncryptedBackupEndToEndTests {
    /// A sandbox whose programme encrypts backups to `recipients`.
    private func sandbox(recipients: [String], requireDrill: Bool = false) throws -> RunSandbox {
        let sandbox = try RunSandbox()
        try sandbox.encryptBackups(to: recipients, requireDrill: requireDrill)
        #expect(try sandbox.gatehouse(["check", try #require(sandbox.programmePath)]).status == 0)
        #expect(try sandbox.gatehouse(["init"]).status == 0)
        return sandbox
    }

    /// A LIVE run in `sandbox`, approved and enabled to its close-out, with `keys` as the runner's keyring.
    private func closedLiveRun(in sandbox: RunSandbox, keys: GnuPGHome) throws -> RunState {
        let runner = try sandbox.start(["run", "--live"], environment: keys.environment)
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        let run = try #require(try sandbox.store().ledger.newestFirst.first)
        #expect(run.outcome == .closed)
        return run
    }

    /// Why a LIVE run in `sandbox` (the runner's environment `environment`, started as
    /// `command` followed by gatehouse's arguments) failed at its backup phase, having changed
    /// nothing and left no backup; nil (and an issue) otherwise.
    private func failureAtBackup(in sandbox: RunSandbox, environment: [String: String],
                                 command: [String] = [Binary.path]) throws -> String? {
        let before = try sandbox.counts()
        let runner = try sandbox.spawn(command + ["run", "--live"], environment: environment)
        #expect(try sandbox.drive(runner) == 4, "\(runner.output)")
        let run = try #require(try sandbox.store().ledger.newestFirst.first)
        #expect(try sandbox.counts() == before)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: sandbox.targetPath + ".backups"))?.isEmpty ?? true,
                "a backup or a plain copy was left")
        guard case .failed("backup", let reason) = run.outcome else {
            Issue.record("expected a failure at backup, got \(String(describing: run.outcome))")
            return nil
        }
        return reason
    }

    @Test func aLiveRunsBackupIsEncryptedToTheRecipientsAndRestoresThePreState() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let sandbox = try sandbox(recipients: [keys.fingerprint])
        // When a LIVE run is approved and enabled
        let run = try closedLiveRun(in: sandbox, keys: keys)
        // Then its backup is ciphertext to that key, 0600, and no plain copy is left beside it
        // (only the rollback runbook)
        let backup = try #require(run.facts.backupPath)
        #expect(backup.hasSuffix(".sqlite.gpg"))
        #expect(run.facts.backupRecipients == [keys.fingerprint])
        #expect(run.facts.backupContentSHA256 == run.facts.preStateSHA)
        #expect(try FileDigest.sha256(of: backup).sha256 == run.facts.backupSHA256)
        #expect((try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = URL(fileURLWithPath: backup).deletingLastPathComponent().path
        let runbook = try #require(run.facts.runbookPath)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: folder)) == [URL(fileURLWithPath: backup).lastPathComponent,
                                                                                    URL(fileURLWithPath: runbook).lastPathComponent])
        let packets = try keys.gpg(["--batch", "--list-packets", backup])
        #expect(packets.output.contains("pubkey enc packet") && packets.output.contains("keyid \(keys.encryptionKeyID)"), "\(packets.output)")
        #expect(!(try Data(contentsOf: URL(fileURLWithPath: backup))).starts(with: Data("SQLite format 3".utf8)))
        // And a restore by the key's holder decrypts it and puts the pre-state back
        let restore = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", "RESTORE \(run.shortID)"], environment: keys.environment)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256 == run.facts.preStateSHA)
        #expect(restore.stdout.contains("the target's content SHA-256 is now \(run.facts.preStateSHA!): the pre-state of run \(run.id)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 2)
    }

    @Test func aDrillAtSG2ReadsTheBackupBackAndAnAlteredOneFailsIt() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let sandbox = try sandbox(recipients: [keys.fingerprint], requireDrill: true)
        let runner = try sandbox.start(["run", "--live"], environment: keys.environment)
        // Given a LIVE run applied and waiting at SG_2
        let waiting = try sandbox.waitFor("SG_2", timeout: 30) { store -> RunState? in
            guard let run = store.ledger.newestFirst.first else { return nil }
            switch run.nextStep {
            case .awaitDecision("SG_1"):
                try? store.record(.gateApproved(TestDecisions.approval(of: run, gate: "SG_1")), run: run.id, actor: "sovereign")
            case .awaitKillSwitch:
                try? store.record(.killSwitchEnabled(TestDecisions.enable(of: run)), run: run.id, actor: "sovereign")
            default: break
            }
            return run.waitingGate == "SG_2" ? run : nil
        }
        let target = try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot()
        // The programme requires a drill: SG_2 is not approved before one passed
        let early = try sandbox.gatehouse(["approve", waiting.id, "SG_2", "--as", "demo"])
        #expect(early.status == 6 && early.stderr.contains("requires a passing drill of its backup first (it has not been drilled)"), "\(early.stderr)")
        // When the operator drills its backup
        let drill = try sandbox.gatehouse(["restore", waiting.id, "--drill"], environment: keys.environment)
        // Then it passes, is journaled, and the target is as the run left it
        #expect(drill.status == 0, "\(drill.stderr)")
        #expect(drill.stdout.contains("passed: the backup holds the pre-state (SHA-256 \(waiting.facts.preStateSHA!.prefix(12))"), "\(drill.stdout)")
        #expect(try sandbox.store().ledger[waiting.id]?.drills.map(\.drill.passed) == [true])
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot() == target)
        // And a backup altered since fails its drill, journaled so the SG_2 review shows it
        let backup = try #require(waiting.facts.backupPath)
        let handle = try #require(FileHandle(forWritingAtPath: backup))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x00]))
        try handle.close()
        let altered = try sandbox.gatehouse(["restore", waiting.id, "--drill"], environment: keys.environment)
        #expect(altered.status == 3, "\(altered.stdout)\(altered.stderr)")
        #expect(altered.stderr.contains("FAILED") && altered.stderr.contains("it was altered"), "\(altered.stderr)")
        #expect(try sandbox.store().ledger[waiting.id]?.drills.map(\.drill.passed) == [true, false])
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot() == target)
        // ... and SG_2 waits again: the drill that counts is the last one
        let late = try sandbox.gatehouse(["approve", waiting.id, "SG_2", "--as", "demo"])
        #expect(late.status == 6 && late.stderr.contains("the last drill FAILED"), "\(late.stderr)")
        #expect(try sandbox.store().ledger[waiting.id]?.refusals.last?.code == "backup_not_drilled")
        runner.kill(SIGTERM)
        _ = try runner.wait()
    }

    @Test func theRunbookWrittenBeforeTheApplyIsJournaledAndItsStepsRestoreThePreState() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let sandbox = try sandbox(recipients: [keys.fingerprint])
        let run = try closedLiveRun(in: sandbox, keys: keys)
        // The runbook is there, 0600, as journaled, and names what it puts back
        let path = try #require(run.facts.runbookPath)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(sha256Hex(text) == run.facts.runbookSHA256)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let backup = try #require(run.facts.backupPath), pre = try #require(run.facts.preStateSHA)
        for words in ["# Rollback runbook: run \(run.id)", "content SHA-256 `\(pre)`", "`sha256sum \(backup)` must print `\(run.facts.backupSHA256!)`",
                      "`gatehouse restore \(run.shortID) --drill`", "`gatehouse restore \(run.shortID) --as SOVEREIGN --confirm 'RESTORE \(run.shortID)'`", keys.fingerprint] {
            #expect(text.contains(words), "the runbook lacks \(words):\n\(text)")
        }
        // And `export` carries it
        let export = try sandbox.gatehouse(["export", run.id, "--format", "markdown"])
        #expect(export.stdout.contains("## Rollback runbook") && export.stdout.contains("### Steps"), "\(export.stdout)")

        // Following its by-hand steps (decrypt, copy over the target) gives the pre-state back
        let hand = sandbox.directory + "/rollback"
        try FileManager.default.createDirectory(atPath: hand, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let decrypted = try keys.gpg(["--batch", "--decrypt", "--output", hand + "/pack.sqlite", backup])
        #expect(decrypted.status == 0, "\(decrypted.output)")
        #expect(text.contains("gpg --decrypt --output /tmp/rollback/pack.sqlite \(backup)"))
        #expect(try FileDigest.sha256(of: backup).sha256 == run.facts.backupSHA256)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sandbox.targetPath + suffix) }
        try FileManager.default.copyItem(atPath: hand + "/pack.sqlite", toPath: sandbox.targetPath)
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256 == pre)
        // And its gatehouse steps: the drill passes, the restore says the pre-state is back
        let drill = try sandbox.gatehouse(["restore", run.shortID, "--drill"], environment: keys.environment)
        #expect(drill.stdout.contains("passed: the backup holds the pre-state (SHA-256 \(pre.prefix(12))…)"), "\(drill.stdout)\(drill.stderr)")
        let restore = try sandbox.gatehouse(["restore", run.shortID, "--as", "demo", "--confirm", "RESTORE \(run.shortID)"], environment: keys.environment)
        #expect(restore.stdout.contains("the target's content SHA-256 is now \(pre)"), "\(restore.stdout)\(restore.stderr)")
    }

    @Test func aRestoreWithoutTheSecretKeyIsRefusedAndChangesNothing() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let sandbox = try sandbox(recipients: [keys.fingerprint])
        let run = try closedLiveRun(in: sandbox, keys: keys)
        let before = try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot()
        let stranger = try GnuPGHome(name: "Someone Else")
        defer { stranger.close() }
        let restore = try sandbox.gatehouse(["restore", run.id, "--as", "demo", "--confirm", "RESTORE \(run.shortID)"], environment: stranger.environment)
        #expect(restore.status == 6, "\(restore.stderr)")
        #expect(restore.stderr.contains("gpg cannot decrypt it") && restore.stderr.contains("the target was not touched"), "\(restore.stderr)")
        #expect(try sandbox.store().ledger[run.id]?.refusals.last?.code == "restore_invalid")
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot() == before)
    }

    @Test func aRecipientGpgDoesNotKnowFailsTheRunBeforeApply() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let unknown = String(repeating: "AB", count: 20)
        let sandbox = try sandbox(recipients: [unknown])
        guard let reason = try failureAtBackup(in: sandbox, environment: keys.environment) else { return }
        #expect(reason.contains("cannot be encrypted to every recipient: \(unknown): no such public key") && reason.contains("nothing was applied"), "\(reason)")
    }

    @Test func anExpiredRecipientKeyFailsTheRunBeforeTheBackupIsTaken() throws {
        let keys = try GnuPGHome(expired: true)
        defer { keys.close() }
        let sandbox = try sandbox(recipients: [keys.fingerprint])
        guard let reason = try failureAtBackup(in: sandbox, environment: keys.environment) else { return }
        #expect(reason.contains("\(keys.fingerprint): the key has expired") && reason.contains("nothing was applied"), "\(reason)")
    }

    @Test func aDiskThatFillsWhileTheBackupIsWrittenFailsTheRunBeforeApply() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let sandbox = try sandbox(recipients: [keys.fingerprint])
        // Given a target of about 8 MB (an extra table of random bytes, which the pack's
        // snapshot does not read)
        let pack = try DatabaseQueue(path: sandbox.targetPath)
        try pack.write { db in
            try db.execute(sql: "CREATE TABLE ballast (b BLOB NOT NULL)")
            for _ in 0..<8 { try db.execute(sql: "INSERT INTO ballast VALUES (randomblob(1000000))") }
        }
        try pack.close()
        // When the runner may write no file larger than 4 MB (as a full disk refuses the
        // write: SIGXFSZ ignored, so write(2) fails with EFBIG), the journal well under it
        let limited = ["/bin/bash", "-c", "trap '' XFSZ; ulimit -f 4096; exec \"$0\" \"$@\"", Binary.path]
        guard let reason = try failureAtBackup(in: sandbox, environment: keys.environment, command: limited) else { return }
        // Then the run failed at its backup, saying so, with nothing applied and no copy left
        #expect(reason.contains("the copy could not be written") && reason.contains("a file-size limit was reached")
                && reason.contains("make room in \(sandbox.targetPath).backups") && reason.contains("nothing was applied"), "\(reason)")
        #expect(try sandbox.gatehouse(["verify"]).status == 0)
    }

    @Test func noGpgFailsTheRunBeforeApplyAndSaysWhatToInstall() throws {
        let sandbox = try sandbox(recipients: [String(repeating: "CD", count: 20)])
        // A PATH without gpg (the runner itself is started by its full path)
        guard let reason = try failureAtBackup(in: sandbox, environment: ["PATH": "/nonexistent"]) else { return }
        #expect(reason.contains("apt-get install gnupg") && reason.contains("nothing was changed"), "\(reason)")
    }
}
