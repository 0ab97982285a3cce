import Foundation
import GatehouseEngine
import GatehouseTestSupport
import Testing
@testable import GatehouseTUI

/// Issue 8, point 1, for themes: generated malformed theme files, each a mutation of a shipped
/// theme, end in a load or in `FILE:LINE:COLUMN` errors, never a crash. 300 cases here; set
/// `GATEHOUSE_FUZZ_CASES=10000` for the long mode. The generator is shared with the programme
/// cases (`LoaderFuzzer`, in GatehouseTestSupport).
struct MalformedThemeTests {
    @Test func everyGeneratedCaseLoadsOrIsALocatedError() {
        let fuzzer = LoaderFuzzer(kind: "theme", bases: EmbeddedThemes.all.map { ($0.name, $0.text) }) { data, fileName in
            ThemeLoader.parse(data, fileName: fileName).map { _ in () }
        }
        let configuration = LoaderFuzzer.Configuration.fromEnvironment(defaultCases: 300)
        let report = fuzzer.run(configuration)
        print(report.summary)
        report.recordIssues()
    }
}
