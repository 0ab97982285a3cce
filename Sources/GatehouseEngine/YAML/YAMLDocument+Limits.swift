// libyaml, vendored by Yams as its CYaml target: `YAMLComposer` hands each event to the walk
// below before it adds the event to the tree.
import CYaml

/// Limits that keep a hostile file from overflowing the stack or running for hours: the
/// nesting depth, and how many nodes aliases may add when expanded (a "billion laughs" file
/// of a few hundred bytes expands to 10⁹ nodes: the tree holds an alias once, but a reader
/// walks it as often as it is named).
extension YAMLDocument {
    /// The deepest nesting of lists and mappings a file may have. Gatehouse files need fewer
    /// than ten levels, and a reader of the tree recurses once per level.
    package static let maximumDepth = 100

    /// The most nodes that aliases may add to a file, all aliases together.
    package static let maximumAliasExpansion = 10_000
}

/// Follows the events of a YAML stream, counting depth and the size of each anchored node.
struct LimitWalk {
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
            // An alias to an unknown anchor is left for the composer to report.
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
