import Foundation
import Testing

/// Compares text to the golden file `Snapshots/<name>.txt` beside this file.
///
/// A missing golden file is written and the test fails, so a new snapshot is always looked at
/// once; `GATEHOUSE_RECORD_SNAPSHOTS=1 swift test` rewrites every golden file on purpose.
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = directory.appendingPathComponent("\(name).txt")
    let actual = text.hasSuffix("\n") ? text : text + "\n"
    let record = ProcessInfo.processInfo.environment["GATEHOUSE_RECORD_SNAPSHOTS"] == "1"
    guard !record, let expected = try? String(contentsOf: file, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        Issue.record("recorded snapshot \(name).txt; check it and run the tests again", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = Array(zip(expectedLines, actualLines)).firstIndex { $0 != $1 } ?? min(expectedLines.count, actualLines.count)
        Issue.record("""
            snapshot \(name).txt differs at line \(firstDifference + 1)
            expected: \(firstDifference < expectedLines.count ? String(expectedLines[firstDifference]) : "<end>")
            actual:   \(firstDifference < actualLines.count ? String(actualLines[firstDifference]) : "<end>")
            --- actual ---
            \(actual)
            """, sourceLocation: sourceLocation)
    }
}
