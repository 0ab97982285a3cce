import Foundation

/// One kind of damage done to a well-formed file, after issue 8's list of bad input.
public enum Mutation: String, CaseIterable, Sendable {
    case cutLines = "cut lines"
    case wrongTypes = "wrong types"
    case outOfRange = "out-of-range values"
    case duplicateIDs = "duplicate ids"
    case duplicateKeys = "duplicate keys"
    case danglingReferences = "dangling references"
    case randomBytes = "random bytes"
    case invalidUTF8 = "invalid UTF-8"
    case lineBreaks = "line breaks"
    case longLines = "very long lines"
    case deepNesting = "deep nesting"
    case aliasBombs = "alias bombs"

    /// Damage done to the bytes rather than to the text; applied after the text is damaged.
    var isOnBytes: Bool { self == .randomBytes || self == .invalidUTF8 }
}

/// Damages YAML text, deterministically from a seeded generator: each call of ``apply(_:)``
/// does one ``Mutation``, and ``bytes`` is the damaged file.
///
/// The mutator knows YAML only as lines of `key: value` (block or flow style); it need not be
/// right about YAML, only varied, since every output is valid input to the property tested.
struct YAMLMutator {
    private var lines: [String]
    /// The line break after each line; nil while every line ends in LF.
    private var breaks: [String]?
    private var byteMutations: [Mutation] = []
    private var rng: SplitMix64

    init(text: String, rng: SplitMix64) {
        lines = text.components(separatedBy: "\n")
        self.rng = rng
    }

    /// Damages the file the way `mutation` says.
    mutating func apply(_ mutation: Mutation) {
        switch mutation {
        case .cutLines: cutLines()
        case .wrongTypes: wrongType()
        case .outOfRange: outOfRange()
        case .duplicateIDs: duplicateID()
        case .duplicateKeys: duplicateKey()
        case .danglingReferences: danglingReference()
        case .randomBytes, .invalidUTF8: byteMutations.append(mutation)
        case .lineBreaks: changeLineBreaks()
        case .longLines: longLine()
        case .deepNesting: deepNesting()
        case .aliasBombs: aliasBomb()
        }
    }

    /// The damaged file.
    var bytes: Data {
        var rng = rng
        let breaks = lines.indices.map { index in self.breaks.flatMap { $0.indices.contains(index) ? $0[index] : nil } ?? "\n" }
        var bytes = Array(zip(lines, breaks).map { $0 + $1 }.joined().utf8.dropLast(breaks.last?.utf8.count ?? 0))
        for mutation in byteMutations {
            switch mutation {
            case .randomBytes: Self.randomBytes(&bytes, &rng)
            default: Self.invalidUTF8(&bytes, &rng)
            }
        }
        return Data(bytes)
    }

    // MARK: - Slots

    /// A `key: value` written on one line; the value may be empty (a block follows).
    private struct Slot {
        var line: Int
        var key: String
        var keyRange: Range<String.Index>
        var value: Range<String.Index>
        /// Inside `{...}` or `[...]` on its line.
        var inFlow: Bool
        var isHeader: Bool { value.isEmpty && !inFlow }
    }

    private func slots() -> [Slot] {
        var found: [Slot] = []
        for (number, line) in lines.enumerated() {
            if line.drop(while: { $0 == " " }).hasPrefix("#") { continue }
            var from = line.startIndex
            while let colon = line[from...].firstIndex(of: ":") {
                let after = line.index(after: colon)
                from = after
                var keyStart = colon
                while keyStart > line.startIndex, Self.isKeyCharacter(line[line.index(before: keyStart)]) {
                    keyStart = line.index(before: keyStart)
                }
                guard keyStart < colon, after == line.endIndex || line[after] == " " else { continue }
                let inFlow = line[..<keyStart].contains { $0 == "{" || $0 == "[" }
                var valueStart = after
                while valueStart < line.endIndex, line[valueStart] == " " { valueStart = line.index(after: valueStart) }
                var valueEnd = valueStart
                while valueEnd < line.endIndex {
                    let character = line[valueEnd]
                    if inFlow && (character == "," || character == "}" || character == "]") { break }
                    if character == "#", valueEnd > valueStart, line[line.index(before: valueEnd)] == " " { break }
                    valueEnd = line.index(after: valueEnd)
                }
                while valueEnd > valueStart, line[line.index(before: valueEnd)] == " " { valueEnd = line.index(before: valueEnd) }
                found.append(Slot(line: number, key: String(line[keyStart..<colon]), keyRange: keyStart..<colon,
                                  value: valueStart..<valueEnd, inFlow: inFlow))
                from = max(valueEnd, after)
            }
        }
        return found
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_-.".contains(character))
    }

