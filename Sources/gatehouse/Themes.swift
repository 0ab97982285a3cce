import ArgumentParser
import Foundation
import GatehouseTUI

/// `gatehouse themes`: lists the built-in themes and the user's own.
struct Themes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the themes: built in, and the user's own in $XDG_CONFIG_HOME/gatehouse/themes.",
        discussion: "Pick one with --theme NAME|PATH or GATEHOUSE_THEME; NO_COLOR selects mono. A user theme with a built-in's name replaces it. Exit status 2 if a user theme file has errors.")

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let user = ThemeLoader.userThemes(environment: environment)
        for name in ThemeLoader.builtInNames where !user.contains(where: { $0.name == name }) {
            write("\(name)\tbuilt in\t\(ThemeLoader.builtIn(name).description)\n")
        }
        var broken = false
        for theme in user {
            switch ThemeLoader.load(theme.path) {
            case .success(let loaded):
                write("\(theme.name)\t\(theme.path)\t\(loaded.description)\n")
            case .failure(let errors):
                broken = true
                printError(errors.description)
            }
        }
        if broken { throw ExitCode(exitBadInput) }
    }
}
