import Foundation
import Testing
@testable import gatehouse

/// The commands write through one pair of streams a test can capture in-process.
struct CommandOutputTests {
    /// Text written by a command, kept for the test to read.
    final class Captured: @unchecked Sendable {
        private let lock = NSLock()
        private var written = ""

        var text: String { lock.withLock { written } }

        func append(_ text: String) { lock.withLock { written += text } }
    }

    private func run(_ arguments: [String]) -> (output: String, error: String, failure: (any Error)?) {
        let output = Captured(), error = Captured()
        let streams = CommandOutput(output: { output.append($0) }, error: { error.append($0) })
        let failure: (any Error)? = CommandOutput.$current.withValue(streams) {
            do {
                var command = try Gatehouse.parseAsRoot(arguments)
                try command.run()
                return nil
            } catch {
                return error
            }
        }
        return (output.text, error.text, failure)
    }

    @Test func aCommandsOutputGoesToTheStreamsOfItsTask() {
        // When `gatehouse gates` runs in-process with captured streams
        let result = run(["gates", "--format", "json"])

        // Then what it printed is in the captured output, and nothing failed
        #expect(result.failure == nil)
        #expect(result.output.contains("\"GATE-O6\""))
        #expect(result.error.isEmpty)
    }

    @Test func aCommandsErrorsGoToTheErrorStreamOfItsTask() throws {
        // Given a programme file that does not exist
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).yaml").path

        // When `gatehouse check` is asked about it
        let result = run(["check", missing])

        // Then the error names the file on the error stream, and the command fails
        #expect(result.failure != nil)
        #expect(result.error.contains(missing))
        #expect(result.output.isEmpty || !result.output.contains("OK"))
    }
}
