import Foundation
import GatehouseEngine
import Testing
@testable import GatehouseTUI

/// Theme files: the shipped ones load, bad ones get located errors, colours map sensibly.
struct ThemeTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
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

    @Test func aControlInADescriptionIsRefusedAtItsValue() throws {
        let text = "name: sly\ndescription: \"calm \\e]52;c;cGF5bG9hZA==\\a\"\nroles:\n  normal: {}\n"
        let errors = try #require(ThemeLoader.parse(Data(text.utf8), fileName: "sly.yaml").failure)
        #expect(errors.errors.map(\.description) == [
            "sly.yaml:2:14: the theme's description holds U+001B (escape) at character 6 of 'calm \\u{1B}]52;c;cGF5bG9hZA==\\u{7}': "
                + "control characters and bidirectional overrides are not allowed in keys or values",
        ])
    }

    @Test func unknownThemeNameListsTheBuiltIns() throws {
        let errors = try #require(ThemeLoader.load("neon").failure)
        #expect(errors.description.contains("expected one of default, high-contrast, light, mono"))
    }

    @Test func everyShippedThemeStylesEveryRole() throws {
        #expect(Set(ThemeLoader.builtInNames) == ["default", "light", "high-contrast", "mono"])
        for name in ThemeLoader.builtInNames {
            let theme = ThemeLoader.builtIn(name)
            let missing = Role.allCases.filter { theme.styles[$0] == nil }.map(\.rawValue)
            #expect(missing.isEmpty, "theme \(name) does not style \(missing)")
        }
    }

    @Test func aUserThemeIsFoundByNameAndMayReplaceABuiltIn() throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: config) }
        let directory = config.appendingPathComponent("gatehouse/themes")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "name: solar\nroles:\n  header: {fg: \"#fdf6e3\", bg: \"#268bd2\"}\n"
            .write(to: directory.appendingPathComponent("solar.yaml"), atomically: true, encoding: .utf8)
        try "name: mono\ndescription: my mono\nroles:\n  header: {reverse: true}\n"
            .write(to: directory.appendingPathComponent("mono.yaml"), atomically: true, encoding: .utf8)
        try "name: bad\nroles:\n  header: {fg: nope}\n".write(to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": config.path]
        #expect(ThemeLoader.userThemes(environment: environment).map(\.name) == ["bad", "mono", "solar"])
        #expect(try ThemeLoader.load("solar", environment: environment).get().styles[.header]?.background == .rgb(0x26, 0x8b, 0xd2))
        #expect(try ThemeLoader.load("mono", environment: environment).get().description == "my mono")
        #expect(try ThemeLoader.load("light", environment: environment).get().name == "light")
        // A bad user theme is reported at its file, line and column
        let errors = try #require(ThemeLoader.load("bad", environment: environment).failure)
        #expect(errors.errors.first?.description.hasPrefix(directory.appendingPathComponent("bad.yaml").path + ":3:16:") == true)
        let unknown = try #require(ThemeLoader.load("neon", environment: environment).failure)
        #expect(unknown.description.contains("solar"))
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
