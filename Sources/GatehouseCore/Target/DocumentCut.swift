/// Cuts a Markdown document into candidate units by its headings, and computes the digests
/// that bind documents, units and approvals together.
///
/// The rules, which depend on nothing but the text:
/// - A level-1 heading (`# Title`) is a title, not a unit; it ends the unit before it.
/// - Each level-2 heading (`## Heading`) starts a unit whose body is the text up to the next
///   level-1 or level-2 heading. Deeper headings (`###` …) are part of the body.
/// - Non-blank text before the first heading that starts a unit becomes a unit headed
///   `Preamble`; non-blank text after a later level-1 heading becomes a unit headed by that
///   heading's text, so no text is ever left out of the cut.
/// - Lines inside fenced code blocks (```` ``` ```` or `~~~`) are never headings.
/// - Bodies are trimmed of leading and trailing blank lines; line endings become `\n`.
/// - Ordinals are 1, 2, 3 … in document order.
public enum DocumentCut {
    /// The heading of the unit made of the text before the first `##` heading.
    public static let preambleHeading = "Preamble"

    /// Cuts `markdown` into units, in document order.
    public static func cut(_ markdown: String) -> [CandidateUnit] {
        var sections: [(heading: String, lines: [Substring], explicit: Bool)] = []
        var current: (heading: String, lines: [Substring], explicit: Bool) = (preambleHeading, [], false)
        var fence: (marker: Character, length: Int)?
        var seenSection = false

        for line in markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if let open = fence {
                if isClosingFence(line, marker: open.marker, length: open.length) { fence = nil }
                current.lines.append(line)
                continue
            }
            if let opening = openingFence(line) {
                fence = opening
                current.lines.append(line)
                continue
            }
            guard let heading = heading(line) else {
                current.lines.append(line)
                continue
            }
            if heading.level == 1 && !seenSection {
                // The title, or another level-1 heading, inside the preamble: not part of it.
                continue
            }
            sections.append(current)
            // A level-1 heading ends the unit before it; only text under it makes a unit.
            current = (heading.text, [], heading.level == 2)
            seenSection = seenSection || heading.level == 2
        }
        sections.append(current)

        var units: [CandidateUnit] = []
        for section in sections {
            let body = trimmedBody(section.lines)
            // A `##` heading always makes a unit; loose text only when there is some.
            guard section.explicit || !body.isEmpty else { continue }
            units.append(unit(ordinal: units.count + 1, heading: section.heading, body: body))
        }
        return units
    }

    /// Makes the unit with this content, computing its digest.
    public static func unit(ordinal: Int, heading: String, body: String) -> CandidateUnit {
        let canonical = JSONValue.object([
            "body": .string(body), "heading": .string(heading), "ordinal": .int(Int64(ordinal)),
        ]).canonical
        return CandidateUnit(ordinal: ordinal, heading: heading, body: body, digest: digest(of: canonical))
    }

    /// SHA-256 (lower-case hex) of the UTF-8 bytes of `text`: a document's digest.
    public static func digest(of text: String) -> String {
        digest(ofBytes: Array(text.utf8))
    }

    /// SHA-256 (lower-case hex) of `bytes`.
    public static func digest(ofBytes bytes: [UInt8]) -> String {
        sha256Hex(bytes: bytes)
    }

    /// SHA-256 (lower-case hex) of the units' digests joined by `\n`: what approvals bind to.
    public static func candidatesDigest(_ units: [CandidateUnit]) -> String {
        digest(of: units.map(\.digest).joined(separator: "\n"))
    }

    // MARK: - Lines

    /// The level (1 or 2) and text of an ATX heading line of level 1 or 2; nil for any other line.
    private static func heading(_ line: Substring) -> (level: Int, text: String)? {
        guard let rest = afterIndent(line) else { return nil }
        let level = rest.prefix { $0 == "#" }.count
        guard level == 1 || level == 2 else { return nil }
        let after = rest.dropFirst(level)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        var text = after.trimmingWhitespace()
        // An optional closing sequence: `## Heading ##`.
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0 {
            let beforeClosing = text.dropLast(closing)
            if beforeClosing.isEmpty || beforeClosing.last == " " || beforeClosing.last == "\t" {
                text = beforeClosing.trimmingWhitespace()
            }
        }
        return (level, String(text))
    }

    /// The marker and length of a line that opens a fenced code block.
    private static func openingFence(_ line: Substring) -> (marker: Character, length: Int)? {
        guard let rest = afterIndent(line), let marker = rest.first, marker == "`" || marker == "~" else { return nil }
        let length = rest.prefix { $0 == marker }.count
        guard length >= 3 else { return nil }
        // A backtick fence's info string may not contain backticks.
        if marker == "`" && rest.dropFirst(length).contains("`") { return nil }
        return (marker, length)
    }

    /// Whether `line` closes a fence opened with `length` times `marker`.
    private static func isClosingFence(_ line: Substring, marker: Character, length: Int) -> Bool {
        guard let rest = afterIndent(line) else { return false }
        let run = rest.prefix { $0 == marker }.count
        return run >= length && rest.dropFirst(run).trimmingWhitespace().isEmpty
    }

    /// The line without up to three leading spaces; nil when indented further (code, not structure).
    private static func afterIndent(_ line: Substring) -> Substring? {
        let spaces = line.prefix { $0 == " " }.count
        return spaces <= 3 ? line.dropFirst(spaces) : nil
    }

    /// The lines joined by `\n`, without leading and trailing blank lines.
    private static func trimmedBody(_ lines: [Substring]) -> String {
        let isBlank: (Substring) -> Bool = { $0.allSatisfy(\.isWhitespace) }
        guard let first = lines.firstIndex(where: { !isBlank($0) }),
              let last = lines.lastIndex(where: { !isBlank($0) }) else { return "" }
        return lines[first...last].joined(separator: "\n")
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
