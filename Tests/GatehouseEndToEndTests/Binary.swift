import Foundation

/// Where the `gatehouse` executable that `swift test` built lives.
enum Binary {
    /// `GATEHOUSE_BIN` if set, else `gatehouse` beside the test bundle in the build folder.
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["GATEHOUSE_BIN"], !path.isEmpty { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("gatehouse")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            directory = directory.deletingLastPathComponent()
        }
        // Fall back to the package's default build folder.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/gatehouse").path
    }

    /// The package root, for files such as programmes/o5.yaml.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs the binary with `arguments` and returns its exit status, stdout and stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let (status, stdout, stderr) = try runForBytes(arguments, environment: environment)
        return (status, String(decoding: stdout, as: UTF8.self), stderr)
    }

    /// Runs the binary to its end, its standard output as the bytes it wrote.
    static func runForBytes(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: [UInt8], stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(stdout), String(decoding: stderr, as: UTF8.self))
    }
}
