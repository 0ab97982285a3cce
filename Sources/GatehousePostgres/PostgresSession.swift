import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// One connection to a PostgreSQL server, for synchronous code: every call blocks its thread
/// until the server has answered.
///
/// Gatehouse's runner, CLI and dashboard are synchronous (threads, not tasks); this is the one
/// place that talks to postgres-nio, through its future-based API: the work runs on NIO's
/// event-loop threads while the caller waits, so no thread of Swift's cooperative pool is
/// needed (a task bridged over a semaphore deadlocks once the pool's few threads all wait).
/// Every error is thrown as a ``PostgresFailure``.
public final class PostgresSession: Sendable {
    /// Where this session is connected, `user` being the role it connected as.
    public let location: PostgresLocation
    private let connection: PostgresConnection
    /// How long one statement may take before the session gives up and closes the connection
    /// (the server then rolls back whatever was not committed).
    public let queryTimeout: TimeAmount
    /// What to fail when the connection closes under a statement.
    private let pending = PendingStatements()

    private static let logger = Logger(label: "gatehouse.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(location: PostgresLocation, connection: PostgresConnection, queryTimeout: TimeAmount) {
        self.location = location
        self.connection = connection
        self.queryTimeout = queryTimeout
        connection.closeFuture.whenComplete { [pending] _ in pending.connectionClosed() }
    }

    deinit {
        // The closure keeps the connection alive until it is closed (postgres-nio asserts that
        // a connection is closed before it goes).
        let connection = connection
        connection.close().whenComplete { _ in _ = connection }
    }

