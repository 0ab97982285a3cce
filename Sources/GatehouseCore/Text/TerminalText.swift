/// Text that came from outside the program (a command's output, a document, a programme file,
/// a name or reason someone typed, anything read back from a journal) made safe to write to a
/// terminal: nothing in it can move the cursor, retitle the window, recolour the screen,
/// write the clipboard or reorder what is shown.
///
/// Every control is shown as visible, inert text instead of being sent:
/// - C0 controls as their Control Pictures (ESC as `␛`, BEL as `␇`, a carriage return as
///   `␍`, backspace as `␈`), and DEL as `␡`; tab and newline stay (one-line fields show a
///   newline as `␤`, see ``inertLine(_:)``), and a carriage return just before a newline is
///   dropped (a CRLF line end is a line end);
/// - C1 controls (U+0080–U+009F, which some terminals obey as escape sequences), the
///   bidirectional embeddings, overrides, isolates and marks, and the Unicode line and
///   paragraph separators as `<U+XXXX>`.
///
/// An escape sequence thus reads as what it is (`␛]0;title␇`, `␛[31m`). The result holds no
/// control but tab and newline, and is its own image: ``inert(_:)`` of it is itself.
public enum TerminalText {
    /// `text` with every control but tab and newline shown as inert text.
    public static func inert(_ text: String) -> String {
        render(text, keepsNewlines: true)
    }

    /// `text` for one line or one table cell: as ``inert(_:)``, and a newline shown as `␤`.
    public static func inertLine(_ text: String) -> String {
        render(text, keepsNewlines: false)
    }

    /// Whether `scalar` is shown as something else: a control, or a bidirectional or line-breaking format character.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }

    /// `U+001B (escape)`: how an error message names a control.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let names: [UInt32: String] = [
            0x00: "null", 0x07: "bell", 0x08: "backspace", 0x09: "tab", 0x0A: "line feed", 0x0D: "carriage return",
            0x1B: "escape", 0x7F: "delete", 0x9B: "control sequence introducer", 0x9D: "operating system command",
            0x061C: "arabic letter mark", 0x200E: "left-to-right mark", 0x200F: "right-to-left mark",
            0x202A: "left-to-right embedding", 0x202B: "right-to-left embedding", 0x202C: "pop directional formatting",
            0x202D: "left-to-right override", 0x202E: "right-to-left override", 0x2066: "left-to-right isolate",
            0x2067: "right-to-left isolate", 0x2068: "first strong isolate", 0x2069: "pop directional isolate",
            0x2028: "line separator", 0x2029: "paragraph separator",
        ]
        let kind = names[scalar.value] ?? (scalar.value < 0x80 ? "a C0 control" : scalar.value < 0xA0 ? "a C1 control" : "a format character")
        return "U+\(hex(scalar)) (\(kind))"
    }

    /// A JSON text whose strings show no control on a terminal, with the same values: every
    /// scalar ``isControl(_:)`` (outside strings a JSON text holds only spaces and newlines)
    /// written as a `\uXXXX` escape.
    ///
    /// For JSON written with C0 controls already escaped, as ``JSONValue`` writes it.
    public static func escapingJSON(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" && $0 != "\t" }) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if isControl(scalar) && scalar != "\n" && scalar != "\t" {
                // Lower-case hex digits, as JSONValue writes the C0 controls it escapes.
                out.append(contentsOf: "\\u\(hex(scalar).lowercased())".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func render(_ text: String, keepsNewlines: Bool) -> String {
        let scalars = text.unicodeScalars
        guard scalars.contains(where: { isControl($0) && !($0 == "\t" || ($0 == "\n" && keepsNewlines)) }) else { return text }
        var out = String.UnicodeScalarView()
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            defer { index = next }
            switch scalar.value {
            case 0x09: out.append(scalar)
            case 0x0A: out.append(keepsNewlines ? scalar : "\u{2424}")
            case 0x0D where keepsNewlines && next != scalars.endIndex && scalars[next] == "\n": continue
            case 0x00...0x1F: out.append(Unicode.Scalar(0x2400 + scalar.value)!)
            case 0x7F: out.append("\u{2421}")
            default:
                if isControl(scalar) {
                    out.append(contentsOf: "<U+\(hex(scalar))>".unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    /// Four upper-case hex digits.
    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
