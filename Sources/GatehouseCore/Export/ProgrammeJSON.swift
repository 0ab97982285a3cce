import Foundation

/// The JSON forms of `gatehouse matrix --format json` and `gatehouse gates --format json`.
///
/// Keys are snake_case and sorted, a fact the source does not state is left out, and the top-level
/// `format_version` changes only when a key is removed or changes meaning; see
/// `docs/json-output.md`.
public enum ProgrammeJSON {
    /// The version of the JSON shape.
    public static let formatVersion = 1

    /// The matrix document: programme, axes, options in `order`, the recommendation.
    public static func matrix(_ programme: Programme, order: MatrixOrder = .document) -> String {
        let summary = ComparativeSummary(programme, order: order)
        let combination = RecommendedCombination(programme)
        let document = MatrixDocument(
            formatVersion: formatVersion,
            programme: .init(programme),
            sortedBy: order.axisID,
            axes: programme.axes.map {
                .init(id: $0.id, name: $0.name, meaning: $0.meaning, summary: $0.summary.rawValue,
                      scale: $0.scale.isEmpty ? nil : $0.scale)
            },
            columns: summary.headings,
            options: order.sorted(programme.options, in: programme).map { option in
                .init(
                    id: option.id, title: option.title, label: option.label, what: option.what,
                    assessments: option.assessments.mapValues { .init(stars: $0.stars, word: $0.word, text: $0.text) },
                    verdict: option.verdict,
                    nextMacro: .init(answer: option.nextMacro.answer.rawValue, text: option.nextMacro.text),
                    gateLevel: option.gateLevel?.rawValue,
                    macro: programme.macro(containing: option.id)?.id)
            },
            recommendation: .init(
                result: combination.result.rawValue,
                resultLine: combination.resultLine,
                steps: combination.steps.map {
                    .init(order: $0.order.rawValue, macro: $0.macroID, options: $0.options, folded: $0.folded, remark: $0.remark)
                },
                policyRules: programme.policies.map {
                    .init(id: $0.id, option: $0.option, scope: $0.scope, rule: $0.rule)
                },
                highGates: combination.highGates,
                xhighGates: combination.xhighGates,
                lines: combination.lines(.unicode)))
        return encode(document)
    }

    /// The programme report (`gatehouse report --format json`): the gate board document, with
    /// the kill-switch's programme lines, the refused acts and the journal it was read from.
    public static func report(_ programme: Programme, board: GateBoard, journal: ProgrammeReport.JournalHead?) -> String {
        var document = gatesDocument(programme, board: board)
        document.killSwitch = LiveChecklist.programmeChecks(board).map {
            .init(kind: $0.kind, label: $0.label, met: $0.met, why: $0.why)
        }
        document.refusals = board.book.refusals.map {
            .init(sequence: $0.sequence, timeMs: $0.time, attempted: $0.refusal.attempted, subject: $0.refusal.subject,
                  by: $0.refusal.by, reason: $0.refusal.reason)
        }
        document.journal = journal.map { .init(address: $0.address, events: $0.sequence, head: $0.hash, chainIntact: $0.intact) }
        return encode(document)
    }

    /// The gate board document: gates with their live status, blockers, sign-offs (counted
    /// and stale) and evidence, gaps, macros, policies. Without a `board`, the file's own.
    public static func gates(_ programme: Programme, board given: GateBoard? = nil) -> String {
        encode(gatesDocument(programme, board: given ?? GateBoard(programme)))
    }

    private static func gatesDocument(_ programme: Programme, board: GateBoard) -> GatesDocument {
        GatesDocument(
            formatVersion: formatVersion,
            programme: .init(programme),
            gates: board.entries.map { entry in
                .init(
                    id: entry.gate.id, title: entry.gate.title, level: entry.gate.level?.rawValue,
                    recordedStatus: entry.gate.status.rawValue, status: entry.status.rawValue,
                    sovereign: entry.gate.isSovereign, covers: entry.gate.covers,
                    requires: entry.gate.requires.map(RequirementJSON.init),
                    blockers: entry.blockers.map { .init(requirement: $0.requirement.map(RequirementJSON.init) ?? .ruling, reason: $0.reason) },
                    note: entry.gate.note,
                    signaturesNeeded: entry.gate.isSovereign ? nil : entry.signaturesNeeded,
                    signOffs: entry.signOffs.map { SignOffJSON($0) },
                    stale: entry.stale.map { SignOffJSON($0.signOff, staleBecause: $0.why) },
                    readyToSign: entry.isReadyToSign,
                    evidence: entry.evidence, evidenceDigest: entry.evidenceDigest, ruling: entry.ruling)
            },
            gaps: programme.gaps.map { gap in
                let state = board.gap(gap.id)
                return .init(id: gap.id, title: gap.title, status: state.closed ? "closed" : (board.book.gaps[gap.id] != nil ? "open" : gap.status.rawValue),
                             recordedStatus: gap.status.rawValue, why: state.why, closedBy: gap.closedBy)
            },
            macros: board.macros.map { entry in
                .init(id: entry.macro.id, order: entry.macro.order.rawValue, level: entry.macro.level.rawValue,
                      options: entry.macro.options, folded: entry.macro.folded, remark: entry.macro.remark,
                      needs: entry.needs.map { .init(gate: $0.id, status: $0.status?.rawValue) }, clear: entry.isClear)
            },
            policyRules: programme.policies.map {
                .init(id: $0.id, option: $0.option, scope: $0.scope, rule: $0.rule)
            })
    }

