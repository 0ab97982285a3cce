import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres
import GatehouseTestSupport
import PostgresNIO
import Testing

@Suite("The context pack on PostgreSQL", .enabled(if: !TestServer.skipped, "GATEHOUSE_SKIP_POSTGRES=1"))
struct PostgresContextPackTests {
    private let releaseNotes = SampleDocuments.releaseNotes
    private var units: [CandidateUnit] { DocumentCut.cut(releaseNotes.body) }

    /// A scratch database with a pack created in it and a read-only role of its own.
    private func createdPack(_ label: String) throws -> (database: ScratchDatabase, location: PostgresLocation) {
        let database = try TestServer.scratchDatabase(label)
        let location = try database.withReadOnlyRole()
        let created = try PostgresContextPack.create(location: location)
        #expect(!created.readOnlyRoleMissing)
        return (database, location)
    }

    @Test func aNewPackHoldsTheSampleDocumentsWithTheSameDigestAsTheEmbeddedPack() throws {
        let (database, location) = try createdPack("create")
        defer { database.drop() }
        let pack = try PostgresContextPack(location: location, readOnly: true)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-pack-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let embedded = try SQLiteContextPack.create(path: directory + "/pack.sqlite")

        #expect(try pack.documents() == SampleDocuments.all)
        #expect(try pack.snapshot() == embedded.snapshot())
        #expect(try pack.snapshot().counts == ["document": 3, "unit": 0, "cut_marker": 0])
        #expect(try pack.identity().location == location.description)
        #expect(try pack.identity().schemaVersion == 1)
    }

