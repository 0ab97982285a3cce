/// A place in a source file: file name, 1-based line and column.
public struct SourceLocation: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`.
    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// One problem in a source file, said the way a compiler says it:
/// `o5.yaml:42:7: rating for axis 'safety' must be 1...5, found 7`.
public struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Every problem found in one source file; loading stops only after all are collected.
public struct SourceErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in the order they stand in the file.
    public var errors: [SourceError]

    public init(_ errors: [SourceError]) {
        self.errors = errors.sorted { $0.location < $1.location }
    }

    /// One line per problem.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
