/// How many terminal columns text takes.
///
/// Combining marks take none, East Asian wide and fullwidth characters and emoji take two,
/// everything else one (ambiguous-width characters such as `★` count as one, as terminals
/// outside CJK locales draw them).
public enum DisplayWidth {
    /// The columns one Unicode scalar takes.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        // ASCII first: no Unicode property lookup for the characters almost every cell holds.
        if value < 0x7F { return value == 0 ? 0 : 1 }
        if isNarrowSymbol(value) { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(value) { return 2 }
        return 1
    }

    /// The columns a grapheme cluster takes: that of its first scalar.
    public static func of(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        return of(first)
    }

    /// The columns a string takes.
    public static func of(_ text: String) -> Int {
        // Printable ASCII, the common case, takes a column per byte: no grapheme breaking.
        var columns = 0
        for byte in text.utf8 {
            guard byte >= 0x20 && byte < 0x7F else { return ofBeyondASCII(text) }
            columns += 1
        }
        return columns
    }

    /// The columns of text that is not all printable ASCII: a column per scalar while each is
    /// printable ASCII or a narrow symbol (stars, arrows, rules: none of them joins a grapheme
    /// cluster), else grapheme cluster by grapheme cluster.
    private static func ofBeyondASCII(_ text: String) -> Int {
        var columns = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            guard (value >= 0x20 && value < 0x7F) || isNarrowSymbol(value) else { return text.reduce(0) { $0 + of($1) } }
            columns += 1
        }
        return columns
    }

    /// Arrows, mathematical operators, technical symbols, box drawing, blocks, geometric shapes,
    /// miscellaneous symbols and dingbats (U+2190 to U+2BFF): one column each, no mark, format
    /// character or wide character among them.
    private static func isNarrowSymbol(_ value: UInt32) -> Bool {
        value >= 0x2190 && value <= 0x2BFF
    }

    /// `text` cut to at most `width` columns, ending in `ellipsis` when it was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let ellipsisWidth = of(ellipsis)
        let budget = max(0, width - ellipsisWidth)
        var used = 0
        var result = ""
        for character in text {
            let w = of(character)
            if used + w > budget { break }
            result.append(character)
            used += w
        }
        return ellipsisWidth <= width ? result + ellipsis : result
    }

    /// `text` padded with spaces (or cut) to exactly `width` columns.
    public static func pad(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        return cut + String(repeating: " ", count: max(0, width - of(cut)))
    }

    /// Splits `text` into lines of at most `width` columns, breaking at spaces where it can.
    public static func wrap(_ text: String, to width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var word = String(word)
                var wordWidth = of(word)
                if lineWidth > 0 && lineWidth + 1 + wordWidth > width {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                while wordWidth > width {
                    let head = truncate(word, to: width, ellipsis: "")
                    if lineWidth > 0 {
                        lines.append(line)
                        line = ""
                        lineWidth = 0
                    }
                    lines.append(head)
                    word = String(word.dropFirst(head.count))
                    wordWidth = of(word)
                }
                if lineWidth > 0 {
                    line += " "
                    lineWidth += 1
                }
                line += word
                lineWidth += wordWidth
            }
            lines.append(line)
        }
        return lines
    }

    private static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v)
            || (0x3041...0x33FF).contains(v) || (0x3400...0x4DBF).contains(v)
            || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
    }
}
