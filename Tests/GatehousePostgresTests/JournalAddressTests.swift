import Foundation
import GatehouseEngine
import GatehousePostgres
import GatehouseTestSupport
import Testing

/// Where `--journal` points: a file or a PostgreSQL database.
@Suite("Journal addresses")
struct JournalAddressTests {
    @Test func aPostgresURLIsAPostgreSQLJournalAndAnythingElseAFile() throws {
        #expect(try JournalAddress(parsing: "/var/lib/gatehouse/journal.sqlite") == .file("/var/lib/gatehouse/journal.sqlite"))
        #expect(try JournalAddress(parsing: "journal.sqlite") == .file("journal.sqlite"))
        let address = try JournalAddress(parsing: "postgresql://gatehouse@db.example/ops")
        #expect(address == .postgres(PostgresLocation(user: "gatehouse", host: "db.example", database: "ops")))
        #expect(address.description == "postgres://gatehouse@db.example:5432/ops")
    }

    @Test func aPasswordInAJournalLocationIsRefusedAndNotRepeated() {
        #expect {
            try JournalAddress(parsing: "postgres://gatehouse:hunter2@db.example/ops")
        } throws: { error in
            "\(error)".contains("PGPASSWORD") && !"\(error)".contains("hunter2")
        }
    }

    @Test func aMissingFileJournalIsNamedAndNotCreated() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("absent-\(UUID().uuidString)/journal.sqlite").path
        let address = JournalAddress.file(path)
        #expect(throws: JournalAddressError.noJournal(address)) { try address.open(create: false) }
        #expect(try address.openForReading() == nil)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect("\(JournalAddressError.noJournal(address))".contains("no journal at \(path)"))
    }

    @Test func runnersOfAPostgreSQLJournalWriteTheirOutputInTheLocalStateDirectory() {
        let address = JournalAddress.postgres(PostgresLocation(user: "g", host: "db", database: "ops"))
        #expect(address.runnerOutputDirectory(environment: ["XDG_STATE_HOME": "/state", "GATEHOUSE_JOURNAL": "postgres://g@db/ops"])
                == "/state/gatehouse/runners")
        #expect(JournalAddress.file("/j/journal.sqlite").runnerOutputDirectory() == "/j/journal.sqlite.runners")
    }

    @Test(.enabled(if: !TestServer.skipped, "GATEHOUSE_SKIP_POSTGRES=1"))
    func aDatabaseWithoutAJournalIsNamedAndNothingIsCreated() throws {
        let database = try TestServer.scratchDatabase("address")
        defer { database.drop() }
        let address = JournalAddress.postgres(database.location)
        #expect(throws: JournalAddressError.noJournal(address)) { try address.open(create: false) }
        #expect(try address.openForReading() == nil)
        // And opening to create makes one that a reader then finds
        try address.open(create: true).append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        #expect(try address.openForReading()?.headSequence() == 1)
    }
}
