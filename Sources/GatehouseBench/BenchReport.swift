import Foundation

/// The benchmark's table, for the terminal and for BENCHMARKS.md.
public enum BenchReport {
    /// A Markdown document: the machine, the date, the commit, the command, then the table.
    public static func markdown(_ results: [Measurement], machine: String, date: String, commit: String, seconds: Double) -> String {
        var text = """
            # Benchmarks

            Written by `bench/run.sh` (`swift run -c release gatehouse-bench`); every number below comes
            from that command, not typed by hand. Each is a median of several runs in one invocation
            unless it says p99. Run it again to refresh this file.

            - Machine: \(machine)
            - Date: \(date)
            - Commit: \(commit)
            - Whole run: \(String(format: "%.0f", seconds)) s

            | group | measurement | value | target | met |
            |---|---|---|---|---|

            """
        for result in results {
            let met = result.met.map { $0 ? "yes" : "**no**" } ?? ""
            text += "| \(result.group) | \(result.name) | \(result.formatted) | \(result.target ?? "") | \(met) |\n"
        }
        let missed = results.filter { $0.met == false }
        text += "\n" + (missed.isEmpty ? "Every target is met.\n"
                                      : "Targets missed: " + missed.map { "\($0.name) (\($0.formatted), target \($0.target ?? ""))" }.joined(separator: "; ") + ".\n")
        return text
    }

    /// The table as plain text, one row per measurement.
    public static func text(_ results: [Measurement]) -> String {
        let nameWidth = results.map { $0.group.count + $0.name.count + 3 }.max() ?? 0
        return results.map { result in
            let label = "\(result.group) · \(result.name)"
            let met = result.met.map { $0 ? "  ok" : "  MISSED" } ?? ""
            return label.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + result.formatted
                + (result.target.map { "  (target \($0))" } ?? "") + met
        }.joined(separator: "\n") + "\n"
    }
}
