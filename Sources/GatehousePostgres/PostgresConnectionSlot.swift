import Foundation

/// One session to a database, used by one caller at a time: connected on first use, and again
/// on the use after it was lost.
///
/// A transaction needs its connection to itself, so a use holds the slot until it returns;
/// threads sharing a slot queue here. A use must not use the same slot again (it would wait
/// for itself).
final class PostgresConnectionSlot: @unchecked Sendable {
    let location: PostgresLocation
    private let applicationName: String
    private let environment: [String: String]
    /// Held for a whole use; taken only by callers' threads, never by postgres-nio's.
    private let lock = NSLock()
    private var session: PostgresSession?

    init(location: PostgresLocation, applicationName: String, environment: [String: String]) {
        self.location = location
        self.applicationName = applicationName
        self.environment = environment
    }

    deinit {
        session?.close()
    }

    /// Runs `body` on the slot's session, connecting first if there is none or it was lost.
    ///
    /// A use that fails because the connection ended forgets the session, so that the next use
    /// connects again; what the server had not committed was rolled back by it.
    func use<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let current: PostgresSession
        if let session, !session.isClosed {
            current = session
        } else {
            current = try PostgresSession.connect(to: location, applicationName: applicationName, environment: environment)
            session = current
        }
        do {
            return try body(current)
        } catch {
            if current.isClosed || (error as? PostgresFailure)?.kind == .connectionLost {
                current.close()
                session = nil
            }
            throw error
        }
    }

    /// A new session of its own (not the slot's), to the same database as the same role.
    func connectAnother(applicationName: String) throws -> PostgresSession {
        try PostgresSession.connect(to: location, applicationName: applicationName, environment: environment)
    }

    /// Closes the session; a later use connects again.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        session?.close()
        session = nil
    }
}
