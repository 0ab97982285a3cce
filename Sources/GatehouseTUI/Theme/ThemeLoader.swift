import Foundation
import GatehouseEngine

/// Finds and reads theme files strictly: a bad file gets `FILE:LINE:COLUMN: message` errors.
public enum ThemeLoader {
    /// The theme used when none is named.
    public static let defaultName = "default"
    /// The theme `NO_COLOR` selects.
    public static let monoName = "mono"

    /// The themes built into the binary, by name.
    public static var builtInNames: [String] { EmbeddedThemes.all.map(\.name) }

    /// The directory of a user's own themes: `$XDG_CONFIG_HOME/gatehouse/themes`, else
    /// `~/.config/gatehouse/themes`.
    public static func userDirectory(environment: [String: String]) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return config + "/gatehouse/themes" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/gatehouse/themes"
    }

    /// The user's theme files (`NAME.yaml` in ``userDirectory(environment:)``), by name.
    public static func userThemes(environment: [String: String]) -> [(name: String, path: String)] {
        let directory = userDirectory(environment: environment)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { file in
            (name: String(file.prefix(upTo: file.lastIndex(of: ".")!)), path: directory + "/" + file)
        }
    }

    /// The theme `nameOrPath` names: the path of a theme file (anything with a `/` or ending
    /// in `.yaml`), else a user theme of that name, else a built-in one.
    public static func load(_ nameOrPath: String, environment: [String: String]) -> Result<Theme, SourceErrors> {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
        if !isPath, let user = userThemes(environment: environment).first(where: { $0.name == nameOrPath }) {
            return load(user.path)
        }
        if !isPath, !builtInNames.contains(nameOrPath) {
            let names = builtInNames + userThemes(environment: environment).map(\.name)
            return .failure(SourceErrors([SourceError(SourceLocation(file: nameOrPath, line: 1, column: 1),
                "no theme named '\(nameOrPath)'; expected one of \(names.joined(separator: ", ")) (`gatehouse themes` lists them), or the path of a theme file")]))
        }
        return load(nameOrPath)
    }

    /// The theme named `nameOrPath`: a built-in name, or the path of a theme file (anything
    /// with a `/` or ending in `.yaml`).
    public static func load(_ nameOrPath: String) -> Result<Theme, SourceErrors> {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: nameOrPath))
            } catch {
                return .failure(SourceErrors([SourceError(SourceLocation(file: nameOrPath, line: 1, column: 1),
                                                          "cannot read the theme file: no such file or not readable")]))
            }
            return parse(data, fileName: nameOrPath)
        }
        guard let embedded = EmbeddedThemes.all.first(where: { $0.name == nameOrPath }) else {
            return .failure(SourceErrors([SourceError(SourceLocation(file: nameOrPath, line: 1, column: 1),
                "no built-in theme named '\(nameOrPath)'; expected one of \(builtInNames.joined(separator: ", ")) or the path of a theme file")]))
        }
        return parse(Data(embedded.text.utf8), fileName: "<embedded themes/\(embedded.name).yaml>")
    }

    /// A built-in theme, which always loads (a test proves it).
    public static func builtIn(_ name: String) -> Theme {
        switch load(name) {
        case .success(let theme): return theme
        case .failure(let errors): preconditionFailure("built-in theme '\(name)' does not load:\n\(errors)")
        }
    }

    /// Parses a theme file's bytes.
    public static func parse(_ data: Data, fileName: String) -> Result<Theme, SourceErrors> {
        let root: YAMLNode
        switch YAMLDocument.parse(data, file: fileName) {
        case .failure(let errors): return .failure(errors)
        case .success(let node): root = node
        }
        let diagnostics = Diagnostics(file: fileName)
        let read = NodeReader(diagnostics: diagnostics)
        var theme: Theme?
        if let top = read.mapping(root, "the theme file") {
            let name = top.required("name").flatMap { read.identifier($0, "the theme's name") }
            let description = top.optional("description").flatMap { read.text($0, "the theme's description") }
            var styles: [Role: Theme.Style] = [:]
            if let rolesNode = top.required("roles"), let roles = read.mapping(rolesNode, "'roles'") {
                for (key, keyNode) in roles.keys {
                    guard let role = Role(rawValue: key) else {
                        let expected = Role.allCases.map(\.rawValue).joined(separator: ", ")
                        read.error(keyNode, "unknown role \(NodeReader.quoted(key)); expected one of \(expected)")
                        _ = roles.optional(key)
                        continue
                    }
                    if let node = roles.optional(key), let style = style(node, role: key, read) {
                        styles[role] = style
                    }
                }
                roles.finish()
            }
            top.finish()
            if let name { theme = Theme(name: name, description: description ?? "", styles: styles) }
        }
        if let theme, diagnostics.errors.isEmpty { return .success(theme) }
        return .failure(SourceErrors(diagnostics.errors))
    }

    private static func style(_ node: YAMLNode, role: String, _ read: NodeReader) -> Theme.Style? {
        let what = "role '\(role)'"
        guard let map = read.mapping(node, what) else { return nil }
        defer { map.finish() }
        var style = Theme.Style()
        var ok = true
        func color(_ key: String) -> ThemeColor? {
            guard let node = map.optional(key), let text = read.text(node, "\(key) of \(what)") else { return nil }
            guard let color = ThemeColor(parsing: text) else {
                read.error(node, "\(key) of \(what) must be a colour name (red, bright_blue, ...), a number 0-255, #rrggbb or default, found \(NodeReader.quoted(text))")
                ok = false
                return nil
            }
            return color
        }
        func flag(_ key: String) -> Bool {
            map.optional(key).flatMap { read.boolean($0, "\(key) of \(what)") } ?? false
        }
        style.foreground = color("fg") ?? .terminalDefault
        style.background = color("bg") ?? .terminalDefault
        style.bold = flag("bold")
        style.dim = flag("dim")
        style.underline = flag("underline")
        style.reverse = flag("reverse")
        return ok ? style : nil
    }
}
