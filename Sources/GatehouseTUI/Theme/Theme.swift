/// How each role looks: colours and attributes, loaded from a theme file.
package struct Theme: Sendable, Equatable {
    /// The look of one role.
    package struct Style: Sendable, Equatable {
        package var foreground: ThemeColor = .terminalDefault
        package var background: ThemeColor = .terminalDefault
        package var bold = false
        package var dim = false
        package var underline = false
        package var reverse = false

        package init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                    bold: Bool = false, dim: Bool = false, underline: Bool = false, reverse: Bool = false) {
            self.foreground = foreground
            self.background = background
            self.bold = bold
            self.dim = dim
            self.underline = underline
            self.reverse = reverse
        }

        /// The same attributes without colours, for terminals that have none.
        package var withoutColor: Style {
            Style(bold: bold, dim: dim, underline: underline, reverse: reverse)
        }
    }

    /// The theme's name.
    package var name: String
    /// One line saying what the theme is for.
    package var description: String
    /// Whether the theme uses colour at all (the mono theme does not).
    package var usesColor: Bool { styles.values.contains { $0.foreground != .terminalDefault || $0.background != .terminalDefault } }
    /// The styles it sets; roles it leaves out look like `normal`.
    package var styles: [Role: Style]

    package init(name: String, description: String, styles: [Role: Style]) {
        self.name = name
        self.description = description
        self.styles = styles
    }

    /// The look of `role`.
    package func style(_ role: Role) -> Style {
        styles[role] ?? styles[.normal] ?? Style()
    }
}
