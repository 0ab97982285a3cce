import Crypto
import Foundation
@testable import GatehouseEngine
import Testing

/// One program's output streamed through this process into several others, hashed on the way:
/// how a PostgreSQL backup reaches gpg and a scratch restore with no plain copy on disk.
struct PipedCommandsTests {
    /// Five million bytes of a known text, and their SHA-256.
    private static let produce = ["sh", "-c", "yes gatehouse | head -c 5000000"]
    private static let expectedSHA256 = SHA256.hash(data: Data(String(repeating: "gatehouse\n", count: 500_000).utf8))
        .map { String(format: "%02x", $0) }.joined()

    @Test func everyConsumerGetsEveryByteAndTheHashIsOfWhatPassed() throws {
        var reported: Int64 = 0
        let result = try PipedCommands.run(Self.produce, into: [["sha256sum"], ["wc", "-c"]]) { reported = $0 }
        #expect(result.failure == nil)
        #expect(result.bytes == 5_000_000 && reported == 5_000_000)
        #expect(result.sha256 == Self.expectedSHA256)
        #expect(result.consumers[0].line.hasPrefix(Self.expectedSHA256))
        #expect(result.consumers[1].line.trimmingCharacters(in: .whitespaces) == "5000000")
    }

    @Test func aConsumerThatStopsReadingEarlyLeavesTheOthersFedAndNothingHangs() throws {
        let result = try PipedCommands.run(Self.produce, into: [["head", "-c", "10"], ["wc", "-c"]])
        #expect(result.producer.status == 0)
        #expect(result.consumers[0].output == "gatehouse\n")
        #expect(result.consumers[1].line.trimmingCharacters(in: .whitespaces) == "5000000")
        #expect(result.bytes == 5_000_000 && result.failure == nil)
    }

    @Test func theFirstProgramThatFailsIsNamedWithItsStatusAndError() throws {
        let result = try PipedCommands.run(Self.produce, into: [["wc", "-c"], ["sh", "-c", "echo no room >&2; exit 3"]])
        #expect(result.failure == "sh exit 3: no room")
        #expect(result.consumers[0].status == 0)

        let failed = try PipedCommands.run(["sh", "-c", "echo half; echo dump failed >&2; exit 1"], into: [["cat"]])
        #expect(failed.failure == "sh exit 1: dump failed")
        #expect(failed.consumers[0].output == "half\n")
    }

    @Test func aProgramThatIsNotInstalledIsAnErrorNamingIt() {
        #expect {
            try PipedCommands.run(Self.produce, into: [["gatehouse-no-such-program"]])
        } throws: { error in
            "\(error)".contains("gatehouse-no-such-program")
        }
    }
}
