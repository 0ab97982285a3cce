import Foundation
import GatehouseCore
import GatehouseEngine
import Testing

/// On a shared host the state is its owner's alone: the folders Gatehouse makes are 0700, the
/// journal (with SQLite's files beside it), the target it creates and every backup 0600.
@Suite(.serialized)
struct PrivateStateEndToEndTests {
    private func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
    }

    @Test func aNewStateFolderItsJournalAndItsTargetAreTheOwnersAlone() throws {
        let sandbox = try RunSandbox()
        let state = sandbox.directory + "/state"
        let environment = ["GATEHOUSE_JOURNAL": "", "GATEHOUSE_TARGET": "", "XDG_STATE_HOME": state]
        let created = try sandbox.gatehouse(["init"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try mode(state) == 0o700 && mode(state + "/gatehouse") == 0o700)
        #expect(try mode(state + "/gatehouse/context-pack.sqlite") == 0o600)
        // The journal, made by the first run
        let runner = try sandbox.start(["run", "--dry-run"], environment: environment)
        defer { runner.kill(SIGKILL) }
        let journal = state + "/gatehouse/journal.sqlite"
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: journal + "-wal") && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(try mode(journal) == 0o600 && mode(journal + "-wal") == 0o600)
    }

    @Test func aLiveRunsJournalTargetBackupAndRunbookAreTheOwnersAlone() throws {
        let keys = try GnuPGHome()
        defer { keys.close() }
        let sandbox = try RunSandbox()
        try sandbox.encryptBackups(to: [keys.fingerprint])
        #expect(try sandbox.gatehouse(["init"]).status == 0)
        let runner = try sandbox.start(["run", "--live"], environment: keys.environment)
        #expect(try sandbox.drive(runner) == 0, "\(runner.output)")
        let run = try #require(try sandbox.store().ledger.newestFirst.first)
        let backups = sandbox.targetPath + ".backups"
        #expect(try mode(backups) == 0o700)
        for file in [sandbox.journalPath, sandbox.targetPath, try #require(run.facts.backupPath), try #require(run.facts.runbookPath)] {
            #expect(try mode(file) == 0o600, "\(file)")
        }
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: sandbox.journalPath + suffix) {
            #expect(try mode(sandbox.journalPath + suffix) == 0o600, "\(suffix)")
        }
    }
}
