import ArgumentParser
import GatehouseTUI

/// `gatehouse themes`: lists the built-in themes.
struct Themes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the built-in themes.")

    func run() throws {
        for name in ThemeLoader.builtInNames {
            let theme = ThemeLoader.builtIn(name)
            write("\(name)\t\(theme.description)\n")
        }
    }
}
