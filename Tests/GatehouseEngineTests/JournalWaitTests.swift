import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// How a runner waits at a gate: on the journal's change notice and its stop request.
struct JournalWaitTests {
    private func makeJournal() throws -> SQLiteJournal {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wait-\(UUID().uuidString)").path
        return try SQLiteJournal(path: directory + "/journal.sqlite")
    }

    @Test(.timeLimit(.minutes(1))) func aWaitEndsWhenAnotherWriterAppends() throws {
        // Given a runner waiting for the journal's head to move, with no timer to fall back on
        let journal = try makeJournal()
        let wait = JournalWait(journal: journal, stop: StopSignal(), fallback: 3_600)
        let writer = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            _ = try? journal.append(JournalEntry(runID: "r", kind: "note", actor: "approver"))
        }

        // When another writer appends meanwhile
        var asked = 0
        writer.start()
        wait.wait { asked += 1; return ((try? journal.headSequence()) ?? 0) > 0 }

        // Then the wait has ended on the notice, having asked once before and again after it
        #expect(try journal.headSequence() == 1)
        #expect(asked >= 2)
    }

    @Test(.timeLimit(.minutes(1))) func aStopRequestEndsAWaitForAChangeThatNeverComes() throws {
        let journal = try makeJournal()
        let stop = StopSignal()
        let wait = JournalWait(journal: journal, stop: stop, fallback: 3_600)
        Thread { Thread.sleep(forTimeInterval: 0.05); stop.raise(SIGTERM) }.start()

        wait.wait { false }

        #expect(stop.requested == SIGTERM)
    }

    @Test func aChangeBeforeTheWaitIsSeenWithoutSleeping() throws {
        // Given an append that lands before the wait begins
        let journal = try makeJournal()
        let wait = JournalWait(journal: journal, stop: StopSignal(), fallback: 3_600)
        try journal.append(JournalEntry(runID: "r", kind: "note", actor: "approver"))

        // Then the first look finds it
        var asked = 0
        wait.wait { asked += 1; return ((try? journal.headSequence()) ?? 0) > 0 }
        #expect(asked == 1)
    }
}
