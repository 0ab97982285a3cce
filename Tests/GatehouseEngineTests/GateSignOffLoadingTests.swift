import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// What a gate's sign-off rests on, as a programme file states it: `signatures:` and the
/// `runs:` requirement.
struct GateSignOffLoadingTests {
    private func load(_ text: String) -> Result<Programme, SourceErrors> {
        ProgrammeLoader.parse(text, fileName: "p.yaml")
    }

    /// The embedded O5 file with `old` replaced by `new`.
    private func o5(replacing old: String, with new: String) -> String {
        precondition(EmbeddedProgramme.o5.contains(old), "the O5 file has no '\(old)'")
        return EmbeddedProgramme.o5.replacingOccurrences(of: old, with: new)
    }

    @Test func gateO7NeedsADryRunAtParityAndTheXhighGatesTwoSignatures() throws {
        let programme = ProgrammeLoader.embedded()
        #expect(programme.gate("GATE-O7")?.requires.contains(.parity(plan: "production-cut", mode: .dryRun)) == true)
        #expect(programme.gate("GATE-O6")?.signaturesNeeded == 1)
        #expect(programme.gate("GATE-O8")?.signaturesNeeded == 2 && programme.gate("GATE-O8")?.needsRuling == true)
    }

    @Test func signaturesOverrideTheLevel() throws {
        let text = o5(replacing: "    covers: [OPT-1, OPT-2]\n", with: "    covers: [OPT-1, OPT-2]\n    signatures: 3\n")
        #expect(try load(text).get().gate("GATE-O6")?.signaturesNeeded == 3)
    }

    @Test func aSignatureCountOutOfRangeIsAnError() {
        let text = o5(replacing: "    covers: [OPT-1, OPT-2]\n", with: "    covers: [OPT-1, OPT-2]\n    signatures: 0\n")
        guard case .failure(let errors) = load(text) else { Issue.record("loaded"); return }
        #expect(errors.description.contains("'signatures' of gate 'GATE-O6'"), "\(errors)")
    }

    @Test(arguments: ["runs", "parity"])
    func aRunsOrParityRequirementNamesAPlanTheProgrammeHas(kind: String) {
        // GATE-O7 asks for parity; the runs form is checked there too.
        let original = "parity: {plan: production-cut, mode: dryrun}"
        let text = o5(replacing: original, with: "\(kind): {plan: nightly, mode: dryrun}")
        guard case .failure(let errors) = load(text) else { Issue.record("loaded"); return }
        #expect(errors.description.contains("names plan 'nightly', which is not declared"), "\(errors)")
        let badMode = o5(replacing: original, with: "\(kind): {plan: production-cut, mode: sometimes}")
        guard case .failure(let modeErrors) = load(badMode) else { Issue.record("loaded"); return }
        #expect(modeErrors.description.contains(kind == "runs" ? "the mode of the runs" : "the mode of the runs whose parity"), "\(modeErrors)")
    }

    @Test func aRequirementWithTwoKindsNamesEveryKind() {
        let text = o5(replacing: "parity: {plan: production-cut, mode: dryrun}",
                      with: "{parity: {plan: production-cut, mode: dryrun}, gap: GAP-1}")
        guard case .failure(let errors) = load(text) else { Issue.record("loaded"); return }
        #expect(errors.description.contains("exactly one of 'gate', 'gap', 'condition', 'runs' or 'parity', found 2"), "\(errors)")
    }
}
