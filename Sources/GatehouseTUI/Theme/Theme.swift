/// How each role looks: colours and attributes, loaded from a theme file.
public struct Theme: Sendable, Equatable {
    /// The look of one role.
    public struct Style: Sendable, Equatable {
        public var foreground: ThemeColor = .terminalDefault
        public var background: ThemeColor = .terminalDefault
        public var bold = false
        public var dim = false
        public var underline = false
        public var reverse = false

        public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                    bold: Bool = false, dim: Bool = false, underline: Bool = false, reverse: Bool = false) {
            self.foreground = foreground
            self.background = background
            self.bold = bold
            self.dim = dim
            self.underline = underline
            self.reverse = reverse
        }

        /// The same attributes without colours, for terminals that have none.
        public var withoutColor: Style {
            Style(bold: bold, dim: dim, underline: underline, reverse: reverse)
        }
    }

    /// The theme's name.
    public var name: String
    /// One line saying what the theme is for.
    public var description: String
    /// Whether the theme uses colour at all (the mono theme does not).
    public var usesColor: Bool { styles.values.contains { $0.foreground != .terminalDefault || $0.background != .terminalDefault } }
    /// The styles it sets; roles it leaves out look like `normal`.
    public var styles: [Role: Style]

    public init(name: String, description: String, styles: [Role: Style]) {
        self.name = name
        self.description = description
        self.styles = styles
    }

    /// The look of `role`.
    public func style(_ role: Role) -> Style {
        styles[role] ?? styles[.normal] ?? Style()
    }
}
