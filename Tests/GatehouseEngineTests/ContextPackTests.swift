import Foundation
import GatehouseCore
import GRDB
import Testing
@testable import GatehouseEngine

/// The SQLite context pack: what a production cut reads, writes, backs up and restores.
struct ContextPackTests {
    /// A directory of its own for each test; `remove()` it when done.
    private struct Scratch {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contextpack-\(UUID().uuidString)")

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func remove() { try? FileManager.default.removeItem(at: directory) }
        func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() }
    }

    private struct Stop: Error {}

    private static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Changes the pack's file behind its back, through a connection of its own.
    private static func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    /// The pack's release notes and the units they cut into.
    private static func releaseNotes(_ pack: SQLiteContextPack) throws -> (TargetDocument, [CandidateUnit]) {
        let document = try #require(try pack.documents().first { $0.id == "release-notes-v0.6" })
        return (document, DocumentCut.cut(document.body))
    }

    /// Applies the release notes as `runID` with no callbacks.
    @discardableResult
    private static func applyReleaseNotes(_ pack: SQLiteContextPack, runID: String, expected: String? = nil) throws -> ApplyOutcome {
        let (document, units) = try releaseNotes(pack)
        return try pack.apply(document: document, units: units, runID: runID,
                              expectedPreState: try expected ?? pack.snapshot().sha256,
                              progress: { _ in }, beforeCommit: {})
    }

    // MARK: - Creating

    @Test func createSeedsTheSampleDocuments() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // When a pack is created in a directory that does not exist yet
        let pack = try SQLiteContextPack.create(path: scratch.path("nested/pack.sqlite"))
        // Then it holds the sample documents, the Constitution signature critical, and nothing cut
        let documents = try pack.documents()
        #expect(documents.map(\.id) == ["constitution", "release-notes-v0.6", "rollback-runbook"])
        #expect(documents.map(\.signatureCritical) == [true, false, false])
        #expect(documents.first?.title == "The Constitution")
        #expect(documents.allSatisfy { $0.digest == DocumentCut.digest(of: $0.body) })
        #expect(documents == SampleDocuments.all)
        #expect(try pack.snapshot().counts == ["document": 3, "unit": 0, "cut_marker": 0])
        // And it knows who it is
        let identity = try pack.identity()
        #expect(identity.location == scratch.path("nested/pack.sqlite") && pack.path == identity.location)
        #expect(identity.schemaVersion == SQLiteContextPack.schemaVersion && UUID(uuidString: identity.id) != nil)
        #expect(try SQLiteContextPack.create(path: scratch.path("other.sqlite")).identity().id != identity.id)
        // And no temporary file is left beside it
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("nested")) == ["pack.sqlite"])
    }

    @Test func createRefusesAnExistingFile() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // Given a file that is there already, and a pack
        try FileManager.default.createDirectory(at: scratch.directory, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: scratch.path("notes.txt")))
        _ = try SQLiteContextPack.create(path: scratch.path("pack.sqlite"))
        let packBytes = try Self.bytes(scratch.path("pack.sqlite"))
        // When a pack is created over either, Then it is refused and both are left as they were
        for name in ["notes.txt", "pack.sqlite"] {
            #expect(throws: TargetError.self) { try SQLiteContextPack.create(path: scratch.path(name)) }
        }
        #expect(try Self.bytes(scratch.path("notes.txt")) == Data("notes".utf8))
        #expect(try Self.bytes(scratch.path("pack.sqlite")) == packBytes)
        #expect(scratch.files() == ["notes.txt", "pack.sqlite"])
    }

    @Test func theSampleDocumentsCutToTheirIntendedSizes() {
        let sizes = Dictionary(uniqueKeysWithValues: SampleDocuments.all.map { ($0.id, DocumentCut.cut($0.body).count) })
        // The release notes are small enough for a first LIVE cut
        #expect((6...12).contains(sizes["release-notes-v0.6"] ?? 0) && sizes["release-notes-v0.6"]! <= 20)
        // The Constitution is its articles (24 to 30) and a preamble
        #expect((25...31).contains(sizes["constitution"] ?? 0))
        #expect((12...18).contains(sizes["rollback-runbook"] ?? 0))
        #expect(SampleDocuments.rollbackRunbook.body.contains("gatehouse restore"))
    }

    // MARK: - Snapshots and read-only use

    @Test func theSnapshotIsStableAcrossOpensAndFollowsEveryRow() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.path("pack.sqlite")
        let first = try SQLiteContextPack.create(path: path).snapshot()
        // When the pack is opened again, Then it reads the same
        #expect(try SQLiteContextPack(path: path, readOnly: true).snapshot() == first)
        #expect(try SQLiteContextPack(path: path, readOnly: false).snapshot() == first)
        // When one character of one row changes, Then the SHA-256 changes and the counts do not
        try Self.tamper(path, "UPDATE document SET title = 'The constitution' WHERE id = 'constitution'")
        let edited = try SQLiteContextPack(path: path, readOnly: true).snapshot()
        #expect(edited.sha256 != first.sha256 && edited.counts == first.counts)
        // When it is changed back, Then the SHA-256 is the first one again
        try Self.tamper(path, "UPDATE document SET title = 'The Constitution' WHERE id = 'constitution'")
        #expect(try SQLiteContextPack(path: path, readOnly: true).snapshot() == first)
        // The meta table is not content
        try Self.tamper(path, "INSERT INTO meta (key, value) VALUES ('note', 'x')")
        #expect(try SQLiteContextPack(path: path, readOnly: true).snapshot() == first)
    }

    @Test func readOnlyUseLeavesTheFileByteForByte() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.path("pack.sqlite")
        let before = try SQLiteContextPack.create(path: path).snapshot()
        let bytes = try Self.bytes(path)
        // When the pack is opened read-only, snapshotted, listed and dry-applied
        let pack = try SQLiteContextPack(path: path, readOnly: true)
        let (document, units) = try Self.releaseNotes(pack)
        #expect(try pack.snapshot() == before)
        _ = try pack.identity()
        let outcome = try pack.dryApply(document: document, units: units, runID: "dry-1")
        // Then the dry run says what it would write, and nothing was written
        #expect(outcome == ApplyOutcome(inserted: units.count, alreadyAppliedBy: nil))
        #expect(try pack.snapshot() == before)
        #expect(try Self.bytes(path) == bytes)
        #expect(scratch.files() == ["pack.sqlite"])
    }

    // MARK: - Applying

    @Test func applyWritesTheUnitsAndAMarkerInOneGo() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let pack = try SQLiteContextPack.create(path: scratch.path("pack.sqlite"))
        let (document, units) = try Self.releaseNotes(pack)
        let before = try pack.snapshot()
        // When the release notes are applied
        var progress: [Int] = []
        var committing = 0
        let outcome = try pack.apply(document: document, units: units, runID: "run-1", expectedPreState: before.sha256,
                                     progress: { progress.append($0) }, beforeCommit: { committing += 1 })
        // Then every unit and one marker are written, with progress after each unit
        #expect(outcome == ApplyOutcome(inserted: units.count, alreadyAppliedBy: nil))
        #expect(progress == Array(1...units.count) && committing == 1)
        let after = try pack.snapshot()
        #expect(after.counts == ["document": 3, "unit": Int64(units.count), "cut_marker": 1])
        #expect(after.sha256 != before.sha256)
        // And a dry run now says it was done
        #expect(try pack.dryApply(document: document, units: units, runID: "run-2") == ApplyOutcome(inserted: 0, alreadyAppliedBy: "run-1"))
    }

    @Test func aSecondApplyWritesNothing() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let pack = try SQLiteContextPack.create(path: scratch.path("pack.sqlite"))
        try Self.applyReleaseNotes(pack, runID: "run-1")
        let applied = try pack.snapshot()
        // When the same content is applied again by another run
        let (document, units) = try Self.releaseNotes(pack)
        var called = false
        let outcome = try pack.apply(document: document, units: units, runID: "run-2", expectedPreState: applied.sha256,
                                     progress: { _ in called = true }, beforeCommit: { called = true })
        // Then nothing is written and the first run is named
        #expect(outcome == ApplyOutcome(inserted: 0, alreadyAppliedBy: "run-1"))
        #expect(!called)
        #expect(try pack.snapshot() == applied)
    }

    @Test func driftSinceTheSnapshotIsRefused() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.path("pack.sqlite")
        let pack = try SQLiteContextPack.create(path: path)
        let before = try pack.snapshot()
        // Given a change to the pack after its snapshot was taken
        try Self.tamper(path, "UPDATE document SET title = 'Edited' WHERE id = 'constitution'")
        let drifted = try pack.snapshot()
        // When the release notes are applied against the old snapshot
        // Then the apply is refused with both SHA-256s and nothing is written
        #expect(throws: TargetError.drift(expected: before.sha256, found: drifted.sha256)) {
            try Self.applyReleaseNotes(pack, runID: "run-1", expected: before.sha256)
        }
        #expect(try pack.snapshot() == drifted)
    }

    @Test(arguments: ["progress", "beforeCommit"])
    func aThrowingCallbackRollsEverythingBack(callback: String) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let pack = try SQLiteContextPack.create(path: scratch.path("pack.sqlite"))
        let (document, units) = try Self.releaseNotes(pack)
        let before = try pack.snapshot()
        // When the progress callback (at the third unit) or the commit callback throws
        #expect(throws: Stop.self) {
            try pack.apply(document: document, units: units, runID: "run-1", expectedPreState: before.sha256,
                           progress: { if callback == "progress" && $0 == 3 { throw Stop() } },
                           beforeCommit: { if callback == "beforeCommit" { throw Stop() } })
        }
        // Then nothing of the apply is left
        #expect(try pack.snapshot() == before)
        #expect(scratch.files() == ["pack.sqlite"])
        // And the pack is not locked: the next apply goes through
        #expect(try Self.applyReleaseNotes(pack, runID: "run-2").inserted == units.count)
    }

    @Test func applyThroughAReadOnlyPackFailsCleanly() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.path("pack.sqlite")
        _ = try SQLiteContextPack.create(path: path)
        let bytes = try Self.bytes(path)
        let pack = try SQLiteContextPack(path: path, readOnly: true)
        // When a read-only pack is asked to apply, Then it says why it cannot and writes nothing
        let error = #expect(throws: TargetError.self) { try Self.applyReleaseNotes(pack, runID: "run-1") }
        #expect(error?.description.contains("read-only") == true)
        #expect(try Self.bytes(path) == bytes)
    }

    @Test func applyingADocumentThePackDoesNotHoldIsRefused() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let pack = try SQLiteContextPack.create(path: scratch.path("pack.sqlite"))
        let before = try pack.snapshot()
        let stranger = TargetDocument(id: "stranger", title: "S", signatureCritical: false, body: "## A\na", digest: DocumentCut.digest(of: "## A\na"))
        #expect(throws: TargetError.unknownDocument("stranger", available: ["constitution", "release-notes-v0.6", "rollback-runbook"])) {
            try pack.apply(document: stranger, units: DocumentCut.cut(stranger.body), runID: "run-1",
                           expectedPreState: before.sha256, progress: { _ in }, beforeCommit: {})
        }
        #expect(try pack.snapshot() == before)
    }

    // MARK: - Backup and restore

    @Test func aBackupIsTheWholePackAndNeverOverwrites() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let pack = try SQLiteContextPack.create(path: scratch.path("pack.sqlite"))
        try Self.applyReleaseNotes(pack, runID: "run-1")
        // When the pack is backed up into a directory that does not exist yet
        let record = try pack.backup(to: scratch.path("backups/run-2.sqlite"))
        // Then the record describes the file, which is the same pack
        #expect(record.path == scratch.path("backups/run-2.sqlite"))
        #expect(record.sha256 == (try SQLiteContextPack.sha256(ofFile: record.path)))
        #expect(record.bytes == Int64(try Self.bytes(record.path).count))
        let copy = try SQLiteContextPack(path: record.path, readOnly: true)
        #expect(try copy.snapshot() == pack.snapshot())
        #expect(try copy.identity().id == pack.identity().id)
        // When a second backup names the same file, Then it is refused and the first is intact
        #expect(throws: TargetError.self) { try pack.backup(to: record.path) }
        #expect(try SQLiteContextPack.sha256(ofFile: record.path) == record.sha256)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("backups")) == ["run-2.sqlite"])
    }

    @Test func restoreBringsThePreApplyStateBack() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.path("pack.sqlite")
        let pack = try SQLiteContextPack.create(path: path)
        // Given a backup taken before an apply
        let before = try pack.snapshot()
        let record = try pack.backup(to: scratch.path("backup.sqlite"))
        try Self.applyReleaseNotes(pack, runID: "run-1")
        #expect(try pack.snapshot() != before)
        // When the backup is restored
        try SQLiteContextPack.restore(backupPath: record.path, expectedSHA256: record.sha256, into: path)
        // Then the pack reads as before the apply, through a new connection and the open one
        #expect(try SQLiteContextPack(path: path, readOnly: true).snapshot() == before)
        #expect(try pack.snapshot() == before)
        // And the backup itself was not changed
        #expect(try SQLiteContextPack.sha256(ofFile: record.path) == record.sha256)
        // And the release notes can be cut again
        #expect(try Self.applyReleaseNotes(pack, runID: "run-2").alreadyAppliedBy == nil)
    }

    @Test func restoreIntoAMissingFileCreatesIt() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let pack = try SQLiteContextPack.create(path: scratch.path("pack.sqlite"))
        let record = try pack.backup(to: scratch.path("backup.sqlite"))
        try SQLiteContextPack.restore(backupPath: record.path, expectedSHA256: record.sha256, into: scratch.path("new/pack.sqlite"))
        #expect(try SQLiteContextPack(path: scratch.path("new/pack.sqlite"), readOnly: true).snapshot() == pack.snapshot())
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("new")) == ["pack.sqlite"])
    }

    @Test func restoreRefusesABackupThatIsNotTheJournaledOne() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.path("pack.sqlite")
        let pack = try SQLiteContextPack.create(path: path)
        let record = try pack.backup(to: scratch.path("backup.sqlite"))
        try Self.applyReleaseNotes(pack, runID: "run-1")
        let bytes = try Self.bytes(path)
        // When the restore is given another SHA-256, Then it is refused and the pack is untouched
        let wrong = String(repeating: "0", count: 64)
        let error = #expect(throws: TargetError.self) {
            try SQLiteContextPack.restore(backupPath: record.path, expectedSHA256: wrong, into: path)
        }
        guard case .badBackup(let refused, let reason) = error else { Issue.record("not a bad backup: \(String(describing: error))"); return }
        #expect(refused == record.path && reason.contains(record.sha256) && reason.contains(wrong))
        // When the backup file was altered after it was journaled, Then it is refused too
        try Self.tamper(record.path, "DELETE FROM document WHERE id = 'constitution'")
        #expect(throws: TargetError.self) {
            try SQLiteContextPack.restore(backupPath: record.path, expectedSHA256: record.sha256, into: path)
        }
        #expect(try Self.bytes(path) == bytes)
    }

    @Test func restoreRefusesToReplaceAnotherPack() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        // Given the backup of one pack and another pack
        let one = try SQLiteContextPack.create(path: scratch.path("one.sqlite"))
        let record = try one.backup(to: scratch.path("one-backup.sqlite"))
        _ = try SQLiteContextPack.create(path: scratch.path("two.sqlite"))
        let bytes = try Self.bytes(scratch.path("two.sqlite"))
        // When the backup is restored into the other, Then it is refused and the other is untouched
        #expect(throws: TargetError.self) {
            try SQLiteContextPack.restore(backupPath: record.path, expectedSHA256: record.sha256, into: scratch.path("two.sqlite"))
        }
        #expect(try Self.bytes(scratch.path("two.sqlite")) == bytes)
    }

    // MARK: - Opening what is not a pack

    @Test func openingWhatIsNotAPackSaysSo() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(at: scratch.directory, withIntermediateDirectories: true)
        // A missing file points at `gatehouse init`, and is not created
        for readOnly in [true, false] {
            #expect(throws: TargetError.notATarget(location: scratch.path("missing.sqlite"), reason: "no such file; create it with `gatehouse init`")) {
                try SQLiteContextPack(path: scratch.path("missing.sqlite"), readOnly: readOnly)
            }
        }
        #expect(scratch.files().isEmpty)
        // A text file, another SQLite database, a pack of another schema version
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: scratch.path("text.sqlite")))
        let other = try DatabaseQueue(path: scratch.path("other.sqlite"))
        try other.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        try other.close()
        _ = try SQLiteContextPack.create(path: scratch.path("future.sqlite"))
        try Self.tamper(scratch.path("future.sqlite"), "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        for name in ["text.sqlite", "other.sqlite", "future.sqlite"] {
            let bytes = try Self.bytes(scratch.path(name))
            for readOnly in [true, false] {
                let error = #expect(throws: TargetError.self) { try SQLiteContextPack(path: scratch.path(name), readOnly: readOnly) }
                guard case .notATarget(let location, _) = error else { Issue.record("\(name): \(String(describing: error))"); continue }
                #expect(location == scratch.path(name))
            }
            #expect(try Self.bytes(scratch.path(name)) == bytes)
        }
    }
}
