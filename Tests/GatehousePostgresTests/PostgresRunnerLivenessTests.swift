import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres
import GatehouseTestSupport
import Testing

/// Runner liveness for a PostgreSQL journal: a lock the server holds for the runner's
/// connection, seen from any host.
@Suite("Runner liveness on PostgreSQL", .enabled(if: !TestServer.skipped, "GATEHOUSE_SKIP_POSTGRES=1"))
struct PostgresRunnerLivenessTests {
    @Test func aClaimedRunIsHeldUntilItsClaimGoes() throws {
        let database = try TestServer.scratchDatabase("liveness")
        defer { database.drop() }
        let runnerHost = PostgresRunnerLiveness(location: database.location)
        let otherHost = PostgresRunnerLiveness(location: database.location)
        #expect(otherHost.presence(of: "r1").isGone)
        // Given a runner that claimed r1
        var claim: (any RunnerClaim)? = try runnerHost.claim(run: "r1")
        // Then another host sees r1 held, and r2 not
        #expect(otherHost.presence(of: "r1") == .alive(.current))
        #expect(otherHost.presence(of: "r2").isGone)
        // And a second claim of r1 is refused, naming the process that holds it
        #expect {
            try otherHost.claim(run: "r1")
        } throws: { error in
            guard case .held(let run, let holder) = error as? RunnerLockError else { return false }
            return run == "r1" && holder.hasPrefix("gatehouse runner pid \(getpid())@")
        }
        // When the claim goes (the runner exits), the run is free, and can be claimed again
        #expect(claim != nil)
        claim = nil
        #expect(otherHost.presence(of: "r1").isGone)
        let again = try otherHost.claim(run: "r1")
        #expect(runnerHost.presence(of: "r1").isAlive)
        withExtendedLifetime(again) {}
    }

    @Test func aRunnerWhoseConnectionTheServerEndedIsNoLongerHeld() throws {
        let database = try TestServer.scratchDatabase("livenessgone")
        defer { database.drop() }
        let liveness = PostgresRunnerLiveness(location: database.location)
        let claim = try liveness.claim(run: "r1")
        #expect(liveness.presence(of: "r1").isAlive)
        // When the server ends the runner's connection (as when its host or process dies)
        let admin = try TestServer.administer()
        defer { admin.close() }
        try admin.execute("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = \(database.location.database) AND application_name LIKE 'gatehouse runner pid%'
            """)
        // Then the run is found free
        #expect(try eventually { liveness.presence(of: "r1").isGone })
        withExtendedLifetime(claim) {}
    }

    @Test func aServerThatCannotBeAskedIsNotTakenForALostRunner() throws {
        var location = try TestServer.administrator()
        location.port = 1  // nothing listens on port 1
        #expect(PostgresRunnerLiveness(location: location).presence(of: "r1") == .unknown(nil))
    }

    @Test func keysDifferPerRunAndStayTheSame() {
        #expect(PostgresRunnerLiveness.key(run: "3f9c2a1b0000") == PostgresRunnerLiveness.key(run: "3f9c2a1b0000"))
        #expect(PostgresRunnerLiveness.key(run: "3f9c2a1b0000") != PostgresRunnerLiveness.key(run: "3f9c2a1b0001"))
    }
}
