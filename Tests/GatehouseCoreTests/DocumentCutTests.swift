import Foundation
import GatehouseCore
import Testing

/// A document is cut into units by its `##` headings, and every unit carries a stable digest.
struct DocumentCutTests {
    @Test func eachLevelTwoHeadingStartsAUnitAndTheTitleIsNone() {
        // Given a titled document with two sections
        let markdown = "# Handbook\n\n## One\n\nFirst.\n\n## Two\nSecond line.\n\nMore.\n\n"
        // When it is cut
        let units = DocumentCut.cut(markdown)
        // Then each section is a unit, in order, its body trimmed of blank lines
        #expect(units.map(\.ordinal) == [1, 2])
        #expect(units.map(\.heading) == ["One", "Two"])
        #expect(units.map(\.body) == ["First.", "Second line.\n\nMore."])
    }

    @Test func textBeforeTheFirstSectionIsThePreamble() {
        // Given text between the title and the first section
        let units = DocumentCut.cut("# Handbook\n\nWhy this exists.\n\n## One\none")
        // Then it is a unit of its own, first, without the title line
        #expect(units.map(\.heading) == [DocumentCut.preambleHeading, "One"])
        #expect(units.first?.body == "Why this exists.")
        #expect(DocumentCut.preambleHeading == "Preamble")
    }

    @Test func blankLinesBeforeTheFirstSectionMakeNoPreamble() {
        #expect(DocumentCut.cut("# Handbook\n\n  \n## One\none").map(\.heading) == ["One"])
        #expect(DocumentCut.cut("").isEmpty)
        #expect(DocumentCut.cut("# Just a title\n").isEmpty)
    }

    @Test func headingsInsideCodeFencesAreText() {
        // Given `#` lines inside backtick and tilde fences
        let markdown = """
            ## Shell
            ```sh
            # a comment, not a title
            ## nor a section
            ```
            ~~~
            ## still code
            ~~~
            ## Next
            next
            """
        // When it is cut
        let units = DocumentCut.cut(markdown)
        // Then only the real headings start units, and the fences stay whole in the body
        #expect(units.map(\.heading) == ["Shell", "Next"])
        #expect(units.first?.body.contains("## nor a section") == true)
        #expect(units.first?.body.hasSuffix("## still code\n~~~") == true)
    }

    @Test func anUnclosedFenceRunsToTheEnd() {
        let units = DocumentCut.cut("## A\n```\n## not a heading\n")
        #expect(units.map(\.heading) == ["A"])
        #expect(units.first?.body == "```\n## not a heading")
    }

    @Test func deeperHeadingsStayInTheBody() {
        let units = DocumentCut.cut("## A\n### Detail\ntext\n#### Deeper")
        #expect(units.count == 1)
        #expect(units.first?.body == "### Detail\ntext\n#### Deeper")
    }

    @Test func aLaterLevelOneHeadingEndsTheUnitAndKeepsItsText() {
        // Given a level-1 heading after a section, with text under it
        let units = DocumentCut.cut("## A\na\n# Appendix\nextra\n## B\nb")
        // Then the section ends there and the text is not lost
        #expect(units.map(\.heading) == ["A", "Appendix", "B"])
        #expect(units.map(\.body) == ["a", "extra", "b"])
        #expect(units.map(\.ordinal) == [1, 2, 3])
    }

    @Test func headingMarksAreStripped() {
        // Closing hashes, indentation up to three spaces; `#tag` and four-space indents are text
        let units = DocumentCut.cut("  ## Scope ##\nx\n##NoSpace\n    ## indented code\n##\n")
        #expect(units.map(\.heading) == ["Scope", ""])
        #expect(units.first?.body == "x\n##NoSpace\n    ## indented code")
        #expect(units.last?.body == "")
    }

    @Test func lineEndingsBecomeNewlines() {
        #expect(DocumentCut.cut("## A\r\none\r\ntwo\r\n") == DocumentCut.cut("## A\none\ntwo\n"))
    }

    @Test func aUnitsDigestIsTheSHA256OfItsCanonicalJSON() {
        // Given the unit {"body":"b","heading":"A","ordinal":1}
        let unit = DocumentCut.cut("## A\nb").first
        // Then its digest is the SHA-256 of that exact text
        #expect(unit?.digest == "d1fe8d4b94ca15109dc414122eced5ef803acd7b9b494d103ba3fce73c0e71b3")
        #expect(unit == DocumentCut.unit(ordinal: 1, heading: "A", body: "b"))
    }

    @Test func digestsAreStableAndFollowTheText() {
        let text = "# T\n\n## A\nalpha\n\n## B\nbeta\n"
        // Cutting twice gives the same units
        #expect(DocumentCut.cut(text) == DocumentCut.cut(text))
        // One changed character changes that unit's digest only
        let edited = DocumentCut.cut(text.replacingOccurrences(of: "beta", with: "Beta"))
        #expect(edited[0].digest == DocumentCut.cut(text)[0].digest)
        #expect(edited[1].digest != DocumentCut.cut(text)[1].digest)
        // The same section at another position has another digest
        let moved = DocumentCut.cut("## Z\nz\n" + text)
        #expect(moved[1].body == "alpha" && moved[1].digest != DocumentCut.cut(text)[0].digest)
    }

    @Test func documentDigestIsTheSHA256OfTheUTF8Text() {
        #expect(DocumentCut.digest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(DocumentCut.digest(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(DocumentCut.digest(ofBytes: Array("abc".utf8)) == DocumentCut.digest(of: "abc"))
    }

    @Test func candidatesDigestBindsTheUnitsAndTheirOrder() {
        // Given two cuts
        let units = DocumentCut.cut("## A\na\n## B\nb")
        // Then the candidates digest is the SHA-256 of the unit digests, one a line
        #expect(DocumentCut.candidatesDigest(units) == DocumentCut.digest(of: units[0].digest + "\n" + units[1].digest))
        #expect(DocumentCut.candidatesDigest(units) != DocumentCut.candidatesDigest(units.reversed()))
        #expect(DocumentCut.candidatesDigest(units) != DocumentCut.candidatesDigest(Array(units.prefix(1))))
    }
}