    @Test func initRefusesADatabaseThatAlreadyHasAPack() throws {
        let (database, location) = try createdPack("twice")
        defer { database.drop() }
        let before = try PostgresContextPack(location: location, readOnly: true).identity()
        #expect {
            try PostgresContextPack.create(location: location)
        } throws: { error in
            "\(error)".contains("already has a schema 'context_pack'")
        }
        #expect(try PostgresContextPack(location: location, readOnly: true).identity() == before)
    }

    @Test func initSaysWhenTheReadOnlyRoleIsMissing() throws {
        let database = try TestServer.scratchDatabase("norole")
        defer { database.drop() }
        var location = database.location
        location.readOnlyUser = "no_such_reader_\(database.location.database)"
        let created = try PostgresContextPack.create(location: location)
        #expect(created.readOnlyRoleMissing)
        #expect(PostgresContextPack.readOnlyRoleSQL(location).contains("CREATE ROLE \"\(location.readOnlyUser)\" LOGIN"))
        #expect {
            try PostgresContextPack(location: location, readOnly: true)
        } throws: { error in
            [.missingRole, .authentication].contains((error as? PostgresFailure)?.kind) && "\(error)".contains(location.readOnlyUser)
        }
    }

    @Test func aDatabaseWithoutAPackIsNotATarget() throws {
        let database = try TestServer.scratchDatabase("empty")
        defer { database.drop() }
        #expect {
            try PostgresContextPack(location: database.location, readOnly: false)
        } throws: { error in
            "\(error)".contains("has no schema 'context_pack'") && "\(error)".contains("gatehouse init --target")
        }
    }

    @Test func aReadOnlyRoleWithoutGrantsIsToldWhatIsMissing() throws {
        let (database, location) = try createdPack("nogrant")
        defer { database.drop() }
        let admin = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        try admin.execute(PostgresQuery(unsafeSQL: "REVOKE SELECT ON ALL TABLES IN SCHEMA context_pack FROM \(location.readOnlyUser)"))
        admin.close()
        #expect {
            try PostgresContextPack(location: location, readOnly: true).snapshot()
        } throws: { error in
            (error as? PostgresFailure)?.kind == .missingObject && "\(error)".contains("permission denied")
        }
    }

    @Test func aDryApplyReadsEverythingInOneReadOnlyTransactionAndWritesNothing() throws {
        let (database, location) = try createdPack("dry")
        defer { database.drop() }
        let before = try PostgresContextPack(location: location, readOnly: true).snapshot()
        let writesBefore = try TableStatistics.read(database)

        let outcome = try PostgresContextPack(location: location, readOnly: true)
            .dryApply(document: releaseNotes, units: units, runID: "dry-1")

        #expect(outcome == ApplyOutcome(inserted: units.count, alreadyAppliedBy: nil))
        #expect(try PostgresContextPack(location: location, readOnly: true).snapshot() == before)
        #expect(try TableStatistics.read(database) == writesBefore)
    }

    @Test func aLiveApplyWritesEachUnitOnceAndASecondApplyWritesNothing() throws {
        let (database, location) = try createdPack("live")
        defer { database.drop() }
        let pre = try PostgresContextPack(location: location, readOnly: true).snapshot()
        let writesBefore = try TableStatistics.read(database)
        let writer = try PostgresContextPack(location: location, readOnly: false)

        let first = try writer.apply(document: releaseNotes, units: units, runID: "live-1", expectedPreState: pre.sha256,
                                     progress: { _ in }, beforeCommit: {})
        let second = try writer.apply(document: releaseNotes, units: units, runID: "live-2", expectedPreState: pre.sha256,
                                      progress: { _ in }, beforeCommit: {})

        #expect(first == ApplyOutcome(inserted: 8, alreadyAppliedBy: nil))
        #expect(second == ApplyOutcome(inserted: 0, alreadyAppliedBy: "live-1"))
        #expect(try writer.snapshot().counts == ["document": 3, "unit": 8, "cut_marker": 1])
        writer.close()
        // The server's own statistics saw 8 units and 1 marker inserted: the dry-run test's
        // "nothing changed" is measured by an instrument that does see writes.
        #expect(try TableStatistics.read(database).inserted - writesBefore.inserted == 9)
    }

    @Test func drawingTheSameCutOnBothTargetsLeavesTheSameDigest() throws {
        let (database, location) = try createdPack("same")
        defer { database.drop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-pack-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let embedded = try SQLiteContextPack.create(path: directory + "/pack.sqlite")
        let postgres = try PostgresContextPack(location: location, readOnly: false)
        let pre = try postgres.snapshot().sha256
        for target in [embedded, postgres] as [any CutTarget] {
            _ = try target.apply(document: releaseNotes, units: units, runID: "same-run", expectedPreState: pre,
                                 progress: { _ in }, beforeCommit: {})
        }
        #expect(try postgres.snapshot() == embedded.snapshot())
    }

    @Test func driftBetweenSnapshotAndApplyAbortsAndWritesNothing() throws {
        let (database, location) = try createdPack("drift")
        defer { database.drop() }
        let pre = try PostgresContextPack(location: location, readOnly: true).snapshot()
        // Someone else changes a document's title after the pre-state snapshot.
        let admin = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        try admin.execute("UPDATE context_pack.document SET title = title || ' (edited)' WHERE id = 'constitution'")
        admin.close()

        #expect(throws: TargetError.self) {
            try PostgresContextPack(location: location, readOnly: false)
                .apply(document: releaseNotes, units: units, runID: "drift-1", expectedPreState: pre.sha256,
                       progress: { _ in }, beforeCommit: {})
        }
        #expect(try PostgresContextPack(location: location, readOnly: true).snapshot().counts["unit"] == 0)
    }

    @Test func aConnectionKilledMidApplyLeavesNoPartialWrite() throws {
        let (database, location) = try createdPack("killed")
        defer { database.drop() }
        let pre = try PostgresContextPack(location: location, readOnly: true).snapshot()
        let writer = try PostgresContextPack(location: location, readOnly: false)
        let admin = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        defer { admin.close() }

        #expect {
            try writer.apply(document: releaseNotes, units: units, runID: "killed-1", expectedPreState: pre.sha256,
                             progress: { done in
                                 // After the third unit, the server ends the writer's connection.
                                 if done == 3 {
                                     try admin.execute("""
                                         SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                         WHERE datname = \(database.location.database) AND application_name = 'gatehouse-apply'
                                         """)
                                 }
                             }, beforeCommit: {})
        } throws: { error in
            (error as? PostgresFailure)?.kind == .connectionLost
        }
        let after = try PostgresContextPack(location: location, readOnly: true).snapshot()
        #expect(after == pre)
    }

    @Test func theReadOnlyRoleCannotApply() throws {
        let (database, location) = try createdPack("roapply")
        defer { database.drop() }
        let reader = try PostgresContextPack(location: location, readOnly: true)
        #expect {
            try reader.apply(document: releaseNotes, units: units, runID: "x", expectedPreState: "",
                             progress: { _ in }, beforeCommit: {})
        } throws: { error in
            "\(error)".contains("read-only role")
        }
    }

    @Test func aBackupRestoresThePackAsItWasAndATamperedOneIsRefused() throws {
        let (database, location) = try createdPack("backup")
        defer { database.drop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-backup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try PostgresContextPack(location: location, readOnly: false)
        let pre = try writer.snapshot()
        let backup = try writer.backup(to: directory + "/run-1.dump")
        #expect(backup.bytes > 0)
        #expect(try SQLiteContextPack.sha256(ofFile: backup.path) == backup.sha256)
        #expect(throws: TargetError.self) { try writer.backup(to: backup.path) }

        _ = try writer.apply(document: releaseNotes, units: units, runID: "r", expectedPreState: pre.sha256,
                             progress: { _ in }, beforeCommit: {})
        #expect(try writer.snapshot() != pre)

        #expect {
            try PostgresDump.restore(backupPath: backup.path, expectedSHA256: String(repeating: "0", count: 64), into: location)
        } throws: { error in
            "\(error)".contains("nothing was restored")
        }
        try PostgresDump.restore(backupPath: backup.path, expectedSHA256: backup.sha256, into: location)
        let restored = try PostgresContextPack(location: location, readOnly: true)
        #expect(try restored.snapshot() == pre)
        // The grants came back with the tables: the read-only role still reads them.
        #expect(try restored.documents().count == 3)
    }

    @Test func aDrillRestoresADumpIntoAScratchDatabaseAndReadsItThere() throws {
        let (database, location) = try createdPack("drill")
        defer { database.drop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-drill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = try PostgresContextPack(location: location, readOnly: false)
        let pre = try writer.snapshot()
        let backup = try writer.backup(to: directory + "/run-1.dump")
        _ = try writer.apply(document: releaseNotes, units: units, runID: "r", expectedPreState: pre.sha256,
                             progress: { _ in }, beforeCommit: {})
        let after = try writer.snapshot()

        // The dump holds the pre-state, read from a scratch database; the pack keeps its cut
        #expect(try PostgresDump.drill(backup: backup.path, sha256: backup.sha256, into: location) == pre.sha256)
        #expect(try writer.snapshot() == after)
        #expect(try database.scratchDatabasesLeftBeside() == [])

        // A file that is no dump, even with its own digest, does not restore and is said not to be a backup
        let other = directory + "/other.dump"
        try Data("not a pg_dump archive\n".utf8).write(to: URL(fileURLWithPath: other))
        let digest = try SQLiteContextPack.sha256(ofFile: other)
        #expect {
            try PostgresDump.drill(backup: other, sha256: digest, into: location)
        } throws: { error in
            "\(error)".contains("it does not restore into a scratch database")
        }
        #expect(try database.scratchDatabasesLeftBeside() == [])
        // And one whose bytes changed after it was journaled is refused before any restore
        #expect {
            try PostgresDump.drill(backup: backup.path, sha256: String(repeating: "0", count: 64), into: location)
        } throws: { error in
            "\(error)".contains("SHA-256")
        }
    }
}
