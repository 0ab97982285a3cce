import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// The O5 programme of the seed ships in the binary, identical to programmes/o5.yaml.
struct EmbeddedProgrammeTests {
    private static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("programmes/o5.yaml")

    @Test func embeddedTextIsTheFileByteForByte() throws {
        // Run scripts/embed-resources.sh after editing programmes/o5.yaml.
        #expect(EmbeddedProgramme.o5 == (try String(contentsOf: Self.file, encoding: .utf8)))
    }

    @Test func theO5FileLoadsFromDisk() throws {
        let programme = try ProgrammeLoader.load(path: Self.file.path).get()
        #expect(programme == ProgrammeLoader.embedded())
    }

    @Test func o5HoldsTheSeedsNouns() {
        let o5 = ProgrammeLoader.embedded()
        #expect(o5.info.id == "O5")
        #expect(o5.analysis.gate == "G3")
        #expect(o5.analysis.result == .pass)
        #expect(o5.axes.map(\.id) == ["safety", "value", "effort", "reversibility", "prereq"])
        #expect(o5.options.map(\.id) == ["OPT-1", "OPT-2", "OPT-3", "OPT-4", "OPT-5"])
        #expect(o5.gaps.map(\.id) == (1...8).map { "GAP-\($0)" })
        #expect(o5.macros.map(\.id) == ["O6", "O7", "O8"])
        #expect(o5.gate("SG_1")?.isSovereign == true && o5.gate("SG_2")?.isSovereign == true)
        // What the seed does not say is unknown, not invented.
        #expect(o5.gate("SG_1")?.title == nil)
        #expect(o5.gap("GAP-2")?.title == nil && o5.gap("GAP-2")?.status == .unknown)
        #expect(o5.policies.first?.option == "OPT-5")
    }
}
