import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// Loading is strict: every kind of bad input is an error at the right line and column.
struct StrictLoadingTests {
    /// A small valid programme; each case edits a line of it. Line numbers are in the comments.
    private static let valid = """
        programme:                 # 1
          id: P1                   # 2
          title: Small             # 3
        analysis:                  # 4
          gate: G1                 # 5
          question: Which?         # 6
          result: pass             # 7
        axes:                      # 8
          - id: safety             # 9
            name: Safety           # 10
            meaning: unknown       # 11
            summary: stars         # 12
          - id: effort             # 13
            name: Effort           # 14
            meaning: cost          # 15
            summary: word          # 16
            scale: [low, high]     # 17
        options:                   # 18
          - id: A                  # 19
            title: Option A        # 20
            label: a               # 21
            what: does a           # 22
            assessments:           # 23
              safety: {stars: 4, text: fine}   # 24
              effort: {word: low, text: cheap} # 25
            verdict: good          # 26
            next_macro: {answer: yes, text: YES}  # 27
            gate_level: high       # 28
        gates:                     # 29
          - id: G1                 # 30
            title: First           # 31
            level: high            # 32
            status: pass           # 33
            covers: [A]            # 34
          - id: G2                 # 35
            title: unknown         # 36
            level: xhigh           # 37
            status: pending        # 38
            requires:              # 39
              - gap: GAP-1         # 40
        gaps:                      # 41
          - id: GAP-1              # 42
            title: unknown         # 43
            status: open           # 44
            closed_by: [A]         # 45
        macros:                    # 46
          - id: M1                 # 47
            order: next            # 48
            options: [A]           # 49
            level: high            # 50
            needs: [G1]            # 51
        policies:                  # 52
          - id: POL                # 53
            option: A              # 54
            scope: some documents  # 55
            rule: be careful       # 56

        """

    /// The valid text with line `number` (1-based) replaced by `replacement` (several lines allowed).
    private func replacing(line number: Int, with replacement: String) -> String {
        var lines = Self.valid.components(separatedBy: "\n")
        lines[number - 1] = replacement
        return lines.joined(separator: "\n")
    }

    private func errors(_ text: String) -> [SourceError] {
        switch ProgrammeLoader.parse(text, fileName: "p.yaml") {
        case .success: return []
        case .failure(let errors): return errors.errors
        }
    }

    /// Expects exactly one error, at `line`:`column`, whose message contains `phrase`.
    private func expectError(_ text: String, line: Int, column: Int, _ phrase: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let found = errors(text)
        #expect(found.count == 1, "expected one error, got \(found.map(\.description))", sourceLocation: sourceLocation)
        guard let error = found.first else { return }
        #expect(error.location.line == line && error.location.column == column, "at \(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(phrase), "message: \(error.message)", sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix("p.yaml:\(line):\(column): "), sourceLocation: sourceLocation)
    }

    @Test func theValidProgrammeLoads() throws {
        let programme = try ProgrammeLoader.parse(Self.valid, fileName: "p.yaml").get()
        #expect(programme.options.map(\.id) == ["A"])
        #expect(programme.gates[1].title == nil)      // `unknown` is no title
        #expect(programme.axes[0].meaning == nil)
        #expect(programme.gates[1].requires == [.gap("GAP-1")])
    }

    @Test func unknownTopLevelKey() {
        expectError(Self.valid + "extras: 1\n", line: 57, column: 1, "unknown key 'extras' in the programme file")
    }

    @Test func unknownKeyInAnOption() {
        expectError(replacing(line: 26, with: "    verdict: good\n    colour: red"), line: 27, column: 5, "unknown key 'colour' in an option")
    }

    @Test func missingRequiredField() {
        expectError(replacing(line: 26, with: ""), line: 19, column: 5, "option is missing the required key 'verdict'")
    }

    @Test func ratingOutOfRange() {
        expectError(replacing(line: 24, with: "      safety: {stars: 7, text: fine}"), line: 24, column: 23,
                    "the star rating of option 'A' for axis 'safety' must be 1...5, found 7")
    }

    @Test func ratingThatIsNotANumber() {
        expectError(replacing(line: 24, with: "      safety: {stars: five, text: fine}"), line: 24, column: 23, "must be a whole number 1...5, found 'five'")
    }

    @Test func assessmentOfAnUndeclaredAxis() {
        let text = replacing(line: 25, with: "      effort: {word: low, text: cheap}\n      speed: {text: fast}")
        expectError(text, line: 26, column: 7, "assesses axis 'speed', which is not declared under 'axes'")
    }

