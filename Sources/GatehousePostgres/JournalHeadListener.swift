import Foundation

/// Keeps a PostgreSQL journal's head sequence as the server notifies it (LISTEN/NOTIFY), so a
/// watcher asking for it ten times a second costs no round trip.
///
/// Every append notifies the journal's channel with its new head in the transaction that
/// appends, so the notification is sent when (and only if) the append commits. The first time
/// the head is asked for, the listener opens a connection of its own, LISTENs, and only then
/// reads the head once: an append committed in between is both read and notified, and none is
/// missed. From then on the head is the highest one notified, without asking the server. When
/// the listening connection is lost, the next call reads the head again with a query and
/// listens anew; while listening fails, calls query instead (and try listening again every
/// ``retryEvery`` calls).
///
/// A notification arrives a moment after the commit that sends it: between the two, another
/// process's append is committed but not yet in the head given here (the listener's own
/// journal's appends are, at once).
final class JournalHeadListener: @unchecked Sendable {
    /// How many calls query the head, after listening failed, before listening is tried again.
    static let retryEvery = 20

    private let channel: String
    private let connect: () throws -> PostgresSession
    private let readHead: (PostgresSession) throws -> Int64

    /// Guards the fields below; held only for a moment (postgres-nio's threads take it too).
    private let state = NSLock()
    private var listening: PostgresSession?
    private var notified: Int64 = 0
    private var callsUntilRetry = 0
    private var queries = 0
    /// Taken by a caller that (re)opens the listening connection, so only one does at a time.
    private let opening = NSLock()

    /// - Parameters:
    ///   - connect: opens a connection for listening.
    ///   - readHead: reads the head from the server on a connection.
    init(channel: String, connect: @escaping () throws -> PostgresSession,
         readHead: @escaping (PostgresSession) throws -> Int64) {
        self.channel = channel
        self.connect = connect
        self.readHead = readHead
    }

    /// How many times the head was read from the server (the first call, a lost listening
    /// connection, a fallback): what a test checks to see that notifications do the rest.
    var headQueries: Int {
        state.withLock { queries }
    }

    /// The head: the last one notified while listening, else read with a query (through
    /// `fallback` when no listening connection can be opened).
    func head(fallback: () throws -> Int64) throws -> Int64 {
        if let known = listenedHead() { return known }
        opening.lock()
        defer { opening.unlock() }
        if let known = listenedHead() { return known }
        let retry = state.withLock { () -> Bool in
            if callsUntilRetry > 0 { callsUntilRetry -= 1 }
            return callsUntilRetry == 0
        }
        if retry, let head = try? listen() { return head }
        state.withLock {
            queries += 1
            if callsUntilRetry == 0 { callsUntilRetry = Self.retryEvery }
        }
        return try fallback()
    }

    /// Records a head known otherwise (an append of this journal, committed).
    func advance(to sequence: Int64) {
        state.withLock { notified = max(notified, sequence) }
    }

    /// Stops listening.
    func close() {
        let session = state.withLock { () -> PostgresSession? in
            defer { listening = nil }
            return listening
        }
        session?.close()
    }

    /// The notified head while the listening connection stands; nil when it does not.
    private func listenedHead() -> Int64? {
        let (session, head) = state.withLock { (listening, notified) }
        guard let session else { return nil }
        guard session.isClosed else { return head }
        state.withLock { if listening === session { listening = nil } }
        return nil
    }

    /// Opens a listening connection, then reads the head on it.
    private func listen() throws -> Int64 {
        let session = try connect()
        do {
            state.withLock { notified = 0 }
            try session.listen(channel: channel) { [weak self] payload in
                guard let sequence = Int64(payload) else { return }
                self?.advance(to: sequence)
            }
            let read = try readHead(session)
            return state.withLock {
                queries += 1
                notified = max(notified, read)
                listening = session
                return notified
            }
        } catch {
            session.close()
            throw error
        }
    }
}
