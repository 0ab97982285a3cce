import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// Hostile YAML is refused before it is composed: nesting too deep for the stack, aliases
/// that expand without end. Each is a located error, never a crash or a hang.
struct YAMLLimitsTests {
    private func errors(_ text: String) -> [SourceError] {
        switch YAMLDocument.parse(text, file: "h.yaml") {
        case .success: return []
        case .failure(let errors): return errors.errors
        }
    }

    @Test func deepFlowNestingIsRefusedWhereItPassesTheLimit() {
        // Given a list nested 200 deep under a key
        let text = "a: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        // Then the one error stands at the bracket that opens level 101 (the mapping is level 1)
        #expect(errors(text).map(\.description) == [
            "h.yaml:1:103: lists and mappings nest deeper than 100 levels here; a Gatehouse file needs only a few",
        ])
    }

    @Test func aHundredThousandOpenBracketsAreOneLocatedError() {
        // libyaml's scanner meets its own limit of 1000 before the events reach ours
        let found = errors("a: " + String(repeating: "[", count: 100_000))
        #expect(found.count == 1)
        #expect(found.first?.location.line == 1)
        #expect(found.first?.message.hasPrefix("lists and mappings nest deeper than 1000 levels") == true)
    }

    @Test func deepBlockNestingIsRefused() {
        let found = errors(String(repeating: "- ", count: 100_000) + "x\n")
        #expect(found.count == 1)
        #expect(found.first?.location.line == 1)
        #expect(found.first?.message.hasPrefix("lists and mappings nest deeper than 100 levels") == true)
    }

    @Test func nestingAtTheLimitIsRead() {
        let text = "a: " + String(repeating: "[", count: 99) + String(repeating: "]", count: 99)
        #expect(errors(text).isEmpty)
    }

    @Test func nestingAtTheLimitComposesOnASmallThreadStack() async {
        // Given the deepest file the limit lets through, on a thread with macOS's default
        // secondary-thread stack (the reader recurses once per level)
        let depth = YAMLDocument.maximumDepth - 1
        let text = "a: " + String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth)
        let loaded = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            let thread = Thread {
                if case .success = YAMLDocument.parse(text, file: "h.yaml") { done.resume(returning: true) } else {
                    done.resume(returning: false)
                }
            }
            thread.stackSize = 512 * 1024
            thread.start()
        }
        // Then it is read, and the process is still alive to say so
        #expect(loaded)
    }

    @Test func anAliasBombUsedAsAKeyIsRefusedAtTheAliasThatPassesTheLimit() {
        // Given anchors that multiply by ten (a5 expands to 111,111 nodes), and a5 as a key,
        // which a reader would walk node by node
        var text = "x0: &a0 [l, l, l, l, l, l, l, l, l, l]\n"
        for level in 1...5 {
            text += "x\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        text += "? *a5\n: 1\n"
        // Then the error stands on line 4 (a3), where the aliases pass 10,000 nodes:
        // 110 + 1,110 so far, then eight aliases of 1,111 nodes each
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.location.line == 4)
        #expect(found.first?.location.column == 10 + 7 * 5)
        #expect(found.first?.message == "aliases expand the file by more than 10000 nodes by here; write the values out instead")
    }

    @Test func aFewAliasesAreStillRead() {
        #expect(errors("a: &style {fg: red}\nb: *style\nc: *style\n").isEmpty)
    }

    @Test func anAliasBombInAProgrammeIsALocatedError() throws {
        // Given the O5 programme with a billion laughs (10⁹ nodes) as its title
        var bomb = "bomb: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...8 {
            bomb += "bomb\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let text = bomb + EmbeddedProgramme.o5
        // Then loading stops at the first alias past the limit, inside the bomb
        guard case .failure(let errors) = ProgrammeLoader.parse(text, fileName: "o5.yaml") else {
            Issue.record("loaded an alias bomb")
            return
        }
        #expect(errors.errors.count == 1)
        #expect(errors.errors.first?.location.line == 4)
    }
}
