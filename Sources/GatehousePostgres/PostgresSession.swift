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
    /// The queries sent and not answered yet, failed when the connection ends.
    private let unanswered = UnansweredQueries()

    private static let logger = Logger(label: "gatehouse.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(location: PostgresLocation, connection: PostgresConnection) {
        self.location = location
        self.connection = connection
        connection.closeFuture.whenComplete { [unanswered] _ in unanswered.failAll() }
    }

    deinit {
        // The closure keeps the connection until it is closed: postgres-nio asserts that a
        // connection is closed before it goes (a debug build traps otherwise).
        let connection = connection
        connection.close().whenComplete { _ in _ = connection }
    }

    /// Connects to `location` as its user, with the password from the environment or `.pgpass`.
    ///
    /// `applicationName` shows in `pg_stat_activity` (so an operator can find the runner's
    /// connection, and a test can end it).
    public static func connect(to location: PostgresLocation, applicationName: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               connectTimeout: TimeAmount = .seconds(10)) throws -> PostgresSession {
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
        return PostgresSession(location: location, connection: connection)
    }

    /// Runs `query` and returns every row it produced.
    @discardableResult
    public func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try Self.waiting(location) { answered(connection.query(query, logger: Self.logger)) }.rows
    }

    /// Runs `query`, which returns no rows that matter (DDL, INSERT, LOCK, NOTIFY…).
    public func execute(_ query: PostgresQuery) throws {
        try rows(query)
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
    public func readOnlyTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN READ ONLY")
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

    /// `query`'s result, or a failure as soon as the connection ends.
    ///
    /// postgres-nio sends a query without watching the send: on a connection that ended (the
    /// server was restarted, an administrator ended the backend) the query's future is never
    /// completed, and waiting for it would hang for good.
    private func answered<T: Sendable>(_ query: EventLoopFuture<T>) -> EventLoopFuture<T> {
        let promise = query.eventLoop.makePromise(of: T.self)
        query.cascade(to: promise)
        guard let id = unanswered.add({ promise.fail(ConnectionEnded()) }) else {
            promise.fail(ConnectionEnded())
            return promise.futureResult
        }
        promise.futureResult.whenComplete { [unanswered] _ in unanswered.remove(id) }
        return promise.futureResult
    }

    /// The connection ended before the server answered.
    private struct ConnectionEnded: Error, CustomStringConvertible {
        var description: String {
            "the connection ended before the server answered; whatever was not committed was rolled back by the server"
        }
    }

    /// Waits for the future `start` returns, translating its errors.
    private static func waiting<T: Sendable>(_ location: PostgresLocation,
                                             _ start: () -> EventLoopFuture<T>) throws -> T {
        do {
            return try start().wait()
        } catch {
            throw PostgresFailure(error, location: location)
        }
    }
}

/// The queries of a session waiting for an answer: each is failed when the connection ends.
private final class UnansweredQueries: @unchecked Sendable {
    private let lock = NSLock()
    private var nextID = 0
    private var failures: [Int: @Sendable () -> Void] = [:]
    private var ended = false

    /// Registers how to fail a query; nil when the connection has ended already.
    func add(_ fail: @escaping @Sendable () -> Void) -> Int? {
        lock.withLock {
            guard !ended else { return nil }
            nextID += 1
            failures[nextID] = fail
            return nextID
        }
    }

    /// Forgets an answered query.
    func remove(_ id: Int) {
        lock.withLock { _ = failures.removeValue(forKey: id) }
    }

    /// Fails every query still waiting: the connection ended.
    func failAll() {
        let waiting = lock.withLock {
            ended = true
            defer { failures = [:] }
            return Array(failures.values)
        }
        for fail in waiting { fail() }
    }
}
