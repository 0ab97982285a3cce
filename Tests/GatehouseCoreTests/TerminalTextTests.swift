import GatehouseCore
import GatehouseTestSupport
import Testing

/// The terminal-safe writer: recorded text reaches a terminal as visible, inert text.
struct TerminalTextTests {
    /// Every escape form a terminal obeys, and the characters that reorder or overwrite a line.
    static let escapeForms: [String] = [
        "\u{1B}[31m", "\u{1B}[2J\u{1B}[H", "\u{1B}[?1049h",                 // CSI: colour, clear, alternate screen
        "\u{1B}]0;owned\u{07}", "\u{1B}]52;c;cGF5bG9hZA==\u{1B}\\",         // OSC ended by BEL and by ST
        "\u{1B}P+q544e\u{1B}\\", "\u{1B}_apc\u{1B}\\", "\u{1B}^pm\u{1B}\\",   // DCS, APC, PM
        "\u{9B}31m", "\u{9D}0;owned\u{9C}", "\u{90}q\u{9C}", "\u{85}",        // C1 as characters (UTF-8)
        "\u{1B}", "\u{1B}c", "\u{1B}7\u{1B}8",                               // lone ESC, reset, cursor save/restore
        "\r", "line\rover", "ab\u{08}\u{08}cd", "\u{07}", "\u{00}", "\u{7F}",
        "\u{202E}txt.exe", "\u{2067}isolate\u{2069}", "\u{200F}", "\u{061C}", "\u{202A}\u{202C}", "\u{2028}", "\u{2029}",
    ]

    /// Whether `text` holds anything a terminal would act on (every control but tab and newline).
    private static func holdsControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" && $0 != "\t" }
    }

    @Test(arguments: escapeForms)
    func everyEscapeFormIsShownAndInert(form: String) {
        let shown = TerminalText.inert("before " + form + " after")
        #expect(!Self.holdsControl(shown), "\(shown.unicodeScalars.map { String($0.value, radix: 16) })")
        #expect(TerminalText.inert(shown) == shown)
        #expect(shown.hasPrefix("before ") && shown.hasSuffix(" after"))
    }

    @Test func controlsReadAsWhatTheyAre() {
        #expect(TerminalText.inert("\u{1B}]0;owned\u{07}") == "␛]0;owned␇")
        #expect(TerminalText.inert("\u{1B}[31mred\u{1B}[0m") == "␛[31mred␛[0m")
        #expect(TerminalText.inert("50%\r100%") == "50%␍100%")
        #expect(TerminalText.inert("\u{7F}\u{00}\u{08}") == "␡␀␈")
        #expect(TerminalText.inert("\u{9B}31m") == "<U+009B>31m")
        #expect(TerminalText.inert("invoice\u{202E}fdp.exe") == "invoice<U+202E>fdp.exe")
    }

    @Test func tabsNewlinesAndLineEndsStay() {
        #expect(TerminalText.inert("a\tb\nc\r\nd\n") == "a\tb\nc\nd\n")
        #expect(TerminalText.inertLine("a\tb\nc") == "a\tb␤c")
        #expect(TerminalText.inertLine("x\r\ny") == "x␍␤y")
    }

    @Test func textWithoutControlsIsUnchanged() {
        for text in ["", "plain", "über Straße — ✓ 漢字 👩‍💻", "tab\there\nnext", "␛ already shown", "<U+202E> as text"] {
            #expect(TerminalText.inert(text) == text)
        }
    }

    @Test func randomBytesAndEscapesNeverReachTheTerminalAndASecondPassChangesNothing() {
        var generator = SplitMix64(seed: 0x7E57_7E47)
        for index in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes += Array(Self.escapeForms.randomElement(using: &generator)!.utf8)
                case 1: bytes.append(UInt8.random(in: 0...0x20, using: &generator))
                default: bytes.append(UInt8.random(in: 0...255, using: &generator))
                }
            }
            // As a journal holds it: the bytes a command wrote, read as UTF-8 (invalid bytes as U+FFFD)
            let text = String(decoding: bytes, as: UTF8.self)
            for shown in [TerminalText.inert(text), TerminalText.inertLine(text)] {
                #expect(!Self.holdsControl(shown), "case \(index): \(bytes)")
                #expect(TerminalText.inert(shown) == shown, "case \(index): \(bytes)")
            }
            #expect(!TerminalText.inertLine(text).contains("\n"), "case \(index)")
        }
    }

    @Test func jsonKeepsItsValuesAndLosesItsControls() throws {
        let value = JSONValue.object(["title": .string("cut \u{202E}evil\u{7F}\u{9B}31m \u{1B}]0;x\u{07}"), "n": .int(1)])
        let printed = TerminalText.escapingJSON(value.canonical)
        #expect(!Self.holdsControl(printed))
        #expect(try JSONValue.parse(printed) == value)
        #expect(TerminalText.inert(printed) == printed)
        #expect(printed.contains(#"\u202e"#) && printed.contains(#"\u007f"#) && printed.contains(#"\u009b"#))
    }
}
