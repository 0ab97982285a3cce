import ArgumentParser
import Foundation
import GatehouseEngine
import GatehouseTUI

/// `gatehouse [dashboard]`: the full-screen dashboard.
struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the full-screen dashboard (the default).",
        discussion: "Keys: Tab switches Matrix/Gates, arrows or j/k move, Enter opens, Esc goes back, s sorts, ? shows help, q quits.")

    @OptionGroup var programmeOptions: ProgrammeOptions

    @Option(name: .long, help: ArgumentHelp("A built-in theme name or a theme file path (default: 'default'; NO_COLOR selects 'mono').", valueName: "name"))
    var theme: String?

    func run() throws {
        let programme = try programmeOptions.load()
        let environment = ProcessInfo.processInfo.environment
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let themeName = theme ?? environment["GATEHOUSE_THEME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (noColor ? ThemeLoader.monoName : ThemeLoader.defaultName)
        let loadedTheme: Theme
        switch ThemeLoader.load(themeName) {
        case .success(let theme): loadedTheme = theme
        case .failure(let errors):
            printError(errors.description)
            throw ExitCode(exitBadInput)
        }
        let app = DashboardApp(programme: programme, theme: loadedTheme, useColor: !noColor)
        let status: Int32
        do {
            status = try app.run()
        } catch let error as TerminalError {
            printError("gatehouse: cannot open the dashboard: \(error)")
            throw ExitCode(exitNoTerminal)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
