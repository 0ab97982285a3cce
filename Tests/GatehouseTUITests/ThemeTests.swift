import Foundation
import GatehouseEngine
import Testing
@testable import GatehouseTUI

/// Theme files: the shipped ones load, bad ones get located errors, colours map sensibly.
struct ThemeTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["default", "mono"])
    func shippedThemeLoadsAndMatchesItsFile(name: String) throws {
        let theme = try ThemeLoader.load(name).get()
        #expect(theme.name == name)
        // The embedded copy is the file in themes/ (run scripts/embed-resources.sh after edits).
        let file = try String(contentsOf: Self.root.appendingPathComponent("themes/\(name).yaml"), encoding: .utf8)
        #expect(EmbeddedThemes.all.first { $0.name == name }?.text == file)
    }

    @Test func monoThemeHasNoColour() {
        #expect(!ThemeLoader.builtIn("mono").usesColor)
        #expect(ThemeLoader.builtIn("default").usesColor)
    }

    @Test func unknownRoleIsReportedAtItsLine() throws {
        let text = "name: broken\nroles:\n  normal: {}\n  shiny: {fg: red}\n"
        let errors = try #require(ThemeLoader.parse(Data(text.utf8), fileName: "broken.yaml").failure)
        #expect(errors.errors.map(\.description) == [
            "broken.yaml:4:3: unknown role 'shiny'; expected one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))",
        ])
    }

    @Test func badColourIsReportedAtItsValue() throws {
        let text = "name: broken\nroles:\n  header: {fg: chartreuse}\n"
        let errors = try #require(ThemeLoader.parse(Data(text.utf8), fileName: "t.yaml").failure)
        #expect(errors.errors.count == 1)
        #expect(errors.errors[0].location.line == 3)
        #expect(errors.errors[0].location.column == 16)
        #expect(errors.errors[0].message.contains("found 'chartreuse'"))
    }

    @Test func unknownThemeNameListsTheBuiltIns() throws {
        let errors = try #require(ThemeLoader.load("neon").failure)
        #expect(errors.description.contains("expected one of default, mono"))
    }

    @Test func coloursMapToWhatTheTerminalHas() {
        #expect(ThemeColor(parsing: "bright_red") == .index(9))
        #expect(ThemeColor(parsing: "208") == .index(208))
        #expect(ThemeColor(parsing: "#ff0000") == .rgb(255, 0, 0))
        #expect(ThemeColor(parsing: "256") == nil)
        // On an 8-colour terminal, pure red becomes palette red; on 256 colours, index 196.
        #expect(ThemeColor.rgb(255, 0, 0).paletteIndex(colors: 8) == 1)
        #expect(ThemeColor.rgb(255, 0, 0).paletteIndex(colors: 256) == 196)
        #expect(ThemeColor.index(208).paletteIndex(colors: 8) == 3)
        #expect(ThemeColor.terminalDefault.paletteIndex(colors: 256) == -1)
    }
}

extension Result {
    /// The error, if this is a failure.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
