import Foundation
import GatehouseEngine

/// Asks for a key file's passphrase on the controlling terminal (`/dev/tty`), without echo,
/// whatever stdin and stdout are; the terminal's mode is put back however the read ends.
enum TerminalPassphrase {
    /// The passphrase for `keyFile`, typed by the person at the terminal.
    static func ask(_ keyFile: String) throws -> String {
        try read(prompt: "passphrase for \(keyFile): ")
    }

    /// A new passphrase, typed twice.
    static func new(for keyFile: String) throws -> String {
        let first = try read(prompt: "passphrase for the new key \(keyFile): ")
        let second = try read(prompt: "the same passphrase again: ")
        guard first == second else { throw SigningError("the two passphrases differ; nothing was written") }
        return first
    }

    private static func read(prompt: String) throws -> String {
        let terminal = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard terminal >= 0 else {
            throw SigningError("a passphrase is needed and there is no terminal to ask it on (\(String(cString: strerror(errno)))); run this from a terminal")
        }
        defer { close(terminal) }
        var saved = termios()
        let canHide = tcgetattr(terminal, &saved) == 0
        if canHide {
            var hidden = saved
            hidden.c_lflag &= ~tcflag_t(ECHO)
            hidden.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(terminal, TCSAFLUSH, &hidden)
        }
        defer { if canHide { _ = tcsetattr(terminal, TCSAFLUSH, &saved) } }
        let bytes = Array(prompt.utf8)
        _ = write(terminal, bytes, bytes.count)
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = Foundation.read(terminal, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count == 1 else { break }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}
