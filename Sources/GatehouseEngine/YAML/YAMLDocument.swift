import Foundation

/// Parses YAML text into a `YAMLTree`, turning every failure into a `SourceError` with a line
/// and column: invalid UTF-8, syntax errors, duplicate keys, empty files, and files that break
/// the limits of `YAMLDocument+Limits.swift` (nesting depth, alias expansion).
package enum YAMLDocument {
    /// The root node of `data`, or the errors that stop it being read.
    package static func parse(_ data: Data, file: String) -> Result<YAMLNode, SourceErrors> {
        guard let text = String(validatingUTF8Data: data) else {
            let (line, column) = invalidUTF8Position(data)
            return .failure(SourceErrors([SourceError(
                SourceLocation(file: file, line: line, column: column),
                "the file is not valid UTF-8 text; save it as UTF-8")]))
        }
        return parse(text, file: file)
    }

    /// The root node of `text`, or the errors that stop it being read.
    package static func parse(_ text: String, file: String) -> Result<YAMLNode, SourceErrors> {
        func failure(_ line: Int, _ column: Int, _ message: String) -> Result<YAMLNode, SourceErrors> {
            let (line, column) = withinText(line, column, text)
            return .failure(SourceErrors([SourceError(SourceLocation(file: file, line: line, column: column), message)]))
        }
        if let nul = text.utf8.firstIndex(of: 0) {
            let (line, column) = position(ofUTF8Offset: text.utf8.distance(from: text.utf8.startIndex, to: nul), in: text)
            return failure(line, column, "the file holds a NUL byte; expected YAML text")
        }
        var contiguous = text
        switch contiguous.withUTF8({ YAMLComposer.compose($0) }) {
        case .success(let tree?):
            return .success(tree.root)
        case .success(nil):
            return failure(1, 1, "the file is empty; expected a YAML mapping")
        case .failure(let problem):
            if let offset = problem.byteOffset {
                let (line, column) = position(ofUTF8Offset: min(offset, text.utf8.count), in: text)
                return failure(line, column, problem.message)
            }
            return failure(problem.line, problem.column, problem.message)
        }
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
