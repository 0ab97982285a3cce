import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import PostgresNIO
import Testing
@testable import GatehousePostgres

/// What only the PostgreSQL journal does: watchers notified through LISTEN/NOTIFY, tables
/// created once by one of several processes, connections lost and found again, a database
/// that cannot keep its text. The contract it shares with SQLite is ``JournalContractTests``.
@Suite("The PostgreSQL journal", .enabled(if: !TestServer.skipped, "GATEHOUSE_SKIP_POSTGRES=1"))
struct PostgresJournalTests {
    /// Ends the server processes of `database` whose application name is `application`.
    private static func terminate(_ application: String, in database: ScratchDatabase) throws -> Int {
        let admin = try TestServer.administer()
        defer { admin.close() }
        let rows = try admin.rows("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = \(database.location.database) AND application_name = \(application)
            """)
        return rows.count
    }

    // MARK: - Programme acts

    @Test func programmeActsAreJournaledInTheSameChainAndFoldedByAnotherInstance() throws {
        let database = try TestServer.scratchDatabase("programme")
        defer { database.drop() }
        let programme = ProgrammeLoader.embedded()
        let acts = ProgrammeActs(store: try RunStore(journal: PostgresJournal(location: database.location)), programme: programme)
        try acts.conditionMet(gate: "GATE-O6", condition: nil, evidence: "review package", as: "demo", keyFile: nil)
        try acts.signOff(gate: "GATE-O6", pass: true, reason: "", as: "demo", keyFile: nil)
        #expect(throws: ProgrammeRefusal.self) { try acts.signOff(gate: "GATE-O6", pass: true, reason: "", as: "mallory", keyFile: nil) }
        // A second instance reads the same chain: the charter, the two acts, the refusal
        let other = try PostgresJournal(location: database.location)
        #expect(try other.verify() == .intact(count: 4, head: try other.events(after: 3)[0].hash))
        let ledger = try RunStore(journal: other).ledger
        #expect(ledger.anomalies.isEmpty)
        #expect(ledger.programme.board(ProgrammeCharter(programme)).entry("GATE-O6")?.status == .pass)
        #expect(ledger.programme.book(of: "O5").refusals.map(\.refusal.by) == ["mallory"])
    }

    // MARK: - Watchers

    @Test func aWatcherLearnsOfAnotherInstancesAppendWithoutAskingTheServer() throws {
        let database = try TestServer.scratchDatabase("notify")
        defer { database.drop() }
        let watcher = try PostgresJournal(location: database.location)
        let writer = try PostgresJournal(location: database.location)
        // Given a watcher that asked for the head once (it now listens)
        #expect(try watcher.headSequence() == 0)
        #expect(watcher.headQueries == 1)
        // When another instance appends three events, one of them in a transaction of two
        try writer.append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        try writer.append(after: .max) { _ in [JournalEntry(runID: "r", kind: "b", actor: "x"), JournalEntry(runID: "r", kind: "c", actor: "x")] }
        // Then the watcher's head comes to 3 by notification: it never asked the server again
        #expect(try eventually { try watcher.headSequence() == 3 })
        #expect(watcher.headQueries == 1)
    }

    @Test func aWatchersOwnAppendsShowInItsHeadAtOnce() throws {
        let database = try TestServer.scratchDatabase("ownhead")
        defer { database.drop() }
        let journal = try PostgresJournal(location: database.location)
        #expect(try journal.headSequence() == 0)
        try journal.append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        #expect(try journal.headSequence() == 1)
        #expect(journal.headQueries == 1)
    }

    @Test func aLostListeningConnectionIsReplacedAndNothingIsMissed() throws {
        let database = try TestServer.scratchDatabase("relisten")
        defer { database.drop() }
        let watcher = try PostgresJournal(location: database.location)
        let writer = try PostgresJournal(location: database.location)
        #expect(try watcher.headSequence() == 0)
        // Given the server ends the watcher's listening connection, and an event is appended
        // while no one listens
        #expect(try Self.terminate("gatehouse journal listener", in: database) == 1)
        try writer.append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        // When the watcher asks for the head, it reads it from the server and listens again
        #expect(try eventually { try watcher.headSequence() == 1 })
        #expect(watcher.headQueries == 2)
        // Then appends are notified again
        try writer.append(JournalEntry(runID: "r", kind: "b", actor: "x"))
        #expect(try eventually { try watcher.headSequence() == 2 })
        #expect(watcher.headQueries == 2)
    }

    // MARK: - Opening

    @Test func processesOpeningANewJournalAtTheSameInstantAllSucceed() throws {
        let database = try TestServer.scratchDatabase("race")
        defer { database.drop() }
        // When 8 processes open the journal of an empty database at once
        try onThreads(8) { index in
            let journal = try PostgresJournal(location: database.location)
            try journal.append(JournalEntry(runID: "r", kind: "opened", actor: "p\(index)"))
        }
        // Then one created its tables, and every one appended to the one chain
        let journal = try PostgresJournal(location: database.location)
        guard case .intact(let count, _) = try journal.verify() else { Issue.record("the chain is broken"); return }
        #expect(count == 8)
    }

    @Test func openingToReadWhereThereIsNoJournalSaysHowToMakeOne() throws {
        let database = try TestServer.scratchDatabase("nojournal")
        defer { database.drop() }
        #expect {
            try PostgresJournal(location: database.location, create: false)
        } throws: { error in
            let text = "\(error)"
            return error is PostgresJournalError && text.contains("no journal in \(database.location)")
                && text.contains("gatehouse run --dry-run --journal \(database.location)")
        }
        // And nothing was created
        let admin = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        defer { admin.close() }
        #expect(try admin.rows("SELECT to_regnamespace('gatehouse_journal') IS NULL").first?.decode(Bool.self) == true)
    }

    @Test func aDatabaseThatDoesNotKeepUTF8IsRefused() throws {
        let admin = try TestServer.administer()
        defer { admin.close() }
        let name = "gh_latin1_\(UInt32.random(in: 0...UInt32.max))"
        try admin.execute(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) ENCODING 'LATIN1' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"))
        var location = try TestServer.administrator()
        location.database = name
        let database = ScratchDatabase(location: location)
        defer { database.drop() }
        #expect {
            try PostgresJournal(location: location)
        } throws: { error in
            "\(error)".contains("stores text as LATIN1") && "\(error)".contains("createdb --encoding=UTF8")
        }
    }

    // MARK: - Tampering PostgreSQL's way

    @Test func aDroppedHeadTableIsFoundAndNotSilentlyMadeAgain() throws {
        let database = try TestServer.scratchDatabase("droppedhead")
        defer { database.drop() }
        let journal = try PostgresJournal(location: database.location)
        for index in 1...3 { try journal.append(JournalEntry(runID: "r", kind: "k\(index)", actor: "a")) }
        let admin = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        defer { admin.close() }
        // Given the head record dropped, and the last event with it (a cut-off end)
        try admin.execute("DROP TABLE gatehouse_journal.chain_head")
        try admin.execute("DELETE FROM gatehouse_journal.event WHERE sequence = 3")
        // Then opening the journal again does not make a new record that would hide the cut
        let reopened = try PostgresJournal(location: database.location)
        #expect(try reopened.verify() == .broken(sequence: 2, reason: "the journal's record of its last event (table chain_head) is missing or not readable: the journal's tables were edited"))
        // And appending says what is wrong rather than appending past it
        #expect {
            try reopened.append(JournalEntry(runID: "r", kind: "k4", actor: "a"))
        } throws: { error in
            "\(error)".contains("missing one of its tables") && "\(error)".contains("gatehouse verify --journal \(database.location)")
        }
    }

    @Test func aDroppedEventTableIsACutOffEnd() throws {
        let database = try TestServer.scratchDatabase("droppedevents")
        defer { database.drop() }
        let journal = try PostgresJournal(location: database.location)
        for index in 1...3 { try journal.append(JournalEntry(runID: "r", kind: "k\(index)", actor: "a")) }
        let admin = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        defer { admin.close() }
        try admin.execute("DROP TABLE gatehouse_journal.event")
        #expect(try PostgresJournal(location: database.location).verify()
                == .broken(sequence: 1, reason: "event 1 is missing: the journal recorded event 3 as its last, so events were cut off its end"))
    }

    // MARK: - Connections

    @Test func aJournalWhoseConnectionTheServerEndedConnectsAgain() throws {
        let database = try TestServer.scratchDatabase("reconnect")
        defer { database.drop() }
        let journal = try PostgresJournal(location: database.location)
        let first = try journal.append(JournalEntry(runID: "r", kind: "a", actor: "x"))
        // Given the server ended the journal's connection (a restart, an administrator)
        #expect(try Self.terminate("gatehouse journal", in: database) == 1)
        // When it appends: at most the first attempt fails, saying the connection was lost
        var failures: [PostgresFailure] = []
        var second: JournalEvent?
        for _ in 0..<2 where second == nil {
            do {
                second = try journal.append(JournalEntry(runID: "r", kind: "b", actor: "x"))
            } catch let failure as PostgresFailure {
                failures.append(failure)
            }
        }
        // Then the next attempt connects again and chains on
        #expect(failures.allSatisfy { $0.kind == .connectionLost })
        #expect(second?.previousHash == first.hash)
        #expect(try journal.verify() == .intact(count: 2, head: try #require(second).hash))
    }
}
