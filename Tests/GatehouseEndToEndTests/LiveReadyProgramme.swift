import Foundation
import GatehouseCore
import GatehouseEngine

/// The O5 programme on the day of the flip: every gap closed, GATE-O6 and GATE-O7 passed, and
/// a ruling recorded for GATE-O8, so that its LIVE checklist is all met. Derived from the
/// embedded programme so that it follows every change to it.
enum LiveReadyProgramme {
    static let text: String = {
        var text = EmbeddedProgramme.o5.replacingOccurrences(of: "    status: open\n", with: "    status: closed\n")
        for gate in ["GATE-O6", "GATE-O7"] {
            let declaration = text.range(of: "  - id: \(gate)\n")!
            let status = text.range(of: "    status: pending\n", range: declaration.upperBound..<text.endIndex)!
            text.replaceSubrange(status, with: "    status: pass\n")
        }
        text += """

            rulings:
              - gate: GATE-O8
                by: architecture board
                date: 2026-11-20
                text: the first live production cut may proceed on a non-signature-critical document

            """
        guard case .success(let programme) = ProgrammeLoader.parse(text, fileName: "live-ready.yaml") else {
            preconditionFailure("the live-ready programme does not load")
        }
        let unmet = LiveChecklist.programmeChecks(programme).filter { !$0.met }
        precondition(unmet.isEmpty && !LiveChecklist.programmeChecks(programme).isEmpty, "live-ready programme still has \(unmet)")
        return text
    }()

    /// The programme with `sovereigns` (a whole `sovereigns:` section) in place of its own.
    static func withSovereigns(_ sovereigns: String) -> String {
        guard let start = text.range(of: "sovereigns:\n"), let end = text.range(of: "approvals:\n") else {
            preconditionFailure("the live-ready programme has no sovereigns section before its approvals")
        }
        return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: sovereigns)
    }

    /// Writes the programme into `directory` and returns its path.
    static func write(into directory: String) throws -> String {
        let path = directory + "/live-ready.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
