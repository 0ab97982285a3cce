/// Collects the problems found while reading one file, so that a reader can report them all
/// at once instead of stopping at the first.
package final class Diagnostics {
    package let file: String
    package private(set) var errors: [SourceError] = []

    package init(file: String) { self.file = file }

    /// Records a problem at a line and column of the file.
    package func error(line: Int, column: Int, _ message: String) {
        errors.append(SourceError(SourceLocation(file: file, line: line, column: column), message))
    }

    /// Records a problem at a location.
    package func error(at location: SourceLocation, _ message: String) {
        errors.append(SourceError(location, message))
    }
}
