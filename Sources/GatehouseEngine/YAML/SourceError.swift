/// A place in a source file: file name, 1-based line and column.
package struct SourceLocation: Sendable, Equatable, Comparable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`.
    package var description: String { "\(file):\(line):\(column)" }

    package static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// One problem in a source file, said the way a compiler says it:
/// `o5.yaml:42:7: rating for axis 'safety' must be 1...5, found 7`.
package struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    package var location: SourceLocation
    package var message: String

    package init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    package var description: String { "\(location): \(message)" }
}

/// Every problem found in one source file; loading stops only after all are collected.
package struct SourceErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in the order they stand in the file.
    package var errors: [SourceError]

    package init(_ errors: [SourceError]) {
        self.errors = errors.sorted { $0.location < $1.location }
    }

    /// One line per problem.
    package var description: String { errors.map(\.description).joined(separator: "\n") }
}
