/// Journal times as screens show them, computed without a calendar library (UTC).
enum RunClock {
    /// `HH:MM:SS` of a time in milliseconds since 1970, UTC.
    static func time(_ milliseconds: Int64) -> String {
        let seconds = (milliseconds / 1000) % 86_400
        return two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60)
    }

    /// A duration: `850ms`, `12.3s`, `4m05s`, `2h03m`.
    static func duration(_ milliseconds: Int64) -> String {
        let ms = max(0, milliseconds)
        if ms < 1000 { return "\(ms)ms" }
        if ms < 60_000 { return "\(ms / 1000).\(ms % 1000 / 100)s" }
        let seconds = ms / 1000
        if seconds < 3600 { return "\(seconds / 60)m" + two(seconds % 60) + "s" }
        return "\(seconds / 3600)h" + two(seconds / 60 % 60) + "m"
    }

    /// How long something has been going on, in whole seconds (`0s`, `12s`, `4m05s`), so a
    /// redraw within the same second sends nothing for it.
    static func elapsed(_ milliseconds: Int64) -> String {
        let ms = max(0, milliseconds)
        return ms < 60_000 ? "\(ms / 1000)s" : duration(ms)
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
