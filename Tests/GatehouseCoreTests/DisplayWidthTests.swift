import GatehouseCore
import Testing

/// Terminal column widths, truncation and wrapping.
struct DisplayWidthTests {
    @Test func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("★☆") == 2)
        #expect(DisplayWidth.of("漢字") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
    }

    @Test func truncateEndsInAnEllipsisOnlyWhenItCuts() {
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("abc", to: 4) == "abc")
        #expect(DisplayWidth.pad("ab", to: 4) == "ab  ")
    }

    @Test func wrapBreaksAtSpacesAndSplitsLongWords() {
        #expect(DisplayWidth.wrap("one two three", to: 7) == ["one two", "three"])
        #expect(DisplayWidth.wrap("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func asciiFoldingKeepsTheShapeOfTheText() {
        #expect(ASCIIFolding.fold("YES — O6 core → ≤ ~20 ★☆") == "YES - O6 core -> <= ~20 *.")
        #expect(ASCIIFolding.fold("日") == "?")
    }

    @Test func aStringTakesTheColumnsOfItsCharactersWhetherASCIIOrNot() {
        // The printable-ASCII shortcut must agree with counting character by character.
        let samples = ["", "plain text", "tab\there", "cr\r\nlf", "nul\u{0}end", "del\u{7F}", "é", "e\u{301}", "日本", "★ stars", "a\u{200B}b", "👍🏽 ok"]
        for sample in samples {
            #expect(DisplayWidth.of(sample) == sample.reduce(0) { $0 + DisplayWidth.of($1) }, "\(sample.debugDescription)")
        }
        let ascii = String(decoding: (0x01...0x7F).map { UInt8($0) }, as: UTF8.self)
        #expect(DisplayWidth.of(ascii) == ascii.reduce(0) { $0 + DisplayWidth.of($1) })
        #expect(DisplayWidth.of("plain text") == 10)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
    }

    @Test func symbolsFromArrowsToDingbatsTakeAColumnEachAndJoinNothing() throws {
        // The shortcut for stars, arrows and rules counts a column per scalar: that holds only
        // while no scalar of the block is a mark, a format character or a grapheme extender.
        for value in UInt32(0x2190)...0x2BFF {
            let scalar = try #require(Unicode.Scalar(value))
            let category = scalar.properties.generalCategory
            #expect(![.nonspacingMark, .enclosingMark, .format].contains(category), "U+\(String(value, radix: 16, uppercase: true))")
            #expect(!scalar.properties.isGraphemeExtend, "U+\(String(value, radix: 16, uppercase: true))")
            #expect(DisplayWidth.of(scalar) == 1)
        }
        let samples = ["★★★☆☆", "──┼──", "→ next", "★\u{301}☆", "☆\u{FE0F}", "✓ done 日本", "▶ e\u{301}"]
        for sample in samples {
            #expect(DisplayWidth.of(sample) == sample.reduce(0) { $0 + DisplayWidth.of($1) }, "\(sample.debugDescription)")
        }
        #expect(DisplayWidth.of("★★★☆☆") == 5)
        #expect(DisplayWidth.of("★\u{301}☆") == 2)
    }
}