    private static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: - Shapes

    private struct ProgrammeHeader: Encodable {
        var id: String, title: String, document: String?, part: String?, date: String?
        var gate: String, question: String, result: String

        init(_ programme: Programme) {
            id = programme.info.id
            title = programme.info.title
            document = programme.info.document
            part = programme.info.part
            date = programme.info.date
            gate = programme.analysis.gate
            question = programme.analysis.question
            result = programme.analysis.result.rawValue
        }

    }

    private struct MatrixDocument: Encodable {
        struct AxisJSON: Encodable { var id: String, name: String, meaning: String?, summary: String, scale: [String]? }
        struct AssessmentJSON: Encodable { var stars: Int?, word: String?, text: String }
        struct NextMacroJSON: Encodable { var answer: String, text: String }
        struct OptionJSON: Encodable {
            var id: String, title: String, label: String, what: String
            var assessments: [String: AssessmentJSON]
            var verdict: String
            var nextMacro: NextMacroJSON
            var gateLevel: String?
            var macro: String?
        }
        struct StepJSON: Encodable { var order: String, macro: String, options: [String], folded: [String], remark: String? }
        struct RecommendationJSON: Encodable {
            var result: String, resultLine: String
            var steps: [StepJSON]
            var policyRules: [PolicyJSON]
            var highGates: String?, xhighGates: String?
            var lines: [String]
        }
        var formatVersion: Int
        var programme: ProgrammeHeader
        var sortedBy: String?
        var axes: [AxisJSON]
        var columns: [String]
        var options: [OptionJSON]
        var recommendation: RecommendationJSON
    }

    private struct PolicyJSON: Encodable { var id: String, option: String, scope: String, rule: String }

    private struct RequirementJSON: Encodable {
        var kind: String, id: String?, condition: String?, met: Bool?, plan: String?, mode: String?

        /// An xhigh gate's ruling, which no requirement of the file names.
        static let ruling = RequirementJSON(kind: "ruling", id: nil, condition: nil, met: nil, plan: nil, mode: nil)

        init(kind: String, id: String?, condition: String?, met: Bool?, plan: String?, mode: String?) {
            self.kind = kind
            self.id = id
            self.condition = condition
            self.met = met
            self.plan = plan
            self.mode = mode
        }

        init(_ requirement: Requirement) {
            switch requirement {
            case .gate(let id): kind = "gate"; self.id = id
            case .gap(let id): kind = "gap"; self.id = id
            case .condition(let text, let met): kind = "condition"; condition = text; self.met = met
            case .runs(let plan, let mode): kind = "runs"; self.plan = plan; self.mode = mode.rawValue
            case .parity(let plan, let mode): kind = "parity"; self.plan = plan; self.mode = mode.rawValue
            }
        }
    }

    private struct SignOffJSON: Encodable {
        var by: String, provider: String, verdict: String, reason: String, sequence: Int64, timeMs: Int64, staleBecause: String?

        init(_ signOff: ProgrammeBook.Entry, staleBecause: String? = nil) {
            by = signOff.act.by
            provider = signOff.act.provider
            verdict = signOff.act.passes ? "pass" : "fail"
            reason = signOff.act.reason
            sequence = signOff.sequence
            timeMs = signOff.time
            self.staleBecause = staleBecause
        }
    }

    private struct GatesDocument: Encodable {
        struct BlockerJSON: Encodable { var requirement: RequirementJSON, reason: String }
        struct GateJSON: Encodable {
            var id: String, title: String?, level: String?, recordedStatus: String, status: String
            var sovereign: Bool, covers: [String], requires: [RequirementJSON], blockers: [BlockerJSON], note: String?
            var signaturesNeeded: Int?, signOffs: [SignOffJSON], stale: [SignOffJSON], readyToSign: Bool
            var evidence: [String], evidenceDigest: String, ruling: String?
        }
        struct GapJSON: Encodable { var id: String, title: String?, status: String, recordedStatus: String, why: String, closedBy: [String]? }
        struct NeedJSON: Encodable { var gate: String, status: String? }
        struct MacroJSON: Encodable {
            var id: String, order: String, level: String, options: [String], folded: [String], remark: String?
            var needs: [NeedJSON], clear: Bool
        }
        struct CheckJSON: Encodable { var kind: String, label: String, met: Bool, why: String }
        struct RefusalJSON: Encodable { var sequence: Int64, timeMs: Int64, attempted: String, subject: String, by: String, reason: String }
        struct JournalJSON: Encodable { var address: String, events: Int64, head: String, chainIntact: Bool }
        var formatVersion: Int
        var programme: ProgrammeHeader
        var gates: [GateJSON]
        var gaps: [GapJSON]
        var macros: [MacroJSON]
        var policyRules: [PolicyJSON]
        /// The report's only: the kill-switch's programme lines, the refused acts, the journal.
        var killSwitch: [CheckJSON]? = nil
        var refusals: [RefusalJSON]? = nil
        var journal: JournalJSON? = nil
    }
}
