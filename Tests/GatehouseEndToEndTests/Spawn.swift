import Foundation
import GatehouseEngine

/// Starts the commands the end-to-end tests drive (tmux, the binary) through the engine's
/// `ProcessSpawn`, output to a file.
enum Spawn {
    /// Runs `arguments` (the command looked up on `PATH`) to its end; returns its exit status
    /// (128+N for a signal) and its output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }
        let status = ProcessSpawn.wait(try start(arguments, outputPath: outputPath))
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return (status, output)
    }

    /// Starts `arguments` (the command looked up on `PATH`) with `environment`, or this
    /// process's own when nil, its output written to `outputPath`; returns its pid.
    static func start(_ arguments: [String], environment: [String: String]? = nil, outputPath: String) throws -> pid_t {
        do {
            return try ProcessSpawn.start(arguments, environment: environment, output: .truncate(outputPath))
        } catch let error as ProcessSpawnError {
            throw E2EError(error.reason)
        }
    }
}