    @Test func missingAssessmentForADeclaredAxis() {
        expectError(replacing(line: 25, with: ""), line: 24, column: 7, "has no assessment for axis 'effort'")
    }

    @Test func summaryWordOutsideTheScale() {
        expectError(replacing(line: 25, with: "      effort: {word: huge, text: cheap}"), line: 25, column: 22, "must be one of low, high, found 'huge'")
    }

    @Test func duplicateOptionIdIsReportedAtTheSecond() {
        let second = """
              - id: A
                title: Again
                label: a2
                what: again
                assessments:
                  safety: {stars: 1, text: bad}
                  effort: {word: high, text: dear}
                verdict: no
                next_macro: {answer: no, text: NO}
                gate_level: unknown
            gates:
            """
        expectError(replacing(line: 29, with: second), line: 29, column: 9, "duplicate option id 'A' (first declared at line 19)")
    }

    @Test func duplicateAxisId() {
        let found = errors(replacing(line: 13, with: "  - id: safety"))
        #expect(found.first?.description.hasPrefix("p.yaml:13:9: duplicate axis id 'safety' (first declared at line 9)") == true)
    }

    @Test func gateCoveringAnUndeclaredOption() {
        expectError(replacing(line: 34, with: "    covers: [A, Z]"), line: 34, column: 17, "names option 'Z', which is not declared; expected one of A")
    }

    @Test func requirementNamingAnUndeclaredGap() {
        expectError(replacing(line: 40, with: "      - gap: GAP-9"), line: 40, column: 14, "names gap 'GAP-9', which is not declared")
    }

    @Test func macroNeedingAnUndeclaredGate() {
        expectError(replacing(line: 51, with: "    needs: [G7]"), line: 51, column: 13, "names gate 'G7', which is not declared; expected one of G1, G2")
    }

    @Test func policyNamingAnUndeclaredOption() {
        expectError(replacing(line: 54, with: "    option: OPT-9"), line: 54, column: 13, "names option 'OPT-9'")
    }

    @Test func analysisGateUndeclared() {
        expectError(replacing(line: 5, with: "  gate: G9"), line: 5, column: 9, "names gate 'G9', which is not declared")
    }

    @Test func listWhereTextIsExpected() {
        expectError(replacing(line: 3, with: "  title: [a, b]"), line: 3, column: 10, "the programme's title must be text, found a list")
    }

    @Test func mappingWhereAListIsExpected() {
        expectError(replacing(line: 34, with: "    covers: {A: 1}"), line: 34, column: 13, "must be a list, found a mapping")
    }

    @Test func invalidEnumValue() {
        expectError(replacing(line: 37, with: "    level: ultra"), line: 37, column: 12, "must be one of medium, high, xhigh, unknown, found 'ultra'")
    }

