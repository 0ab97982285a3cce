import Foundation

/// A tmux server of the test's own (private socket) running one command in a window of a
/// given size; read with capture-pane, typed into with send-keys, and killed — server and
/// the processes it started — when the test is done.
final class TmuxSession {
    let socket: String
    private(set) var serverPID: Int32?

    /// Starts `command` (run by `sh -c`) at `width` x `height` with `environment` added.
    init(command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        socket = "gatehouse-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        let exports = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        // The test runner's own NO_COLOR (swift test sets one) must not leak into the terminal
        // under test; a test that wants it passes it in `environment`.
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", "\(width)", "-y", "\(height)",
                  "env -u NO_COLOR \(exports) sh -c \(Self.quote(command))"])
        try tmux(["set-option", "-g", "remain-on-exit", "on"])
        serverPID = Int32(try tmux(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    deinit { close() }

    /// Kills the tmux server and, through it, everything it started.
    func close() {
        _ = try? tmux(["kill-server"])
        if let pid = serverPID, kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        serverPID = nil
    }

    /// The visible screen, one string per row.
    func capture() throws -> String {
        try tmux(["capture-pane", "-p", "-t", "e2e:0"])
    }

    /// Types keys (tmux key names such as `Enter`, `Escape`, `C-c`, or literal text).
    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "e2e:0"] + keys)
    }

    /// Opens a second window running `command` (the first stays the one `capture` reads).
    func openWindow(_ name: String, command: String, environment: [String: String] = [:]) throws {
        let exports = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        try tmux(["new-window", "-d", "-t", "e2e", "-n", name, "env \(exports) sh -c \(Self.quote(command))"])
    }

    /// The visible screen of window `name`.
    func capture(window name: String) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "e2e:\(name)"])
    }

    /// Appends every byte the program in the first window writes to the terminal to `path`,
    /// from now until ``stopRecording()``.
    func recordOutput(to path: String) throws {
        try tmux(["pipe-pane", "-o", "-t", "e2e:0", "cat >> " + Self.quote(path)])
    }

    /// Stops recording the first window's output.
    func stopRecording() throws {
        try tmux(["pipe-pane", "-t", "e2e:0"])
    }

    /// Resizes the window.
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "e2e", "-x", "\(width)", "-y", "\(height)"])
    }

    /// The pane's terminal device, such as /dev/pts/7.
    func paneTTY() throws -> String {
        try tmux(["display-message", "-p", "-t", "e2e", "#{pane_tty}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The pid of the process running in the pane (the `sh` wrapping the command).
    func panePID() throws -> Int32 {
        Int32(try tmux(["display-message", "-p", "-t", "e2e", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Waits until the screen satisfies `condition` (at most `timeout` seconds) and returns it;
    /// throws with the last screen if it never does.
    @discardableResult
    func waitFor(_ description: String, timeout: TimeInterval = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if condition(screen) { return screen }
            usleep(50_000)
        }
        throw E2EError("timed out waiting for \(description); the screen was:\n\(screen)")
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 10) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let (status, text) = try Spawn.run(["tmux", "-L", socket] + arguments)
        guard status == 0 else {
            throw E2EError("tmux \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
        return text
    }

    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
