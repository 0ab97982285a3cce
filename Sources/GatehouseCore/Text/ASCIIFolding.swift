/// Folds text to plain ASCII for terminals whose locale cannot show UTF-8.
///
/// Characters with a customary ASCII spelling get it (`—` becomes `-`, `→` becomes `->`,
/// `★` becomes `*`); any other non-ASCII character becomes `?`, so the text keeps its shape.
public enum ASCIIFolding {
    private static let replacements: [Unicode.Scalar: String] = [
        "\u{2014}": "-", "\u{2013}": "-", "\u{2012}": "-", "\u{2212}": "-",
        "\u{2192}": "->", "\u{2190}": "<-", "\u{2191}": "^", "\u{2193}": "v", "\u{21D2}": "=>",
        "\u{2264}": "<=", "\u{2265}": ">=", "\u{2260}": "!=", "\u{2248}": "~",
        "\u{2605}": "*", "\u{2606}": ".", "\u{25B6}": ">", "\u{25BC}": "v", "\u{25B2}": "^",
        "\u{2018}": "'", "\u{2019}": "'", "\u{201C}": "\"", "\u{201D}": "\"",
        "\u{2026}": "...", "\u{00A7}": "S", "\u{00A0}": " ", "\u{2022}": "*", "\u{00B7}": ".",
        "\u{2500}": "-", "\u{2502}": "|", "\u{250C}": "+", "\u{2510}": "+", "\u{2514}": "+",
        "\u{2518}": "+", "\u{251C}": "+", "\u{2524}": "+", "\u{252C}": "+", "\u{2534}": "+",
        "\u{253C}": "+", "\u{2713}": "v", "\u{2717}": "x", "\u{00D7}": "x",
    ]

    /// The ASCII spelling of `text`.
    public static func fold(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                result.unicodeScalars.append(scalar)
            } else if let replacement = replacements[scalar] {
                result += replacement
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                result += "?"
            }
        }
        return result
    }
}
