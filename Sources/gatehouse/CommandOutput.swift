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
    /// Writes bytes meant for standard output as they are (what a command wrote, say).
    var bytes: @Sendable ([UInt8]) -> Void

    /// Streams writing through `output` and `error`; bytes go to `output` as UTF-8 text
    /// (invalid sequences replaced) unless `bytes` says otherwise.
    init(output: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void,
         bytes: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.output = output
        self.error = error
        self.bytes = bytes ?? { output(String(decoding: $0, as: UTF8.self)) }
    }

    /// The process's own standard output and error.
    static let standard = CommandOutput(
        output: { FileHandle.standardOutput.write(Data($0.utf8)) },
        error: { FileHandle.standardError.write(Data($0.utf8)) },
        bytes: { FileHandle.standardOutput.write(Data($0)) })

    /// The streams commands write to in this task (the process's, unless a test set others).
    @TaskLocal static var current = CommandOutput.standard
}
