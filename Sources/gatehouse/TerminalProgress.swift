import Foundation
import GatehouseCore
import GatehouseEngine

/// A progress line on standard error for long work (verifying a journal, building, reading, unpacking a package):
/// rewritten in place at most ten times a second while standard error is a terminal, and
/// nothing at all for a file or a pipe, where only the result is wanted.
final class TerminalProgress {
    private let what: String
    private let shows: Bool
    private var last: UInt64 = 0
    private var shown = false
    private let started = DispatchTime.now().uptimeNanoseconds

    /// A progress line headed `what` (shown inert: a path or a name may hold controls).
    init(_ what: String) {
        self.what = TerminalText.inert(what)
        shows = isatty(STDERR_FILENO) == 1
    }

    /// Shows `done` of `total` things (`unit`, such as `events`) as a bar, with the rate so far.
    func count(_ done: Int64, of total: Int64, _ unit: String) {
        guard shows else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard done >= total || now - last >= 100_000_000 else { return }
        last = now
        CommandOutput.current.error("\r\u{1B}[K\(what) " + Self.bar(done, of: total, unit, seconds: Double(now - started) / 1e9))
        shown = true
    }

    /// `[██████░░░░] 412,000 of 1,000,000 events · 850,000 events/s`: ten cells, the counts
    /// grouped by thousands, the rate over `seconds`.
    static func bar(_ done: Int64, of total: Int64, _ unit: String, seconds: Double) -> String {
        let filled = total > 0 ? Int(min(done, total) * 10 / total) : 10
        let rate = seconds > 0 ? Int64(Double(done) / seconds) : 0
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: 10 - filled) + "] "
            + "\(grouped(done)) of \(grouped(total)) \(unit) · \(grouped(rate)) \(unit)/s"
    }

    private static func grouped(_ number: Int64) -> String {
        var digits = Array(String(number))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
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

extension Journal {
    /// Walks the whole chain as ``Journal/verify()`` does, with a bar headed `what` on a terminal,
    /// handing `body` each event found in place.
    func verifyShowingProgress(_ what: String, handing body: (JournalEvent) -> Void = { _ in }) throws -> ChainVerification {
        let total = try headSequence()
        let progress = TerminalProgress(what)
        defer { progress.end() }
        var walked: Int64 = 0
        return try verify(after: .genesis) { event in
            body(event)
            walked += 1
            if walked % 1024 == 0 || walked == total { progress.count(walked, of: total, "events") }
        }
    }
}

/// A count several threads add to (each checks its part of the work), shown on one progress
/// line; the total grows as each part learns its size.
final class ProgressTally: @unchecked Sendable {
    private let progress: TerminalProgress
    private let unit: String
    private let lock = NSLock()
    private var done: Int64 = 0
    private var total: Int64 = 0

    init(_ progress: TerminalProgress, unit: String) {
        self.progress = progress
        self.unit = unit
    }

    /// Adds `count` to the total.
    func expect(_ count: Int) {
        lock.withLock { total += Int64(count) }
    }

    /// Adds `count` to what is done, and shows it.
    func advance(_ count: Int) {
        lock.withLock {
            done += Int64(count)
            progress.count(done, of: total, unit)
        }
    }

    func end() {
        lock.withLock { progress.end() }
    }
}
