import Foundation
import GatehousePostgres
import GatehouseTestSupport
import Testing

/// A session whose connection the server ended fails its queries: it never hangs on them.
@Suite("PostgreSQL sessions whose connection ended", .enabled(if: !TestServer.skipped, "GATEHOUSE_SKIP_POSTGRES=1"))
struct PostgresSessionEndingTests {
    /// Runs `body` on a thread of its own; nil when it has not returned within `seconds` (a hang).
    private static func within<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
        let result = Collected<T>()
        let done = DispatchSemaphore(value: 0)
        Thread {
            result.add(body())
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return result.all.first
    }

    /// Ends the server process of `session`, from another connection.
    private static func terminate(_ session: PostgresSession) throws {
        let pid = try session.backendPID()
        let admin = try TestServer.administer()
        defer { admin.close() }
        try admin.execute("SELECT pg_terminate_backend(\(pid))")
    }

    @Test func aQueryAfterTheServerEndedTheConnectionFailsAsLost() throws {
        let database = try TestServer.scratchDatabase("ended")
        defer { database.drop() }
        let session = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        defer { session.close() }
        try Self.terminate(session)
        // When queries are sent on it afterwards (whether or not the end was noticed yet)
        let outcomes = Self.within(20) { () -> [PostgresFailure.Kind?] in
            (0..<3).map { _ in
                do {
                    try session.execute("SELECT 1")
                    return nil
                } catch {
                    return (error as? PostgresFailure)?.kind
                }
            }
        }
        // Then each fails, saying the connection was lost, and none hangs
        #expect(outcomes == [.connectionLost, .connectionLost, .connectionLost])
    }

    @Test func aQueryRunningWhenTheServerEndsTheConnectionFailsAsLost() throws {
        let database = try TestServer.scratchDatabase("endedrunning")
        defer { database.drop() }
        let session = try PostgresSession.connect(to: database.location, applicationName: "gatehouse-tests")
        defer { session.close() }
        let pid = try session.backendPID()
        let admin = try TestServer.administer()
        defer { admin.close() }
        let outcome = Collected<PostgresFailure.Kind?>()
        let finished = DispatchSemaphore(value: 0)
        Thread {
            do {
                try session.execute("SELECT pg_sleep(60)")
                outcome.add(nil)
            } catch {
                outcome.add((error as? PostgresFailure)?.kind)
            }
            finished.signal()
        }.start()
        // When the server ends the connection while the query runs
        #expect(try eventually {
            try admin.rows("SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid) AND query LIKE 'SELECT pg_sleep%'").first?.decode(Int64.self) == 1
        })
        try admin.execute("SELECT pg_terminate_backend(\(pid))")
        // Then the query fails at once, as lost
        #expect(finished.wait(timeout: .now() + 20) == .success)
        #expect(outcome.all == [.connectionLost])
    }
}
