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
}