    @Test func aQuotedValueStaysOnOneLineAndOutOfTheTerminal() {
        // A line break or a tab in a value is shown escaped, never sent as is
        expectError(replacing(line: 37, with: #"    level: "ultra\nviolet\t""#), line: 37, column: 12,
                    #"found 'ultra\nviolet\t'"#)
    }

    @Test func anEscapeSequenceInAValueIsRefusedWhereItIs() {
        expectError(replacing(line: 3, with: #"  title: "O5 \e]0;owned\a cut""#), line: 3, column: 10,
                    #"the programme's title holds U+001B (escape) at character 4 of 'O5 \u{1B}]0;owned\u{7}"#)
    }

    @Test func aBidirectionalOverrideInAValueIsRefused() {
        expectError(replacing(line: 3, with: "  title: \"cut \u{202E}evil\""), line: 3, column: 10,
                    "holds U+202E (right-to-left override) at character 5")
        expectError(replacing(line: 3, with: "  title: \"cut \u{2067}evil\""), line: 3, column: 10,
                    "holds U+2067 (right-to-left isolate)")
    }

    @Test func aC1ControlOrADeleteInAValueIsRefused() {
        // Written as YAML escapes (the bytes themselves are refused as unreadable text, where they are)
        expectError(replacing(line: 3, with: #"  title: "cut \x9b31m""#), line: 3, column: 10, "holds U+009B (control sequence introducer)")
        expectError(replacing(line: 3, with: #"  title: "cut\x7f""#), line: 3, column: 10, "holds U+007F (delete)")
        expectError(replacing(line: 3, with: "  title: \"cut\u{7F}\""), line: 3, column: 14, "control characters are not allowed")
    }

    @Test func aControlInAKeyIsRefused() {
        expectError(replacing(line: 3, with: "  title: Small\n  \"ti\\etle\": x"), line: 4, column: 3,
                    "a key in 'programme' holds U+001B (escape) at character 3")
    }

    @Test func aLongValueIsCutInTheMessage() {
        expectError(replacing(line: 37, with: "    level: " + String(repeating: "x", count: 500)), line: 37, column: 12,
                    "found '" + String(repeating: "x", count: 60) + "…' (500 characters)")
    }

    @Test func duplicateYAMLKeyIsReportedAtTheSecondOccurrence() {
        expectError(replacing(line: 3, with: "  title: Small\n  title: Again"), line: 4, column: 3, "duplicate key 'title'")
    }

    @Test func duplicateYAMLKeyInAFileWithCarriageReturnLineEnds() {
        // libyaml ends a line at CR as well as LF; the second occurrence is found on its line
        let text = replacing(line: 3, with: "  title: Small\n  title: Again").replacingOccurrences(of: "\n", with: "\r")
        expectError(text, line: 4, column: 3, "duplicate key 'title'")
    }

    @Test func invalidUTF8InAFileWithCarriageReturnLineEnds() {
        var data = Data(Self.valid.replacingOccurrences(of: "\n", with: "\r").utf8)
        data[Self.valid.utf8.distance(from: Self.valid.utf8.startIndex, to: Self.valid.range(of: "Small")!.lowerBound) + 2] = 0xFF
        let result = ProgrammeLoader.parse(data, fileName: "p.yaml")
        guard case .failure(let errors) = result else { Issue.record("loaded invalid UTF-8"); return }
        #expect(errors.errors.map(\.description) == ["p.yaml:3:12: the file is not valid UTF-8 text; save it as UTF-8"])
    }

    @Test func aFileCutInAKeyIsAnErrorOnItsLastLine() {
        // Given a file cut short mid-key, with no final line break
        let text = Self.valid.components(separatedBy: "\n").prefix(3).joined(separator: "\n") + "\n  qu"
        // Then the error stands at the end of line 4, not on a line 5 the file does not have
        let found = errors(text)
        #expect(found.map(\.location) == [SourceLocation(file: "p.yaml", line: 4, column: 5)])
    }

    @Test func yamlSyntaxError() {
        let found = errors(replacing(line: 6, with: "  question: \"Which?"))
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("YAML syntax:") == true)
        #expect((found.first?.location.line ?? 0) >= 6)
    }

    @Test func invalidUTF8() {
        var data = Data(Self.valid.utf8)
        let offset = Self.valid.utf8.distance(from: Self.valid.utf8.startIndex, to: Self.valid.range(of: "Small")!.lowerBound)
        data[offset + 2] = 0xFF
        let result = ProgrammeLoader.parse(data, fileName: "p.yaml")
        guard case .failure(let errors) = result else { Issue.record("loaded invalid UTF-8"); return }
        #expect(errors.errors.map(\.description) == ["p.yaml:3:12: the file is not valid UTF-8 text; save it as UTF-8"])
    }

    @Test func emptyFile() {
        expectError("", line: 1, column: 1, "the file is empty")
        expectError("# only a comment\n", line: 1, column: 1, "the file is empty")
    }

    @Test func requirementCycle() {
        let text = replacing(line: 34, with: "    covers: [A]\n    requires:\n      - gate: G2")
            .replacingOccurrences(of: "      - gap: GAP-1 ", with: "      - gate: G1 ")
        let found = errors(text)
        #expect(found.contains { $0.message.contains("requires itself through G1 -> G2 -> G1") })
    }

    @Test func everyErrorIsListedInFileOrder() {
        var text = replacing(line: 37, with: "    level: ultra")
        text = text.replacingOccurrences(of: "  title: Small", with: "  title: Small\n  owner: me")
        let found = errors(text)
        #expect(found.map(\.location.line) == [4, 38])
    }

    @Test func aDirectoryOrMissingFileIsAClearError() {
        guard case .failure(let errors) = ProgrammeLoader.load(path: "/nonexistent/p.yaml") else {
            Issue.record("loaded a missing file")
            return
        }
        #expect(errors.description.hasPrefix("/nonexistent/p.yaml:1:1: cannot read the programme file"))
    }
}
