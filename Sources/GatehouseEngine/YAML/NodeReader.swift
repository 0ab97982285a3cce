import GatehouseCore

/// Reads a YAML node tree strictly, recording a located error for anything that is not what
/// the format expects, and carrying on so every error in a file is reported at once.
///
/// Values are read from the scalars' text, never from YAML's implicit typing: `yes` is the
/// word yes, `5` is parsed as an integer only where an integer is expected.
package struct NodeReader {
    package let diagnostics: Diagnostics

    package init(diagnostics: Diagnostics) {
        self.diagnostics = diagnostics
    }

    /// The word a file writes for a fact its source does not state.
    package static let unknown = "unknown"

    package func location(_ node: YAMLNode) -> SourceLocation {
        SourceLocation(file: diagnostics.file, line: node.line, column: node.column)
    }

    package func error(_ node: YAMLNode, _ message: String) {
        diagnostics.error(at: location(node), message)
    }

    /// Text from the file as an error message quotes it: in single quotes, on one line (line
    /// breaks and control characters escaped, so a message cannot move the terminal's cursor),
    /// and cut after 60 characters.
    package static func quoted(_ text: String) -> String {
        let limit = 60
        var shown = ""
        for (count, character) in text.enumerated() {
            if count == limit { return "'\(shown)…' (\(text.count) characters)" }
            for scalar in character.unicodeScalars {
                switch scalar {
                case "\n": shown += "\\n"
                case "\r": shown += "\\r"
                case "\t": shown += "\\t"
                case _ where TerminalText.isControl(scalar):
                    shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                default: shown.unicodeScalars.append(scalar)
                }
            }
        }
        return "'\(shown)'"
    }

    /// Describes the shape of a node for error messages.
    package static func shape(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let scalar): quoted(scalar.string)
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    // MARK: - Mappings

    /// A mapping's keys, read once each; `finish()` reports the keys nobody asked for.
    package final class Mapping {
        let reader: NodeReader
        let node: YAMLNode
        let what: String
        private var pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []
        private var asked: [String] = []

        init(reader: NodeReader, node: YAMLNode, what: String, pairs: [(String, YAMLNode, YAMLNode)]) {
            self.reader = reader
            self.node = node
            self.what = what
            self.pairs = pairs.map { (key: $0.0, keyNode: $0.1, value: $0.2) }
        }

        /// The keys in file order.
        package var keys: [(name: String, node: YAMLNode)] { pairs.map { ($0.key, $0.keyNode) } }

        /// The value of a key that must be present.
        package func required(_ key: String) -> YAMLNode? {
            asked.append(key)
            if let value = pairs.first(where: { $0.key == key })?.value { return value }
            reader.error(node, "\(what) is missing the required key '\(key)'")
            return nil
        }

        /// The value of a key that may be absent.
        package func optional(_ key: String) -> YAMLNode? {
            asked.append(key)
            return pairs.first(where: { $0.key == key })?.value
        }

        /// Reports every key that was not asked for.
        package func finish() {
            for pair in pairs where !asked.contains(pair.key) {
                let expected = asked.map { "'\($0)'" }.joined(separator: ", ")
                reader.error(pair.keyNode, "unknown key \(NodeReader.quoted(pair.key)) in \(what); expected one of \(expected)")
            }
        }
    }

    /// The node as a mapping with string keys, or nil after recording why not.
    package func mapping(_ node: YAMLNode, _ what: String) -> Mapping? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) must be a mapping of keys to values, found \(Self.shape(node))")
            return nil
        }
        var pairs: [(String, YAMLNode, YAMLNode)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(key, "a key in \(what) must be plain text, found \(Self.shape(key))")
                continue
            }
            guard refusesControls(scalar.string, key, "a key in \(what)", allowing: []) else { continue }
            pairs.append((scalar.string, key, value))
        }
        return Mapping(reader: self, node: node, what: what, pairs: pairs)
    }

    // MARK: - Lists

    /// The node's items, or nil after recording why it is not a list.
    package func list(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
        guard case .sequence(let sequence) = node else {
            error(node, "\(what) must be a list, found \(Self.shape(node))")
            return nil
        }
        return Array(sequence)
    }

    /// A list of plain texts, each with its node for locating errors.
    package func texts(_ node: YAMLNode, _ what: String) -> [(String, YAMLNode)]? {
        guard let items = list(node, what) else { return nil }
        return items.compactMap { item in text(item, "an item of \(what)").map { ($0, item) } }
    }

    // MARK: - Scalars

    /// The node's text, or nil after recording why it is not plain text.
    package func text(_ node: YAMLNode, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, "\(what) must be text, found \(Self.shape(node))")
            return nil
        }
        if scalar.isPlain && scalar.string.isEmpty {
            error(node, "\(what) is empty; write a value, or '\(Self.unknown)' if the source does not say")
            return nil
        }
        guard refusesControls(scalar.string, node, what, allowing: ["\n", "\t"]) else { return nil }
        return scalar.string
    }

    /// Whether `text` holds no control character (but those `allowing`) and no bidirectional
    /// override; records the first one otherwise. Text from a file is shown on terminals and
    /// screens where such characters would move the cursor, recolour or reorder what is read.
    private func refusesControls(_ text: String, _ node: YAMLNode, _ what: String, allowing: Set<Unicode.Scalar>) -> Bool {
        guard let (offset, scalar) = text.unicodeScalars.enumerated().first(where: {
            TerminalText.isControl($0.element) && !allowing.contains($0.element)
        }) else { return true }
        error(node, "\(what) holds \(TerminalText.describe(scalar)) at character \(offset + 1) of \(Self.quoted(text)): "
              + "control characters and bidirectional overrides are not allowed in keys or values")
        return false
    }

    /// Text that may be `unknown`: `.some(nil)` for unknown, nil after an error.
    package func knownText(_ node: YAMLNode, _ what: String) -> String?? {
        guard let value = text(node, what) else { return nil }
        return .some(value == Self.unknown ? nil : value)
    }

    /// An identifier: letters, digits, `-`, `_` and `.`, starting with a letter or digit.
    package func identifier(_ node: YAMLNode, _ what: String) -> String? {
        guard let value = text(node, what) else { return nil }
        let allowed = value.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "-_.".unicodeScalars.contains($0)
        }
        guard allowed, let first = value.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else {
            error(node, "\(what) must be an identifier of ASCII letters, digits, '-', '_' or '.', found \(Self.quoted(value))")
            return nil
        }
        return value
    }

    /// An integer within `range`.
    package func integer(_ node: YAMLNode, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = text(node, what) else { return nil }
        guard let number = Int(value) else {
            error(node, "\(what) must be a whole number \(range.lowerBound)...\(range.upperBound), found \(Self.quoted(value))")
            return nil
        }
        guard range.contains(number) else {
            error(node, "\(what) must be \(range.lowerBound)...\(range.upperBound), found \(number)")
            return nil
        }
        return number
    }

    /// `true` or `false`.
    package func boolean(_ node: YAMLNode, _ what: String) -> Bool? {
        guard let value = text(node, what) else { return nil }
        switch value {
        case "true": return true
        case "false": return false
        default:
            error(node, "\(what) must be true or false, found \(Self.quoted(value))")
            return nil
        }
    }

    /// One of an enumeration's raw values.
    package func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ what: String, _ type: T.Type) -> T?
    where T.RawValue == String {
        guard let value = text(node, what) else { return nil }
        if let choice = T(rawValue: value) { return choice }
        let expected = T.allCases.map { $0.rawValue }.joined(separator: ", ")
        error(node, "\(what) must be one of \(expected), found \(Self.quoted(value))")
        return nil
    }

    /// One of an enumeration's raw values, or `unknown`: `.some(nil)` for unknown.
    package func knownChoice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ what: String, _ type: T.Type) -> T??
    where T.RawValue == String {
        if case .scalar(let scalar) = node, scalar.string == Self.unknown { return .some(nil) }
        guard let value = text(node, what) else { return nil }
        if let choice = T(rawValue: value) { return .some(choice) }
        let expected = (T.allCases.map { $0.rawValue } + [Self.unknown]).joined(separator: ", ")
        error(node, "\(what) must be one of \(expected), found \(Self.quoted(value))")
        return nil
    }
}
