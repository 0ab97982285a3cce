import Foundation
import GRDB
import GatehouseCore
import Testing
@testable import GatehouseEngine
#if canImport(Glibc)
import Glibc
#endif

/// A watcher sleeps until the journal's change notice wakes it: the notice must come for
/// every append, from any process, and not for other files beside the journal.
@Suite struct JournalChangeNoticeTests {
    private func readable(_ descriptor: Int32, within milliseconds: Int32) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) == 1
    }

    @Test func anAppendByAnotherConnectionWakesTheWatcherAndOtherFilesDoNot() throws {
        #if os(Linux)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notice-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        let writer = try SQLiteJournal(path: path)
        try writer.append(JournalEntry(runID: "r", kind: "k", actor: "a"))
        let watcher = try SQLiteJournal(readingOnly: path)
        let notice = try #require(watcher.changeNotice())
        notice.drain()
        // Reading the journal is not a change
        _ = try watcher.events(after: 0)
        _ = try watcher.verify()
        #expect(!readable(notice.fileDescriptor, within: 50))
        // A file beside the journal wakes the descriptor but is not a change of the journal
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/runner.out"))
        #expect(readable(notice.fileDescriptor, within: 1000))
        #expect(!notice.drain())
        // An append through another connection is
        let other = try SQLiteJournal(path: path)
        try other.append(JournalEntry(runID: "r", kind: "k2", actor: "a"))
        #expect(readable(notice.fileDescriptor, within: 1000))
        #expect(notice.drain())
        #expect(!readable(notice.fileDescriptor, within: 0))
        #endif
    }

    @Test func aJournalInMemoryHasNoNotice() throws {
        let journal = try SQLiteJournal(writer: DatabaseQueue())
        #expect(journal.changeNotice() == nil)
    }
}
