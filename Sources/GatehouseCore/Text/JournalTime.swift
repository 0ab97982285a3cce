import Foundation

/// Journal times and durations as every command and record writes them (UTC).
public enum JournalTime {
    /// A journal time (milliseconds since 1970) as `YYYY-MM-DD HH:MM:SS`, UTC.
    public static func utc(_ milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// A duration in milliseconds, as `850 ms`, `12.3 s` or `4 min 05 s`.
    public static func duration(_ milliseconds: Int64) -> String {
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds < 60_000 { return String(format: "%.1f s", Double(milliseconds) / 1000) }
        let seconds = milliseconds / 1000
        return String(format: "%d min %02d s", seconds / 60, seconds % 60)
    }
}
