import Foundation

/// Where the journal lives: `--journal`, then `GATEHOUSE_JOURNAL`, then
/// `$XDG_STATE_HOME/gatehouse/journal.sqlite`, then `~/.local/state/gatehouse/journal.sqlite`.
///
/// The first two may name a PostgreSQL database (`postgres://USER@HOST:PORT/DB`) instead of a
/// file; `JournalAddress` (GatehousePostgres) tells them apart.
public enum JournalLocation {
    /// The journal's path (or PostgreSQL location) for an explicit option and an environment.
    public static func resolve(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let path = environment["GATEHOUSE_JOURNAL"], !path.isEmpty { return path }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/gatehouse/journal.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/gatehouse/journal.sqlite"
    }
}
