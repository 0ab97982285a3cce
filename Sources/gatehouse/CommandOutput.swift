import Foundation

/// Where the commands write: the process's standard output and error, or a test's buffers.
///
/// Every line a command prints goes through ``current``, so a test runs a command in-process
/// inside `CommandOutput.$current.withValue(…)` and reads what it said.
struct CommandOutput: Sendable {
    /// Writes text meant for standard output.
    var output: @Sendable (String) -> Void
    /// Writes text meant for standard error.
    var error: @Sendable (String) -> Void

    /// The process's own standard output and error.
    static let standard = CommandOutput(
        output: { FileHandle.standardOutput.write(Data($0.utf8)) },
        error: { FileHandle.standardError.write(Data($0.utf8)) })

    /// The streams commands write to in this task (the process's, unless a test set others).
    @TaskLocal static var current = CommandOutput.standard
}
