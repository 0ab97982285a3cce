import Foundation
import Testing

/// The manual page and the shell completions come from the command definitions: every command
/// and option says what it is, and every completion script offers every command.
struct ManualAndCompletionTests {
    /// One command as the argument parser describes it to its manual plugin.
    private struct Command {
        var path: [String]
        var abstract: String
        var options: [(name: String, abstract: String)]
        var subcommands: [Command]

        init(_ json: [String: Any], parent: [String] = []) throws {
            let name = try #require(json["commandName"] as? String)
            path = parent + [name]
            abstract = json["abstract"] as? String ?? ""
            options = (json["arguments"] as? [[String: Any]] ?? []).map { argument in
                let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                return (names.first ?? argument["valueName"] as? String ?? "?", argument["abstract"] as? String ?? "")
            }
            subcommands = try (json["subcommands"] as? [[String: Any]] ?? []).map { [path] in try Command($0, parent: path) }
        }

        var all: [Command] { [self] + subcommands.flatMap(\.all) }
    }

    private func commands() throws -> Command {
        let result = try Binary.run(["--experimental-dump-help"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try Command(try #require(json["command"] as? [String: Any]))
    }

    @Test func theManualDescribesEveryCommandAndOption() throws {
        let root = try commands()
        #expect(root.subcommands.map(\.path.last!) == [
            "dashboard", "watch", "check", "matrix", "gates", "gate", "gap", "condition", "ruling", "report", "init", "run", "resume",
            "approve", "keygen", "abort",
            "killswitch", "status", "log", "restore", "verify", "export", "compare", "programme", "package", "themes",
            "help",  // the argument parser's own
        ])
        for command in root.all where command.path != ["gatehouse", "help"] {
            let name = command.path.joined(separator: " ")
            #expect(!command.abstract.isEmpty, "`\(name)` has no abstract: its manual section would be empty")
            for option in command.options where !["help", "version"].contains(option.name) {
                #expect(!option.abstract.isEmpty, "`\(name)`'s \(option.name) says nothing in the manual")
            }
        }
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func theCompletionScriptOffersEveryCommand(shell: String) throws {
        let result = try Binary.run(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        let root = try commands()
        for command in root.subcommands + root.subcommands.flatMap(\.subcommands) {
            #expect(result.stdout.contains(command.path.last!), "the \(shell) script does not offer `\(command.path.joined(separator: " "))`")
        }
    }
}