    private mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int.random(in: items.indices, using: &rng)]
    }

    private mutating func setValue(of slot: Slot, to value: String) {
        lines[slot.line].replaceSubrange(slot.value, with: slot.value.isEmpty && !slot.inFlow ? " " + value : value)
    }

    private mutating func randomLine() -> Int { Int.random(in: lines.indices, using: &rng) }

    private static func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }

    /// The lines after `line` that are more indented than it: the block its key opens.
    private func block(after line: Int) -> Range<Int> {
        let indent = Self.indent(lines[line])
        var end = line + 1
        while end < lines.count, lines[end].allSatisfy({ $0 == " " }) || Self.indent(lines[end]) > indent { end += 1 }
        return (line + 1)..<end
    }

    private mutating func insert(_ new: [String], at index: Int) {
        lines.insert(contentsOf: new, at: index)
        breaks?.insert(contentsOf: new.map { _ in "\n" }, at: index)
    }

    // MARK: - Text mutations

    private mutating func cutLines() {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            for _ in 0..<Int.random(in: 1...5, using: &rng) where lines.count > 1 {
                let line = randomLine()
                lines.remove(at: line)
                breaks?.remove(at: line)
            }
        case 1:
            let keep = Int.random(in: 1...lines.count, using: &rng)
            lines.removeLast(lines.count - keep)
            if let count = breaks?.count { breaks?.removeLast(count - keep) }
        case 2:
            let line = randomLine()
            let keep = Int.random(in: 0...lines[line].count, using: &rng)
            lines[line] = String(lines[line].prefix(keep))
        default:
            // Cut the file at a character, as an interrupted copy would.
            let text = lines.joined(separator: "\n")
            let keep = Int.random(in: 0...text.unicodeScalars.count, using: &rng)
            lines = String(String.UnicodeScalarView(text.unicodeScalars.prefix(keep))).components(separatedBy: "\n")
            breaks = nil
        }
    }

    private static let otherTypes = [
        "[a, b]", "{a: 1}", "[]", "{}", "\"\"", "''", "~", "null", "true", "42", "-7.5", "!!binary aGVsbG8=",
        "!custom x", "|", ">-", "- item", "? x", "*", "&", "@x", "`x`", "%x", "!!int x", "!!map {}",
        "[a, [b, {c: d}]]", "{a: [1, 2], b: {c: d}}", "\"unterminated", "'it''s'", ": x", "x: y: z",
        "\"two\\nlines\"", "\"\\e]0;title\\a\\e[31mred\"", "\"tab\\there\"", "\"\\0\"",
    ]

    private mutating func wrongType() {
        guard let slot = pick(slots()) else { return cutLines() }
        let value = pick(Self.otherTypes)!
        if slot.isHeader, rng.oneIn(2) {
            lines.removeSubrange(block(after: slot.line))
            breaks = nil
        }
        setValue(of: slot, to: value)
    }

    private static let outOfRangeValues = [
        "0", "-1", "6", "7", "256", "86401", "1000000", "99999999999999999999999", "-9223372036854775809",
        "9223372036854775807", "1e3", "0x10", "0o7", "5.0", ".inf", "-.inf", ".nan", "+5", " 5", "٥", "５",
        "#GGGGGG", "#fff", "#1234567", "yes", "no", "on", "TRUE", "2026-13-45", "", "\"\"", "-0",
    ]

    private mutating func outOfRange() {
        let all = slots().filter { !$0.isHeader }
        let numeric = all.filter { Int(lines[$0.line][$0.value]) != nil }
        guard let slot = pick(!numeric.isEmpty && !rng.oneIn(5) ? numeric : all) else { return wrongType() }
        setValue(of: slot, to: pick(Self.outOfRangeValues)!)
    }

    private mutating func duplicateID() {
        // Two items of one section (two gates, two axes) given the same id.
        let ids = slots().filter { ($0.key == "id" || $0.key == "name") && !$0.value.isEmpty }
        guard let first = pick(ids),
              let second = pick(ids.filter { $0.line != first.line && section(of: $0.line) == section(of: first.line) }) else {
            return duplicateKey()
        }
        setValue(of: second, to: String(lines[first.line][first.value]))
    }

    /// The line of the top-level key that `line` stands under.
    private func section(of line: Int) -> Int {
        lines[...line].lastIndex { !$0.isEmpty && !$0.hasPrefix(" ") && !$0.hasPrefix("#") } ?? 0
    }

    private mutating func duplicateKey() {
        guard let slot = pick(slots()) else { return cutLines() }
        let line = lines[slot.line]
        let pair = String(line[slot.keyRange.lowerBound..<slot.value.upperBound])
        if slot.inFlow {
            lines[slot.line].insert(contentsOf: ", " + pair, at: slot.value.upperBound)
        } else {
            // The copy goes on the next line at the key's own column, after the block it opens.
            let column = line.distance(from: line.startIndex, to: slot.keyRange.lowerBound)
            insert([String(repeating: " ", count: column) + pair], at: block(after: slot.line).upperBound)
        }
    }

    private static let ghosts = ["G99", "OPT-9", "GAP-99", "ghost", "unknown", "shiny", "chartreuse", "x", "-", "Ω"]

    private mutating func danglingReference() {
        let all = slots()
        let declarations = all.filter { $0.key == "id" && !$0.value.isEmpty }
        let ids = Set(declarations.map { String(lines[$0.line][$0.value]) })
        var uses: [(line: Int, range: Range<String.Index>)] = []
        for (number, line) in lines.enumerated() {
            let declared = declarations.filter { $0.line == number }.map(\.value)
            var index = line.startIndex
            while index < line.endIndex {
                guard Self.isKeyCharacter(line[index]) else {
                    index = line.index(after: index)
                    continue
                }
                let word = index..<(line[index...].firstIndex { !Self.isKeyCharacter($0) } ?? line.endIndex)
                if ids.contains(String(line[word])), !declared.contains(word) { uses.append((number, word)) }
                index = word.upperBound
            }
        }
        let ghost = pick(Self.ghosts)!
        if let use = pick(uses) {
            lines[use.line].replaceSubrange(use.range, with: ghost)
        } else if let slot = pick(all) {
            // No ids (a theme): name a role, colour or key that does not exist.
            if rng.oneIn(2) { lines[slot.line].replaceSubrange(slot.keyRange, with: ghost) } else { setValue(of: slot, to: ghost) }
        }
    }

    private mutating func changeLineBreaks() {
        if rng.oneIn(2) { duplicateKey() }
        let styles = ["\r\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
        if rng.oneIn(3) {
            breaks = lines.map { _ in ["\n", "\r\n", "\r"][Int.random(in: 0..<3, using: &rng)] }
        } else {
            let style = pick(styles)!
            breaks = lines.map { _ in style }
        }
        if rng.oneIn(5) { lines[0] = "\u{FEFF}" + lines[0] }
        if rng.oneIn(5) {
            let line = randomLine()
            lines[line] = "\t" + lines[line].drop { $0 == " " }
        }
        if rng.oneIn(5) {
            let line = randomLine()
            lines[line] += pick(["\u{0B}", "\u{0C}", "\u{1B}[0m", "\u{7F}", "\u{200B}", "\u{202E}"])!
        }
    }

    private mutating func longLine() {
        let length = rng.logUniform(1_000...300_000)
        let slot = pick(slots().filter { !$0.isHeader })
        switch Int.random(in: 0..<6, using: &rng) {
        case 0 where slot != nil:
            setValue(of: slot!, to: String(repeating: "lorem ipsum ", count: length / 12 + 1))
        case 1 where slot != nil:
            setValue(of: slot!, to: "\"" + String(repeating: "\\u00e9\\t\\\" ", count: length / 10 + 1) + "\"")
        case 2:
            let line = randomLine()
            insert([String(repeating: " ", count: Self.indent(lines[line])) + String(repeating: "k", count: length) + ": v"], at: line)
        case 3 where slot != nil:
            setValue(of: slot!, to: "[" + String(repeating: "a, ", count: min(length / 3, 100_000)) + "a]")
        case 4:
            let line = randomLine()
            lines[line] += " # " + String(repeating: "c", count: length)
        default:
            let line = randomLine()
            lines[line] += String(repeating: "★", count: length / 3)
        }
    }

    private mutating func deepNesting() {
        let depth = rng.logUniform(10...200_000)
        let slot = pick(slots().filter { !$0.isHeader })
        let top = lines.indices.filter { !lines[$0].isEmpty && !lines[$0].hasPrefix(" ") && !lines[$0].hasPrefix("#") }
        let at = pick(top) ?? 0
        let value: String
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: value = String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth)
        case 1: value = String(repeating: "[", count: depth)
        case 2: value = String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth)
        case 3: value = String(repeating: "[{a: ", count: depth / 2) + "x" + String(repeating: "}]", count: depth / 2)
        case 4:
            return insert(["deep:", "  " + String(repeating: "- ", count: depth) + "x"], at: at)
        default:
            let levels = min(depth, 1_500)
            return insert((0..<levels).map { String(repeating: " ", count: $0) + "k\($0):" } + [String(repeating: " ", count: levels) + "x"], at: at)
        }
        if let slot { setValue(of: slot, to: value) } else { insert(["deep: " + value], at: at) }
    }

    private mutating func aliasBomb() {
        let levels = Int.random(in: 2...12, using: &rng)
        let width = Int.random(in: 2...10, using: &rng)
        var bomb = ["lol0: &lol0 [" + Array(repeating: "lol", count: width).joined(separator: ", ") + "]"]
        for level in 1...levels {
            bomb.append("lol\(level): &lol\(level) [" + Array(repeating: "*lol\(level - 1)", count: width).joined(separator: ", ") + "]")
        }
        let alias = "*lol\(levels)"
        let slot = pick(slots().filter { !$0.isHeader })
        switch Int.random(in: 0..<7, using: &rng) {
        case 0 where slot != nil: setValue(of: slot!, to: alias)
        case 1: bomb += ["? \(alias)", ": boom"]
        case 2 where slot != nil: setValue(of: slot!, to: "{\(alias) : x}")
        case 3 where slot != nil: setValue(of: slot!, to: "[\(alias), \(alias)]")
        case 4: bomb = ["self: &self [*self]", "ghost: *nope"]
        case 5 where slot != nil:
            // A merge key, which Yams does not expand but a reader might.
            let line = lines[slot!.line]
            let column = line.distance(from: line.startIndex, to: slot!.keyRange.lowerBound)
            insert([String(repeating: " ", count: column) + "<<: \(alias)"], at: slot!.line + 1)
        default:
            // Small aliases that stay within the limit: an anchored value used again.
            let values = slots().filter { !$0.isHeader && !$0.inFlow }
            guard let from = pick(values), let to = pick(values) else { break }
            lines[from.line].insert(contentsOf: "&v ", at: from.value.lowerBound)
            if to.line != from.line, let target = slots().first(where: { $0.line == to.line && !$0.isHeader }) {
                setValue(of: target, to: "*v")
            }
            return
        }
        insert(bomb, at: rng.oneIn(2) ? 0 : lines.count)
    }

    // MARK: - Byte mutations

    private static func randomBytes(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            let at = Int.random(in: 0...bytes.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0 where at < bytes.count:
                bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1:
                bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            default:
                bytes.removeSubrange(at..<min(at + Int.random(in: 1...16, using: &rng), bytes.count))
            }
        }
    }

    private static let invalidSequences: [[UInt8]] = [
        [0xFF], [0xFE], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0x80], [0xBF, 0xBF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFF, 0xFE],
    ]

    private static func invalidUTF8(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        let leads = bytes.indices.filter { bytes[$0] >= 0xC0 }
        if !leads.isEmpty, rng.oneIn(3) {
            // Break a character the file already has: drop or replace its continuation bytes.
            let lead = leads[Int.random(in: leads.indices, using: &rng)]
            if rng.oneIn(2) { bytes.remove(at: min(lead + 1, bytes.count - 1)) } else { bytes[lead] = 0x41 }
            return
        }
        let sequence = invalidSequences[Int.random(in: invalidSequences.indices, using: &rng)]
        bytes.insert(contentsOf: sequence, at: Int.random(in: 0...bytes.count, using: &rng))
    }
}