    /// Connects to `location` as its user, with the password from the environment or `.pgpass`.
    ///
    /// `applicationName` shows in `pg_stat_activity` (so an operator can find the runner's
    /// connection, and a test can end it).
    public static func connect(to location: PostgresLocation, applicationName: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               connectTimeout: TimeAmount = .seconds(10),
                               queryTimeout: TimeAmount = .seconds(120)) throws -> PostgresSession {
        let tls: PostgresConnection.Configuration.TLS
        switch location.sslMode {
        case .disable:
            tls = .disable
        case .prefer, .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: configuration)
            } catch {
                throw PostgresFailure(kind: .unreachable, message: "cannot set up TLS for \(location): \(error)")
            }
            tls = location.sslMode == .require ? .require(context) : .prefer(context)
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: PostgresPassword.lookup(for: location, environment: environment),
            database: location.database, tls: tls)
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        let connection = try waiting(location) {
            PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                       id: 1, logger: logger)
        }
        return PostgresSession(location: location, connection: connection, queryTimeout: queryTimeout)
    }

    /// Runs `query` and returns every row it produced.
    @discardableResult
    public func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try Self.waiting(location, on: connection, pending: pending, timeout: queryTimeout) {
            connection.query(query, logger: Self.logger)
        }.rows
    }

    /// Runs `query`, which returns no rows that matter (DDL, INSERT, LOCK, NOTIFY…).
    public func execute(_ query: PostgresQuery) throws {
        try rows(query)
    }

    /// Runs each of `statements` in turn (the extended protocol takes one statement a query).
    public func execute(statements: [String]) throws {
        for statement in statements { try execute(PostgresQuery(unsafeSQL: statement)) }
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    public func transaction<T>(_ begin: PostgresQuery = "BEGIN", _ body: () throws -> T) throws -> T {
        try execute(begin)
        let value: T
        do {
            value = try body()
        } catch {
            rollBack()
            throw error
        }
        try execute("COMMIT")
        return value
    }

    /// Runs `body` in a `BEGIN READ ONLY` transaction that is always rolled back: any write
    /// inside is refused by the server itself (SQLSTATE 25006).
    public func readOnlyTransaction<T>(begin: PostgresQuery = "BEGIN READ ONLY", _ body: () throws -> T) throws -> T {
        try execute(begin)
        defer { rollBack() }
        return try body()
    }

    /// Ends the transaction in progress, if the connection still stands (a lost connection's
    /// transaction is rolled back by the server).
    private func rollBack() {
        _ = try? execute("ROLLBACK")
    }

    /// Calls `handler` with each payload notified on `channel`, from a thread of postgres-nio's.
    public func listen(channel: String, handler: @escaping @Sendable (String) -> Void) throws {
        connection.addListener(channel: channel) { _, notification in handler(notification.payload) }
        try execute(PostgresQuery(unsafeSQL: "LISTEN \(Self.quoted(identifier: channel))"))
    }

    /// Closes the connection; later calls fail.
    public func close() {
        _ = try? Self.waiting(location) { connection.close() }
    }

    /// Whether the connection has ended (closed here, by the server, or by the network).
    public var isClosed: Bool {
        connection.isClosed
    }

    /// The server process serving this session (what `pg_terminate_backend` takes).
    public func backendPID() throws -> Int32 {
        guard let row = try rows("SELECT pg_backend_pid()").first else { return 0 }
        return try row.decode(Int32.self)
    }

    /// `name` as a quoted SQL identifier.
    public static func quoted(identifier name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` as a quoted SQL string literal.
    public static func quoted(literal text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    // MARK: - Waiting for the event loop

    /// Waits for the future `start` returns, translating its errors.
    private static func waiting<T: Sendable>(_ location: PostgresLocation,
                                             _ start: () -> EventLoopFuture<T>) throws -> T {
        do {
            return try start().wait()
        } catch {
            throw PostgresFailure(error, location: location)
        }
    }

    /// Waits for a statement's future, but never past the connection's end or `timeout`.
    ///
    /// postgres-nio leaves a statement's future pending forever when it is sent on a
    /// connection the server has just ended (seen with `pg_terminate_backend`): the wait also
    /// ends when the connection closes, and after `timeout` it closes the connection itself.
    private static func waiting<T: Sendable>(_ location: PostgresLocation, on connection: PostgresConnection,
                                             pending: PendingStatements, timeout: TimeAmount,
                                             _ start: () -> EventLoopFuture<T>) throws -> T {
        let lost = PostgresFailure(kind: .connectionLost, message:
            "the connection to PostgreSQL at \(location.host):\(location.port) was lost (role '\(location.user)', database '\(location.database)'); whatever was not committed was rolled back by the server")
        guard !connection.isClosed else { throw lost }
        let eventLoop = connection.eventLoop
        let answer = eventLoop.makePromise(of: T.self)
        guard pending.register({ answer.fail(lost) }) else {
            answer.fail(lost)
            throw lost
        }
        defer { pending.unregister() }
        start().cascade(to: answer)
        let deadline = eventLoop.scheduleTask(in: timeout) {
            answer.fail(PostgresFailure(kind: .connectionLost, message:
                "PostgreSQL at \(location.host):\(location.port) did not answer within \(timeout.nanoseconds / 1_000_000_000) s (role '\(location.user)'); the connection was closed, so the server rolls back whatever was not committed"))
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in }
        }
        defer { deadline.cancel() }
        do {
            return try waiting(location) { answer.futureResult }
        } catch let failure as PostgresFailure where failure.kind == .unreachable {
            // The session was connected: a connection error on it (a write to a socket the
            // server has just closed) means the connection was lost, not that the server is down.
            throw lost
        }
    }
}

/// The statement a session waits for, failed if the connection closes first.
private final class PendingStatements: @unchecked Sendable {
    private let lock = NSLock()
    private var fail: (@Sendable () -> Void)?
    private var closed = false

    /// Registers what fails the statement being sent; false if the connection already closed.
    func register(_ fail: @escaping @Sendable () -> Void) -> Bool {
        lock.withLock {
            guard !closed else { return false }
            self.fail = fail
            return true
        }
    }

    func unregister() {
        lock.withLock { fail = nil }
    }

    func connectionClosed() {
        let fail = lock.withLock { () -> (@Sendable () -> Void)? in
            closed = true
            return self.fail
        }
        fail?()
    }
}
