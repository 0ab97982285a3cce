/// A colour as a theme file names it: the terminal's default, a palette index, or RGB.
public enum ThemeColor: Sendable, Equatable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// An index of the 256-colour palette (0-15 are the named colours).
    case index(Int)
    /// A `#rrggbb` colour, shown as the nearest colour the terminal has.
    case rgb(UInt8, UInt8, UInt8)

    /// The colour names a theme may use, with their palette index.
    public static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright_black": 8, "grey": 8, "gray": 8, "bright_red": 9, "bright_green": 10, "bright_yellow": 11,
        "bright_blue": 12, "bright_magenta": 13, "bright_cyan": 14, "bright_white": 15,
    ]

    /// Parses `default`, a colour name, a number 0-255 or `#rrggbb`; nil if it is none of them.
    public init?(parsing text: String) {
        if text == "default" {
            self = .terminalDefault
        } else if let index = Self.names[text] {
            self = .index(index)
        } else if let index = Int(text), (0...255).contains(index) {
            self = .index(index)
        } else if text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16) {
            self = .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        } else {
            return nil
        }
    }

    /// The palette index to use on a terminal with `colors` colours (8, 16, 256), or -1 for
    /// the terminal's default.
    public func paletteIndex(colors: Int) -> Int {
        switch self {
        case .terminalDefault:
            return -1
        case .index(let index):
            if index < colors { return index }
            return Palette.nearest(Palette.rgb(ofIndex: index), among: min(colors, 16))
        case .rgb(let r, let g, let b):
            return Palette.nearest((Int(r), Int(g), Int(b)), among: colors >= 256 ? 256 : min(colors, 16))
        }
    }
}

/// The xterm 256-colour palette, for mapping RGB to the nearest colour a terminal has.
enum Palette {
    private static let basic: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The RGB of a palette index.
    static func rgb(ofIndex index: Int) -> (Int, Int, Int) {
        if index < 16 { return basic[max(0, index)] }
        if index < 232 {
            let steps = [0, 95, 135, 175, 215, 255]
            let i = index - 16
            return (steps[i / 36], steps[i / 6 % 6], steps[i % 6])
        }
        let level = 8 + (index - 232) * 10
        return (level, level, level)
    }

    /// The index among the first `count` palette colours nearest to `color`; on 256-colour
    /// terminals only the fixed cube and greys (16-255), since users often restyle 0-15.
    static func nearest(_ color: (Int, Int, Int), among count: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for index in (count >= 256 ? 16 : 0)..<max(1, count) {
            let c = rgb(ofIndex: index)
            let distance = (c.0 - color.0) * (c.0 - color.0) + (c.1 - color.1) * (c.1 - color.1) + (c.2 - color.2) * (c.2 - color.2)
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }
}
