// libyaml, vendored by Yams as its CYaml target. Yams composes a whole node tree before we
// see anything, so the limits below have to be checked on libyaml's events first.
import CYaml

/// Limits that keep a hostile file from overflowing the stack or running for hours: the
/// nesting depth, and how many nodes aliases may add when expanded (a "billion laughs" file
/// of a few hundred bytes expands to 10⁹ nodes, and Yams hashes every node of an alias used
/// as a key).
extension YAMLDocument {
    /// The deepest nesting of lists and mappings a file may have. Gatehouse files need fewer
    /// than ten levels; Yams composes recursively, and 500 levels overflow a 512 KiB thread
    /// stack in a debug build.
    package static let maximumDepth = 100

    /// The most nodes that aliases may add to a file, all aliases together.
    package static let maximumAliasExpansion = 10_000

    /// Where `text` first breaks a limit, and how; nil if it keeps them. Syntax errors are
    /// left for Yams to report.
    static func limitViolation(in text: String) -> (line: Int, column: Int, message: String)? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var walk = LimitWalk()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let message = walk.step(event) {
                    return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1, message)
                }
            }
        }
    }
}

/// Follows the events of a YAML stream, counting depth and the size of each anchored node.
private struct LimitWalk {
    /// The node count of each collection being read, innermost last, with its anchor.
    private var open: [(anchor: String?, nodes: Int)] = []
    /// The node count of each anchored node, counting what its aliases expand to.
    private var sizes: [String: Int] = [:]
    /// The nodes all aliases so far have added.
    private var expansion = 0

    /// Takes one event; returns the message of the limit it breaks, if any.
    mutating func step(_ event: yaml_event_t) -> String? {
        switch event.type {
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            if open.count >= YAMLDocument.maximumDepth {
                return "lists and mappings nest deeper than \(YAMLDocument.maximumDepth) levels here; a Gatehouse file needs only a few"
            }
            let anchor = event.type == YAML_SEQUENCE_START_EVENT
                ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
            open.append((Self.name(anchor), 1))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let (anchor, nodes) = open.popLast() else { return nil }
            add(nodes, anchor: anchor)
        case YAML_SCALAR_EVENT:
            add(1, anchor: Self.name(event.data.scalar.anchor))
        case YAML_ALIAS_EVENT:
            // An alias to an unknown anchor is left for Yams to report.
            guard let anchor = Self.name(event.data.alias.anchor), let size = sizes[anchor] else { return nil }
            expansion += size
            if expansion > YAMLDocument.maximumAliasExpansion {
                return "aliases expand the file by more than \(YAMLDocument.maximumAliasExpansion) nodes by here; write the values out instead"
            }
            add(size, anchor: nil)
        default:
            break
        }
        return nil
    }

    private mutating func add(_ nodes: Int, anchor: String?) {
        if let anchor { sizes[anchor] = nodes }
        if !open.isEmpty { open[open.count - 1].nodes += nodes }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }
}
