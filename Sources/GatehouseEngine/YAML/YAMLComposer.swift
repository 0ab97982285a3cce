// libyaml, vendored by Yams as its CYaml target: its events are read here directly, so a
// document becomes one compact `YAMLTree` in a single pass, with no tree of Swift objects.
import CYaml

/// Builds a `YAMLTree` from libyaml's events, iteratively (a deep file cannot overflow the
/// stack), checking the limits of `YAMLDocument+Limits.swift` and refusing duplicate keys as
/// it goes. The first problem stops it.
struct YAMLComposer {
    /// Why a text could not be composed, and where (1-based).
    struct Failure: Error {
        var line: Int
        var column: Int
        var message: String
        /// For a reader error: the byte offset libyaml names instead of a line and column.
        var byteOffset: Int?
    }

    private var records: [YAMLTree.Record] = []
    private var text: [UInt8] = []
    private var children: [UInt32] = []
    /// The children of the collections being read, innermost last; each open collection
    /// remembers where its own children start.
    private var pending: [UInt32] = []
    private var open: [(record: UInt32, firstChild: Int, anchor: String?)] = []
    /// The record each anchor names (an anchor may be defined again; the latest counts).
    private var anchors: [String: UInt32] = [:]
    /// Explicit tags of scalars, other than `!!str`: keys that differ by tag are not duplicates.
    private var tags: [UInt32: String] = [:]
    private var limits = LimitWalk()

    /// The document in `bytes` (UTF-8), nil if it holds no document at all.
    static func compose(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<YAMLTree?, Failure> {
        guard bytes.count < Int(UInt32.max) else {
            return .failure(Failure(line: 1, column: 1, message: "the file is \(bytes.count) bytes; a Gatehouse file must be smaller than 4 GiB"))
        }
        var composer = YAMLComposer()
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return .failure(Failure(line: 1, column: 1, message: "YAML: out of memory"))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var documents = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(Self.failure(of: parser)) }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
            if let message = composer.limits.step(event) {
                return .failure(Failure(line: line, column: column, message: message))
            }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                guard documents > 0 else { return .success(nil) }
                return .success(YAMLTree(records: composer.records, text: composer.text, children: composer.children))
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    return .failure(Failure(line: line, column: column,
                        message: "YAML syntax: but found another document (expected a single document in the stream at line 1, column 1)"))
                }
            case YAML_SCALAR_EVENT:
                composer.scalar(event)
            case YAML_SEQUENCE_START_EVENT:
                composer.start(.sequence, event, anchor: event.data.sequence_start.anchor)
            case YAML_MAPPING_START_EVENT:
                composer.start(.mapping, event, anchor: event.data.mapping_start.anchor)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let failure = composer.end() { return .failure(failure) }
            case YAML_ALIAS_EVENT:
                guard let name = Self.name(event.data.alias.anchor), let target = composer.anchors[name] else {
                    return .failure(Failure(line: line, column: column, message: "YAML syntax: found undefined alias"))
                }
                composer.pending.append(target)
            default:
                break
            }
        }
    }

    private mutating func scalar(_ event: yaml_event_t) {
        let scalar = event.data.scalar
        let index = newRecord(.scalar, event, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE)
        records[Int(index)].start = UInt32(text.count)
        records[Int(index)].count = UInt32(scalar.length)
        if let value = scalar.value, scalar.length > 0 {
            text.append(contentsOf: UnsafeBufferPointer(start: value, count: scalar.length))
        }
        if scalar.quoted_implicit == 0, let tag = Self.name(scalar.tag), tag != Self.stringTag {
            tags[index] = tag
        }
        if let anchor = Self.name(scalar.anchor) { anchors[anchor] = index }
        pending.append(index)
    }

    private mutating func start(_ kind: YAMLTree.Kind, _ event: yaml_event_t, anchor: UnsafeMutablePointer<yaml_char_t>?) {
        let index = newRecord(kind, event, plain: false)
        pending.append(index)
        open.append((index, pending.count, Self.name(anchor)))
    }

    /// Closes the innermost collection: its children move from `pending` to `children`.
    private mutating func end() -> Failure? {
        guard let (index, firstChild, anchor) = open.popLast() else { return nil }
        let items = pending[firstChild...]
        if records[Int(index)].kind == .mapping, let failure = duplicateKey(among: items) { return failure }
        records[Int(index)].start = UInt32(children.count)
        records[Int(index)].count = UInt32(items.count)
        children.append(contentsOf: items)
        pending.removeSubrange(firstChild...)
        // Registered only now, as Yams does: an alias inside the node cannot name the node.
        if let anchor { anchors[anchor] = index }
        return nil
    }

    private mutating func newRecord(_ kind: YAMLTree.Kind, _ event: yaml_event_t, plain: Bool) -> UInt32 {
        records.append(YAMLTree.Record(kind: kind, plain: plain,
                                       line: UInt32(truncatingIfNeeded: event.start_mark.line + 1),
                                       column: UInt32(truncatingIfNeeded: event.start_mark.column + 1),
                                       start: 0, count: 0))
        return UInt32(records.count - 1)
    }

    /// The second occurrence of a scalar key that a mapping already has, as an error there.
    /// Keys are the same when their text and tag are (`a` and `"a"` are; `!x a` is another).
    private func duplicateKey(among items: ArraySlice<UInt32>) -> Failure? {
        var seen: [String: UInt32] = [:]
        var position = items.startIndex
        while position < items.endIndex {
            let key = items[position]
            position += 2
            let record = records[Int(key)]
            guard record.kind == .scalar else { continue }
            let start = Int(record.start)
            let string = String(decoding: text[start..<(start + Int(record.count))], as: UTF8.self)
            let identity = tags[key].map { string + "\u{0}" + $0 } ?? string
            if let first = seen[identity] {
                return Failure(line: Int(record.line), column: Int(record.column),
                               message: "duplicate key \(NodeReader.quoted(string)) in one mapping (first at line \(records[Int(first)].line)); each key may appear once")
            }
            seen[identity] = key
        }
        return nil
    }

    private static let stringTag = "tag:yaml.org,2002:str"

    private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// The error libyaml stopped at, said for a person.
    private static func failure(of parser: yaml_parser_t) -> Failure {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        let line = Int(parser.problem_mark.line) + 1, column = Int(parser.problem_mark.column) + 1
        switch parser.error {
        case YAML_READER_ERROR:
            return Failure(line: 1, column: 1, message: "unreadable text: \(problem)", byteOffset: parser.problem_offset)
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
            if problem.hasPrefix("Maximum nesting level reached") {
                // libyaml's own limit, met by its scanner before the events reach ours
                return Failure(line: line, column: column,
                               message: "lists and mappings nest deeper than 1000 levels here; a Gatehouse file needs only a few")
            }
            let detail = parser.context.map {
                " (\(String(cString: $0)) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
            } ?? ""
            return Failure(line: line, column: column, message: "YAML syntax: \(problem)\(detail)")
        case YAML_MEMORY_ERROR:
            return Failure(line: 1, column: 1, message: "YAML: out of memory reading the file")
        default:
            return Failure(line: line, column: column, message: "YAML: \(problem)")
        }
    }
}
