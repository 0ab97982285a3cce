import Foundation
import GatehouseCore

/// Reads this host's side of a run's fingerprint: its name, the system and kernel, and the
/// gatehouse build (``BuildInfo``).
public enum HostFingerprint {
    /// The gatehouse version: what `gatehouse --version` prints and a run's fingerprint records.
    public static let version = "0.1.0"

    /// The version with the commit it was built from, as `gatehouse --version` prints it.
    public static var versionLine: String {
        "\(version) (commit \(BuildInfo.commit)\(BuildInfo.modified ? ", with local changes" : ""))"
    }

    /// The fingerprint of a run started here as `user`, journaled in a `journal` kind of journal
    /// (`sqlite`, `postgresql`) on a `target` kind of target (nil when its plan has none).
    public static func current(user: String, journal: String, target: String?) -> RunFingerprint {
        // The host as the runner lock names it (`gethostname`, not a DNS lookup, which can hang).
        RunFingerprint(host: RunnerIdentity.current.host, user: user, system: operatingSystem(), kernel: kernelName(),
                       version: version, commit: BuildInfo.commit, modified: BuildInfo.modified,
                       journal: journal, target: target)
    }

    /// `/etc/os-release`'s `PRETTY_NAME`, or the kernel's name where there is none.
    static func operatingSystem(osRelease path: String = "/etc/os-release") -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "unknown" }
        return prettyName(inOSRelease: text) ?? "unknown"
    }

    /// The `PRETTY_NAME` of an os-release file's text, its quotes removed.
    static func prettyName(inOSRelease text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            var value = line.dropFirst("PRETTY_NAME=".count)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = value.dropFirst().dropLast()
            }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// The kernel's name, release and machine, as `uname -srm` prints them.
    static func kernelName() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "unknown" }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(names.sysname)) \(text(names.release)) \(text(names.machine))"
    }
}
