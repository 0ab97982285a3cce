import Foundation

/// Starts `gatehouse run` as a process of its own, so that a dashboard can start a run that
/// outlives it and never writes to its terminal.
public enum DetachedRunner {
    /// The running executable's path.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts `executable arguments` in a new process group with stdin from /dev/null and its
    /// output appended to `logPath`; returns its pid.
    public static func start(executable: String, arguments: [String], logPath: String) throws -> pid_t {
        try FileManager.default.createDirectory(atPath: (logPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            return try ProcessSpawn.start([executable] + arguments, output: .append(logPath), detached: true)
        } catch let error as ProcessSpawnError {
            throw DetachedRunnerError(reason: error.reason)
        }
    }
}

/// A runner process that could not be started.
public struct DetachedRunnerError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
