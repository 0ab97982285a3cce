import Foundation
import GatehouseCore
import GatehouseEngine

/// A progress line on standard error for long work (building, reading, unpacking a package):
/// rewritten in place at most ten times a second while standard error is a terminal, and
/// nothing at all for a file or a pipe, where only the result is wanted.
final class TerminalProgress {
    private let what: String
    private let shows: Bool
    private var last: UInt64 = 0
    private var shown = false

    /// A progress line headed `what`.
    init(_ what: String) {
        self.what = what
        shows = isatty(STDERR_FILENO) == 1
    }

    /// Shows `done` of `total` bytes.
    func bytes(_ done: Int64, of total: Int64) {
        guard shows else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard done >= total || now - last >= 100_000_000 else { return }
        last = now
        let percent = total > 0 ? Int(done * 100 / total) : 100
        CommandOutput.current.error("\r\u{1B}[K\(what): \(Self.size(done)) of \(Self.size(total)) (\(percent) %)")
        shown = true
    }

    /// Shows which step the work is at, in words.
    func step(_ text: String) {
        guard shows else { return }
        CommandOutput.current.error("\r\u{1B}[K\(what): " + TerminalText.inert(text))
        shown = true
    }

    /// Clears the line.
    func end() {
        guard shown else { return }
        CommandOutput.current.error("\r\u{1B}[K")
        shown = false
    }

    private static func size(_ bytes: Int64) -> String {
        bytes < 10_000 ? "\(bytes) B" : bytes < 10_000_000 ? "\(bytes / 1000) KB" : String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
