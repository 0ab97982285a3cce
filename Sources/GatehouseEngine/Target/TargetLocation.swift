import Foundation

/// Where the embedded context-pack target lives: `--target`, then `GATEHOUSE_TARGET`, then
/// `context-pack.sqlite` beside the default journal.
public enum TargetLocation {
    /// The target path for an explicit option and an environment.
    public static func resolve(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let path = environment["GATEHOUSE_TARGET"], !path.isEmpty { return path }
        let journal = JournalLocation.resolve(option: nil, environment: environment.filter { $0.key != "GATEHOUSE_JOURNAL" })
        return (journal as NSString).deletingLastPathComponent + "/context-pack.sqlite"
    }

    /// Where LIVE backups of the target at `path` are written.
    public static func backupDirectory(forTarget path: String) -> String {
        path + ".backups"
    }
}
