import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing

/// O8's backups encrypted with the real `gpg` to the keys the programme names: a LIVE run's
/// backup is ciphertext only, 0600, read back as the pre-state first; restoring decrypts it;
/// a recipient gpg does not know, or no gpg at all, fails the run before apply.
@Suite(.serialized)
struct EncryptedBackupEndToEndTests {
    /// A sandbox whose programme encrypts backups to `recipients`.
    private func sandbox(recipients: [String]) throws -> RunSandbox {
        let sandbox = try RunSandbox()
        let path = try #require(sandbox.programmePath)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try (text + "\nbackup:\n  recipients: [\(recipients.joined(separator: ", "))]\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try sandbox.gatehouse(["check", path]).status == 0)
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

    @Test func aLiveRunsBackupIsEncryptedToTheRecipientsAndRestoresThePreState() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let sandbox = try sandbox(recipients: [keys.fingerprint])
        // When a LIVE run is approved and enabled
        let run = try closedLiveRun(in: sandbox, keys: keys)
        // Then its backup is ciphertext to that key, 0600, and no plain copy is left beside it
        let backup = try #require(run.facts.backupPath)
        #expect(backup.hasSuffix(".sqlite.gpg"))
        #expect(run.facts.backupRecipients == [keys.fingerprint])
        #expect(run.facts.backupContentSHA256 == run.facts.preStateSHA)
        #expect(try FileDigest.sha256(of: backup).sha256 == run.facts.backupSHA256)
        #expect((try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = URL(fileURLWithPath: backup).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [URL(fileURLWithPath: backup).lastPathComponent])
        let packets = try keys.gpg(["--batch", "--list-packets", backup])
        #expect(packets.output.contains("pubkey enc packet") && packets.output.contains("keyid \(keys.encryptionKeyID)"), "\(packets.output)")
        #expect(!(try Data(contentsOf: URL(fileURLWithPath: backup))).starts(with: Data("SQLite format 3".utf8)))
        // And a restore by the key's holder decrypts it and puts the pre-state back
        let restore = try sandbox.gatehouse(["restore", run.id], environment: keys.environment)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot().sha256 == run.facts.preStateSHA)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1)
    }

    @Test func aDrillAtSG2ReadsTheBackupBackAndAnAlteredOneFailsIt() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let sandbox = try sandbox(recipients: [keys.fingerprint])
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
        runner.kill(SIGTERM)
        _ = try runner.wait()
    }

    @Test func aRestoreWithoutTheSecretKeyIsRefusedAndChangesNothing() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let sandbox = try sandbox(recipients: [keys.fingerprint])
        let run = try closedLiveRun(in: sandbox, keys: keys)
        let before = try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot()
        let stranger = try GnuPGHome(name: "Someone Else")
        defer { stranger.close() }
        let restore = try sandbox.gatehouse(["restore", run.id], environment: stranger.environment)
        #expect(restore.status == 2, "\(restore.stderr)")
        #expect(restore.stderr.contains("gpg cannot decrypt it") && restore.stderr.contains("nothing was restored"), "\(restore.stderr)")
        #expect(try SQLiteContextPack(path: sandbox.targetPath, readOnly: true).snapshot() == before)
    }

    @Test func aRecipientGpgDoesNotKnowFailsTheRunBeforeApply() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let unknown = String(repeating: "AB", count: 20)
        let sandbox = try sandbox(recipients: [unknown])
        let before = try sandbox.counts()
        let runner = try sandbox.start(["run", "--live"], environment: keys.environment)
        #expect(try sandbox.drive(runner) == 4, "\(runner.output)")
        let run = try #require(try sandbox.store().ledger.newestFirst.first)
        guard case .failed("backup", let reason) = run.outcome else {
            Issue.record("expected a failure at backup, got \(String(describing: run.outcome))")
            return
        }
        #expect(reason.contains("gpg cannot encrypt it to \(unknown)") && reason.contains("nothing was applied"), "\(reason)")
        #expect(try sandbox.counts() == before)
        let folder = sandbox.targetPath + ".backups"
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty ?? true, "a plain copy was left")
    }

    @Test func noGpgFailsTheRunBeforeApplyAndSaysWhatToInstall() throws {
        let sandbox = try sandbox(recipients: [String(repeating: "CD", count: 20)])
        // A PATH without gpg (the runner itself is started by its full path)
        let runner = try sandbox.start(["run", "--live"], environment: ["PATH": "/nonexistent"])
        #expect(try sandbox.drive(runner) == 4, "\(runner.output)")
        let run = try #require(try sandbox.store().ledger.newestFirst.first)
        guard case .failed("backup", let reason) = run.outcome else {
            Issue.record("expected a failure at backup, got \(String(describing: run.outcome))")
            return
        }
        #expect(reason.contains("apt-get install gnupg") && reason.contains("nothing was changed"), "\(reason)")
    }
}
