import Foundation
import Testing

/// The dashboard started from a shell in a real terminal (tmux), the way a person starts it.
///
/// The shell records the terminal's modes (`stty -g`) before and after the dashboard, prints
/// `EXITED <status>`, then becomes an interactive shell with the prompt `READY$ `: a test can
/// tell that the terminal was left exactly as it was found, and that a person can go on
/// typing at the prompt.
final class DashboardShell {
    static let prompt = "READY$"
    let tmux: TmuxSession
    private let directory: URL

    /// Starts `gatehouse ARGUMENTS` at `width` x `height` under `TERM=xterm-256color` and `lang`,
    /// with `environment` added (which may override TERM).
    init(arguments: String = "", lang: String = "C.UTF-8", width: Int = 80, height: Int = 24,
         environment extra: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Like an interactive shell, the wrapper survives Ctrl-C (its children still get it).
        let script = """
            trap : INT; stty -g > '\(directory.path)/before'; \
            '\(Binary.path)' \(arguments); status=$?; \
            stty -g > '\(directory.path)/after'; \
            echo "EXITED $status"; exec sh -i
            """
        var environment = ["LANG": lang, "LC_ALL": lang, "TERM": "xterm-256color", "PS1": Self.prompt + " "]
        environment.merge(extra) { $1 }
        tmux = try TmuxSession(command: script, width: width, height: height, environment: environment)
    }

    deinit { close() }

    func close() {
        tmux.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Presses q, and expects exit status 0 and the terminal restored.
    func quit(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try tmux.send("q")
        try expectExit(0, sourceLocation: sourceLocation)
    }

    /// Waits for the dashboard to exit with `status`, then expects the terminal restored.
    func expectExit(_ status: Int32, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try tmux.waitFor("EXITED \(status)")
        try expectRestored(sourceLocation: sourceLocation)
    }

    /// The terminal's modes are as they were before, and the prompt is usable: `echo ALIVE`,
    /// typed at it, shows as typed and is answered with ALIVE on a line of its own.
    func expectRestored(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try String(contentsOf: directory.appendingPathComponent("before"), encoding: .utf8)
        let after = try String(contentsOf: directory.appendingPathComponent("after"), encoding: .utf8)
        #expect(before == after, "terminal modes changed: before \(before) after \(after)", sourceLocation: sourceLocation)
        try tmux.waitFor("the prompt on a line of its own") { Self.lines($0).contains(Self.prompt) }
        try tmux.send("echo ALIVE", "Enter")
        try tmux.waitFor("ALIVE echoed on a clean line") { screen in
            let lines = Self.lines(screen)
            return zip(lines, lines.dropFirst()).contains { $0 == "\(Self.prompt) echo ALIVE" && $1 == "ALIVE" }
        }
    }

    private static func lines(_ screen: String) -> [String] {
        screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
