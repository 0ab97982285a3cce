import GatehouseCore
import Testing
@testable import GatehouseEngine

/// A YAML file becomes one compact tree read from libyaml's events: every node where the file
/// has it, aliases as the node they name, and the first problem as a located error.
struct YAMLComposerTests {
    private func root(_ text: String) -> YAMLNode? {
        if case .success(let node) = YAMLDocument.parse(text, file: "t.yaml") { return node }
        return nil
    }

    private func errors(_ text: String) -> [String] {
        if case .failure(let errors) = YAMLDocument.parse(text, file: "t.yaml") { return errors.errors.map(\.description) }
        return []
    }

    private func pairs(_ node: YAMLNode?) -> [(key: YAMLNode, value: YAMLNode)] {
        guard case .mapping(let mapping)? = node else { return [] }
        return Array(mapping)
    }

    private func items(_ node: YAMLNode?) -> [YAMLNode] {
        guard case .sequence(let sequence)? = node else { return [] }
        return Array(sequence)
    }

    @Test func mappingsListsAndScalarsKeepTheirOrderTextAndPlace() {
        // Given block and flow collections, quoted and escaped text
        let tree = root("""
            name: Small
            axes:
              - {id: safety, stars: 5}
              - "two\\tthree"
            empty: ''
            """)
        // Then the keys come in file order, each node where the file has it
        let top = pairs(tree)
        #expect(top.map { $0.key.string } == ["name", "axes", "empty"])
        #expect(top.map { [$0.value.line, $0.value.column] } == [[1, 7], [3, 3], [5, 8]])
        let axes = items(top[1].value)
        #expect(axes.count == 2)
        #expect(pairs(axes[0]).map { [$0.key.string, $0.value.string] } == [["id", "safety"], ["stars", "5"]])
        #expect(pairs(axes[0]).map(\.value.column) == [10, 25])
        // Escapes are undone; quoting is remembered, so an empty quoted text is not "no value"
        #expect(axes[1].string == "two\tthree")
        guard case .scalar(let empty) = top[2].value, case .scalar(let name) = top[0].value else {
            Issue.record("scalars read as collections")
            return
        }
        #expect(empty.string == "" && !empty.isPlain)
        #expect(name.isPlain)
    }

    @Test func anAliasIsTheNodeItsAnchorNames() {
        let top = pairs(root("base: &style {fg: red, bold: true}\nwarn: *style\nword: &w hello\nagain: *w\n"))
        #expect(pairs(top[1].value).map { [$0.key.string, $0.value.string] } == [["fg", "red"], ["bold", "true"]])
        #expect(top[3].value.string == "hello")
        // A redefined anchor names its latest node
        let redefined = pairs(root("a: &x one\nb: &x two\nc: *x\n"))
        #expect(redefined[2].value.string == "two")
    }

    @Test func nonASCIITextAndLongTextSurviveWhole() {
        let long = String(repeating: "ab", count: 5_000)
        let top = pairs(root("title: Café ★ — naïve\nlong: \(long)\n"))
        #expect(top[0].value.string == "Café ★ — naïve")
        #expect(top[1].value.string == long)
    }

    @Test func aDuplicateKeyIsReportedAtItsSecondOccurrenceInAFlowMappingToo() {
        #expect(errors("a: {x: 1, y: 2, x: 3}\n") == [
            "t.yaml:1:17: duplicate key 'x' in one mapping (first at line 1); each key may appear once",
        ])
        // Quoting does not make another key
        #expect(errors("title: a\n\"title\": b\n") == [
            "t.yaml:2:1: duplicate key 'title' in one mapping (first at line 1); each key may appear once",
        ])
        // The same key in two mappings is no duplicate
        #expect(errors("a: {x: 1}\nb: {x: 1}\n").isEmpty)
    }

    @Test func keysThatDifferByTagAreNotDuplicates() {
        #expect(errors("!x a: 1\na: 2\n").isEmpty)
        #expect(errors("!!str a: 1\na: 2\n").count == 1)
    }

    @Test func anUndefinedAliasIsALocatedError() {
        #expect(errors("a: 1\nb: *nowhere\n") == ["t.yaml:2:4: YAML syntax: found undefined alias"])
        // An alias inside the node its anchor is on names nothing yet
        #expect(errors("a: &self [1, *self]\n") == ["t.yaml:1:14: YAML syntax: found undefined alias"])
    }

    @Test func aSecondDocumentIsRefusedWhereItStarts() {
        #expect(errors("a: 1\n---\nb: 2\n") == [
            "t.yaml:2:1: YAML syntax: but found another document (expected a single document in the stream at line 1, column 1)",
        ])
    }

    @Test func syntaxAndReaderErrorsSayWhereAndWhat() {
        #expect(errors("a: [1, 2\nb: 3\n").first?.hasPrefix("t.yaml:") == true)
        #expect(errors("a: [1, 2\nb: 3\n").first?.contains("YAML syntax: did not find expected ',' or ']'") == true)
        // A control character libyaml refuses to read, on line 2
        #expect(errors("a: 1\nb: x\u{1}y\n") == ["t.yaml:2:5: unreadable text: control characters are not allowed"])
    }

    @Test func emptyTextHasNoDocument() {
        #expect(errors("") == ["t.yaml:1:1: the file is empty; expected a YAML mapping"])
        #expect(errors("# only a comment\n") == ["t.yaml:1:1: the file is empty; expected a YAML mapping"])
    }
}
