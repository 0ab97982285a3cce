import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres

/// `gatehouse status [RUN]`: the runs in the journal, or one run in detail.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the runs, or show one run: phases, facts, decisions, refusals, the kill-switch.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: ArgumentHelp("A run's id or a unique prefix of it.", valueName: "run"))
    var runName: String?

    @Option(name: .long, help: "text or json.")
    var format: Format = .text

    @OptionGroup var journalOptions: JournalOptions

    func run() throws {
        let store = try journalOptions.openStore()
        let ledger = store.ledger
        if let runName {
            let state = try reportingErrors { try store.resolve(runName) }
            write(format == .json ? StatusJSON.run(state, ledger: ledger).canonical + "\n" : detail(state, ledger: ledger))
        } else {
            write(format == .json ? StatusJSON.ledger(ledger).canonical + "\n" : Self.list(ledger))
        }
    }

    /// What `gatehouse status` prints for the journal at `path`, or why it cannot (no journal,
    /// or one it cannot read): the dashboard's fallback where the terminal cannot draw it.
    /// Reads only; creates nothing.
    static func listing(journalPath path: String) -> String {
        do {
            let address = try JournalAddress(parsing: path)
            guard let journal = try address.openForReading() else { return "\(JournalAddressError.noJournal(address))\n" }
            return list(try RunStore(journal: journal).ledger)
        } catch {
            return "cannot read the journal \(path): \(error)\n"
        }
    }

    /// The run list: the kill-switch, then one line per run, newest first.
    static func list(_ ledger: RunLedger) -> String {
        var out = "kill-switch: " + (ledger.killSwitchHolder.map { "ON for run \($0)" } ?? "OFF") + "\n"
        let runs = ledger.newestFirst
        if runs.isEmpty { return out + "no runs yet (start one with `gatehouse run --dry-run`)\n" }
        let rows = runs.map { state in
            [state.id, state.mode.label, state.start.plan.id, state.start.document ?? "-", state.situation, formatTime(state.startedAt)]
        }
        out += table(["RUN", "MODE", "PLAN", "DOCUMENT", "STATUS", "STARTED (UTC)"], rows)
        if !ledger.anomalies.isEmpty {
            out += "WARNING: \(ledger.anomalies.count) journaled event(s) were not accepted by the state machine (first: event \(ledger.anomalies[0].sequence): \(ledger.anomalies[0].reason)); run `gatehouse verify`\n"
        }
        return out
    }

    /// The facts a run's detail lists, in this order.
    private static let shownFacts: [RunFacts.Field] = [
        .preCounts, .preStateSHA, .candidates, .candidatesDigest, .backupPath, .backupSHA256,
        .inserted, .wouldInsert, .alreadyAppliedBy, .postCounts, .postStateSHA, .closeoutSignature,
    ]

    private static func table(_ headings: [String], _ rows: [[String]]) -> String {
        TextTable.lines(headings: headings, rows: rows, rule: "-").joined(separator: "\n") + "\n"
    }

    private func detail(_ state: RunState, ledger: RunLedger) -> String {
        var out = "run \(state.id)  \(state.mode.label)  plan \(state.start.plan.id)  operator \(state.start.operatorName)\n"
        out += "status: \(state.situation)\(state.outcome.map { " — \($0.summary)" } ?? "")\n"
        out += "kill-switch: \(state.switchOn ? "ON for this run" : "off")\n"
        if let document = state.start.document { out += "document: \(document)\n" }
        if let target = state.start.target { out += "target: \(target)\n" }
        out += "\n"
        let rows = state.phases.enumerated().map { index, record in
            [String(index + 1), record.phase.id, record.status.rawValue,
             record.startedAt.map(formatTime) ?? "", record.duration.map(formatDuration) ?? "", record.note ?? ""]
        }
        out += Self.table(["#", "PHASE", "STATE", "STARTED (UTC)", "TOOK", "NOTE"], rows)
        let known = state.facts.values(of: Self.shownFacts)
        if !known.isEmpty {
            out += "\nfacts:\n"
            for (key, value) in known { out += "  \(key): \(value.stringValue ?? value.canonical)\n" }
        }
        if !state.decisions.isEmpty {
            out += "\ndecisions:\n"
            for decision in state.decisions {
                out += "  \(decision.decision.gate) \(decision.approved ? "approved" : "rejected") by \(decision.decision.by) at \(formatTime(decision.time)) (event \(decision.sequence), \(decision.decision.provider)\(decision.decision.provider == StubSigning.providerName ? ", INSECURE" : ""))\n"
            }
        }
        if !state.refusals.isEmpty {
            out += "\nrefused:\n"
            for refusal in state.refusals {
                out += "  event \(refusal.sequence) \(refusal.attempted) by \(refusal.actor): \(refusal.message)\n"
            }
        }
        return out
    }
}

/// The JSON form of `gatehouse status` (see docs/json-output.md).
enum StatusJSON {
    static func ledger(_ ledger: RunLedger) -> JSONValue {
        .object([
            "format_version": .int(1),
            "kill_switch": .object(["on": .bool(ledger.killSwitchHolder != nil),
                                    "run": ledger.killSwitchHolder.map(JSONValue.string) ?? .null]),
            "runs": .array(ledger.newestFirst.map { summary($0) }),
            "anomalies": .int(Int64(ledger.anomalies.count)),
        ])
    }

    static func summary(_ state: RunState) -> JSONValue {
        .object([
            "id": .string(state.id), "mode": .string(state.mode.rawValue), "plan": .string(state.start.plan.id),
            "document": state.start.document.map(JSONValue.string) ?? .null, "status": .string(state.situation),
            "outcome": state.outcome.map { .string($0.word) } ?? .null, "started_ms": .int(state.startedAt),
            "kill_switch": .bool(state.switchOn),
        ])
    }

    static func run(_ state: RunState, ledger: RunLedger) -> JSONValue {
        guard case .object(var members) = summary(state) else { return .null }
        members["format_version"] = .int(1)
        members["operator"] = .string(state.start.operatorName)
        members["phases"] = .array(state.phases.map { record in
            .object([
                "id": .string(record.phase.id), "title": .string(record.phase.title),
                "state": .string(record.status.rawValue), "mutates": .bool(record.phase.mutates),
                "started_ms": record.startedAt.map(JSONValue.int) ?? .null,
                "ended_ms": record.endedAt.map(JSONValue.int) ?? .null,
                "attempts": .int(Int64(record.attempts)), "note": record.note.map(JSONValue.string) ?? .null,
            ])
        })
        members["facts"] = .object(state.facts.json)
        members["decisions"] = .array(state.decisions.map {
            .object(["gate": .string($0.decision.gate), "approved": .bool($0.approved), "by": .string($0.decision.by),
                     "reason": .string($0.decision.reason), "provider": .string($0.decision.provider),
                     "sequence": .int($0.sequence)])
        })
        members["refusals"] = .array(state.refusals.map {
            .object(["attempted": .string($0.attempted), "code": .string($0.code), "message": .string($0.message),
                     "actor": .string($0.actor), "sequence": .int($0.sequence)])
        })
        return .object(members)
    }
}
