import GatehouseCore
import Testing
@testable import GatehouseEngine

/// Expects `result` to fail with exactly one error, on `line` (and `column`, when given),
/// whose message contains `phrase`.
func expectSingleError(_ result: Result<Programme, SourceErrors>, line: Int, column: Int? = nil, _ phrase: String,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    guard case .failure(let errors) = result else {
        Issue.record("expected an error containing '\(phrase)', but the file loaded", sourceLocation: sourceLocation)
        return
    }
    #expect(errors.errors.count == 1, "\(errors.errors.map(\.description))", sourceLocation: sourceLocation)
    guard let error = errors.errors.first else { return }
    #expect(error.location.line == line && (column == nil || error.location.column == column), "at \(error)", sourceLocation: sourceLocation)
    #expect(error.message.contains(phrase), "message: \(error.message)", sourceLocation: sourceLocation)
}
