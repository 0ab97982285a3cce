import Foundation
import Yams

/// Parses YAML text into a node tree, turning every failure into a `SourceError` with a line
/// and column: invalid UTF-8, syntax errors, duplicate keys, empty files, and files that break
/// the limits of `YAMLDocument+Limits.swift` (nesting depth, alias expansion).
package enum YAMLDocument {
    /// The root node of `data`, or the errors that stop it being read.
    package static func parse(_ data: Data, file: String) -> Result<Node, SourceErrors> {
        guard let text = String(validatingUTF8Data: data) else {
            let (line, column) = invalidUTF8Position(data)
            return .failure(SourceErrors([SourceError(
                SourceLocation(file: file, line: line, column: column),
                "the file is not valid UTF-8 text; save it as UTF-8")]))
        }
        return parse(text, file: file)
    }

    /// The root node of `text`, or the errors that stop it being read.
    package static func parse(_ text: String, file: String) -> Result<Node, SourceErrors> {
        func failure(_ line: Int, _ column: Int, _ message: String) -> Result<Node, SourceErrors> {
            let (line, column) = withinText(line, column, text)
            return .failure(SourceErrors([SourceError(SourceLocation(file: file, line: line, column: column), message)]))
        }
        if let nul = text.utf8.firstIndex(of: 0) {
            let (line, column) = position(ofUTF8Offset: text.utf8.distance(from: text.utf8.startIndex, to: nul), in: text)
            return failure(line, column, "the file holds a NUL byte; expected YAML text")
        }
        if let violation = limitViolation(in: text) {
            return failure(violation.line, violation.column, violation.message)
        }
        do {
            guard let root = try Yams.compose(yaml: text, .basic, .default, .utf8) else {
                return failure(1, 1, "the file is empty; expected a YAML mapping")
            }
            return .success(root)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _),
                 .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                if problem.hasPrefix("Maximum nesting level reached") {
                    // libyaml's own limit, met by its scanner before our walk of the events
                    return failure(mark.line, mark.column, "lists and mappings nest deeper than 1000 levels here; a Gatehouse file needs only a few")
                }
                let detail = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
                return failure(mark.line, mark.column, "YAML syntax: \(problem)\(detail)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                let keys = duplicates.map(NodeReader.quoted).joined(separator: ", ")
                let mark = secondOccurrence(of: duplicates.first ?? "", after: context.mark, in: text)
                return failure(mark.line, mark.column,
                    "duplicate key \(keys) in one mapping (first at line \(context.mark.line)); each key may appear once")
            case .reader(let problem, let offset, _, _):
                let (line, column) = offset.map { characterPosition($0, in: text) } ?? (1, 1)
                return failure(line, column, "unreadable text: \(problem)")
            default:
                return failure(1, 1, "YAML: \(error)")
            }
        } catch {
            return failure(1, 1, "YAML: \(error)")
        }
    }

    /// Where the same key appears again at the same indentation after `first`; `first` if not
    /// found (flow mappings, for example).
    private static func secondOccurrence(of key: String, after first: Mark, in text: String) -> (line: Int, column: Int) {
        let lines = lines(of: text)
        let column = first.column - 1
        guard first.line >= 1, first.line <= lines.count, column >= 0 else { return (first.line, first.column) }
        for index in first.line..<lines.count {
            let scalars = lines[index]
            guard let indent = scalars.firstIndex(where: { $0 != " " }), scalars[indent] != "#" else {
                continue
            }
            if indent < column { break }
            guard indent == column else { continue }
            let rest = String(String.UnicodeScalarView(scalars[column...]))
            if rest.hasPrefix("\(key):") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                return (index + 1, first.column)
            }
        }
        return (first.line, first.column)
    }

    /// `line`:`column`, or the end of `text` if that lies past it: libyaml places an error at
    /// the end of a text without a final line break on the line after the last.
    private static func withinText(_ line: Int, _ column: Int, _ text: String) -> (Int, Int) {
        let lines = lines(of: text)
        guard line > lines.count else { return (line, column) }
        return (lines.count, lines[lines.count - 1].count + 1)
    }

    private static func invalidUTF8Position(_ data: Data) -> (Int, Int) {
        var index = data.startIndex
        while index < data.endIndex {
            let length: Int
            switch data[index] {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            guard length > 0, index + length <= data.endIndex,
                  String(data: data[index..<(index + length)], encoding: .utf8) != nil else {
                break
            }
            index += length
        }
        return lineAndColumn(atEndOf: String(decoding: data[..<index], as: UTF8.self))
    }

    private static func position(ofUTF8Offset offset: Int, in text: String) -> (Int, Int) {
        let prefix = text.utf8.prefix(offset)
        let string = String(decoding: prefix, as: UTF8.self)
        return lineAndColumn(atEndOf: string)
    }

    private static func characterPosition(_ offset: Int, in text: String) -> (Int, Int) {
        lineAndColumn(atEndOf: String(text.prefix(offset)))
    }

    private static func lineAndColumn(atEndOf prefix: String) -> (Int, Int) {
        let lines = lines(of: prefix)
        return (lines.count, lines[lines.count - 1].count + 1)
    }

    /// The lines of `text` as libyaml numbers them in its marks: a line ends at LF, CR, CR LF,
    /// NEL, LS or PS.
    private static func lines(of text: String) -> [[Unicode.Scalar]] {
        let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
        var lines: [[Unicode.Scalar]] = [[]]
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if !breaks.contains(scalar) {
                lines[lines.count - 1].append(scalar)
            } else if !(scalar == "\n" && previous == "\r") {
                lines.append([])
            }
            previous = scalar
        }
        return lines
    }
}

extension String {
    /// The text of `data` if it is valid UTF-8, nil otherwise (no replacement characters).
    init?(validatingUTF8Data data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        self = text
    }
}
