/// A YAML document held compactly: each node one fixed-size record in an array, the text of
/// every scalar in one byte buffer, and each collection's children a run of indices.
///
/// Made by `YAMLComposer`; read through `YAMLNode`. Loading a programme of 1,000 options on
/// 12 axes (620 KB) peaks at 5.9 MB of heap this way, against 14.7 MB with a tree of Swift
/// values per node (Yams' `Node`; valgrind's massif, `gatehouse check`).
package final class YAMLTree: Sendable {
    /// What a record is.
    enum Kind: UInt8 {
        case scalar, sequence, mapping
    }

    /// One node: where it starts in the file and where its content is.
    struct Record {
        var kind: Kind
        /// For a scalar, whether it was written plain (no quotes, no block indicator).
        var plain: Bool
        /// 1-based line and column of the node's first character.
        var line: UInt32
        var column: UInt32
        /// A scalar's first byte in `text`; a collection's first child in `children`.
        var start: UInt32
        /// A scalar's length in bytes; a collection's number of children (a mapping's keys
        /// and values alternate, so twice its number of pairs).
        var count: UInt32
    }

    let records: [Record]
    let text: [UInt8]
    let children: [UInt32]

    init(records: [Record], text: [UInt8], children: [UInt32]) {
        self.records = records
        self.text = text
        self.children = children
    }

    /// The node of record `index`.
    func node(_ index: UInt32) -> YAMLNode {
        switch records[Int(index)].kind {
        case .scalar: .scalar(YAMLNode.Scalar(tree: self, index: index))
        case .sequence: .sequence(YAMLNode.Sequence(tree: self, index: index))
        case .mapping: .mapping(YAMLNode.Mapping(tree: self, index: index))
        }
    }

    /// The first node, which is the document's root.
    var root: YAMLNode { node(0) }
}

/// A node of a YAML document: text, a list, or a mapping. An alias is the node its anchor
/// names, so it is never seen as such.
package enum YAMLNode: Sendable {
    case scalar(Scalar)
    case sequence(Sequence)
    case mapping(Mapping)

    /// A scalar: a piece of text, as written after YAML's quoting and escapes are undone.
    package struct Scalar: Sendable {
        let tree: YAMLTree
        let index: UInt32

        /// The text.
        package var string: String {
            let record = tree.records[Int(index)]
            let start = Int(record.start)
            return tree.text.withUnsafeBufferPointer { bytes in
                String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(start + Int(record.count))]), as: UTF8.self)
            }
        }

        /// Whether it was written plain, without quotes or a block indicator.
        package var isPlain: Bool { tree.records[Int(index)].plain }
    }

    /// A list's items, in order.
    package struct Sequence: RandomAccessCollection, Sendable {
        let tree: YAMLTree
        let index: UInt32

        package var startIndex: Int { 0 }
        package var endIndex: Int { Int(tree.records[Int(index)].count) }

        package subscript(position: Int) -> YAMLNode {
            tree.node(tree.children[Int(tree.records[Int(index)].start) + position])
        }
    }

    /// A mapping's keys and values, in file order.
    package struct Mapping: RandomAccessCollection, Sendable {
        let tree: YAMLTree
        let index: UInt32

        package var startIndex: Int { 0 }
        package var endIndex: Int { Int(tree.records[Int(index)].count) / 2 }

        package subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) {
            let first = Int(tree.records[Int(index)].start) + 2 * position
            return (tree.node(tree.children[first]), tree.node(tree.children[first + 1]))
        }
    }

    private var record: YAMLTree.Record {
        switch self {
        case .scalar(let scalar): scalar.tree.records[Int(scalar.index)]
        case .sequence(let sequence): sequence.tree.records[Int(sequence.index)]
        case .mapping(let mapping): mapping.tree.records[Int(mapping.index)]
        }
    }

    /// The 1-based line of the node's first character.
    package var line: Int { Int(record.line) }

    /// The 1-based column of the node's first character.
    package var column: Int { Int(record.column) }

    /// A scalar's text; nil for a list or a mapping.
    package var string: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }
}
