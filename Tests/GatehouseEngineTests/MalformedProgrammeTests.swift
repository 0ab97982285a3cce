import Foundation
import GatehouseEngine
import GatehouseTestSupport
import Testing

/// Issue 8, point 1: generated malformed programme files, each a mutation of the O5 file, end
/// in a load or in `FILE:LINE:COLUMN` errors, never a crash. 500 cases here; set
/// `GATEHOUSE_FUZZ_CASES=10000` for the long mode (docs/reliability.md has the figures).
struct MalformedProgrammeTests {
    private func makeFuzzer() -> LoaderFuzzer {
        LoaderFuzzer(kind: "programme", bases: [("o5", EmbeddedProgramme.o5)]) { data, fileName in
            ProgrammeLoader.parse(data, fileName: fileName).map { _ in () }
        }
    }

    @Test func everyGeneratedCaseLoadsOrIsALocatedError() {
        let configuration = LoaderFuzzer.Configuration.fromEnvironment(defaultCases: 500)
        let report = makeFuzzer().run(configuration)
        print(report.summary)
        report.recordIssues()
    }

    @Test func aCaseIsTheSameForTheSameSeedAndIndex() {
        let fuzzer = makeFuzzer()
        #expect(fuzzer.generate(7, seed: 1).data == fuzzer.generate(7, seed: 1).data)
        #expect(fuzzer.generate(7, seed: 1).data != fuzzer.generate(7, seed: 2).data)
        #expect(fuzzer.generate(7, seed: 1).data != fuzzer.generate(8, seed: 1).data)
    }

    @Test(arguments: Mutation.allCases)
    func everyMutationDamagesTheFile(mutation: Mutation) {
        // Given forty cases whose primary mutation is `mutation`
        let fuzzer = makeFuzzer()
        let indices = (0..<40).map { $0 * Mutation.allCases.count + Mutation.allCases.firstIndex(of: mutation)! }
        let original = Data(EmbeddedProgramme.o5.utf8)
        // Then each is counted under it, and nearly all change the file
        let cases = indices.map { fuzzer.generate($0, seed: LoaderFuzzer.defaultSeed) }
        #expect(cases.allSatisfy { $0.mutations.first == mutation })
        #expect(cases.filter { $0.data != original }.count >= 36)
    }

    @Test func theCheckRefusesAnErrorWithoutAPlaceInTheFile() {
        // The property itself: a column 0, a line past the end or another file's name is caught.
        let data = Data("a: 1\nb: 2\n".utf8)
        func problems(_ line: Int, _ column: Int, file: String = "f.yaml") -> [String] {
            LoaderFuzzer.problems(.failure(SourceErrors([SourceError(SourceLocation(file: file, line: line, column: column), "bad")])),
                                  fileName: "f.yaml", data: data)
        }
        #expect(problems(2, 4).isEmpty)
        #expect(problems(3, 1).isEmpty)
        #expect(problems(0, 1).count == 1)
        #expect(problems(1, 0).count == 1)
        #expect(problems(4, 1).count == 1)
        #expect(problems(2, 6).count == 1)
        #expect(problems(1, 1, file: "g.yaml").count == 1)
        #expect(LoaderFuzzer.problems(.failure(SourceErrors([])), fileName: "f.yaml", data: data).count == 1)
    }
}
