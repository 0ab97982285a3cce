import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse log RUN [--follow]`: a run's events as lines, as they are journaled.
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a run's journal events, one per line; --follow keeps printing until the run ends.",
        discussion: """
            What the events hold (command output, reasons, names) is shown with every control \
            character and escape sequence made visible and inert, one line per event and one per \
            line of command output; --raw writes the recorded text as it is instead, for a file \
            or a pipe. --output writes only what the run's commands wrote, byte for byte as \
            journaled (each stream in order; the two streams interleaved a batch at a time), \
            so that `gatehouse log RUN --output --phase apply --stream stdout > apply.out` is \
            the file that phase's command would have written.
            """)

    @Argument(help: ArgumentHelp("The run's id or a unique prefix of it.", valueName: "run"))
    var runName: String

    @Flag(name: .shortAndLong, help: "Keep printing new events until the run ends (Ctrl-C to stop).")
    var follow = false

    @Flag(name: .long, help: "Write what was recorded byte for byte, escape sequences included (for a file or a pipe, not a terminal).")
    var raw = false

    @Flag(name: .long, help: "Write only what the run's commands wrote, byte for byte (for a file or a pipe).")
    var output = false

    @Option(name: .long, help: ArgumentHelp("With --output: only this phase's output.", valueName: "phase"))
    var phase: String?

    @Option(name: .long, help: ArgumentHelp("With --output: only this stream (stdout or stderr).", valueName: "stream"))
    var stream: String?

    @OptionGroup var journalOptions: JournalOptions

    func validate() throws {
        if !output && (phase != nil || stream != nil) {
            throw ValidationError("--phase and --stream pick what --output writes; add --output")
        }
        if let stream, stream != "stdout" && stream != "stderr" {
            throw ValidationError("--stream is stdout or stderr, not '\(stream)'")
        }
    }

    func run() throws {
        let store = try journalOptions.openStore()
        let id = try reportingErrors { try store.resolve(runName).id }
        if (raw || output) && isatty(STDOUT_FILENO) == 1 {
            printError("gatehouse: \(output ? "--output" : "--raw") writes recorded escape sequences to this terminal as they are; they may drive it")
        }
        var seen: Int64 = 0
        var lines = OutputLines()
        while true {
            // The head first: a PostgreSQL journal knows it from notifications, without a query.
            let events = try reportingErrors { try store.journal.headSequence() > seen ? try store.journal.events(after: seen) : [] }
            for event in events {
                seen = event.sequence
                guard event.runID == id else { continue }
                if output {
                    writeOutput(of: event)
                } else if raw {
                    for line in Self.lines(event, output: &lines) { writeRaw(line + "\n") }
                } else {
                    for line in Self.lines(event, output: &lines, shown: TerminalText.inertLine) { write(line + "\n") }
                }
            }
            try reportingErrors { if try store.hasNewEvents() { try store.refresh() } }
            guard follow, store.ledger[id]?.isEnded == false else { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// The bytes of an output event, if it is one that `--phase` and `--stream` keep.
    private func writeOutput(of event: JournalEvent) {
        guard let batch = OutputBatch(event), phase.map({ $0 == batch.phase }) ?? true, stream.map({ $0 == batch.stream }) ?? true else { return }
        CommandOutput.current.bytes(batch.bytes)
    }

    /// An event as lines: one for most, one per line of command output that an output batch
    /// ends (`output` carries the lines batches leave open to the next batch of their stream).
    static func lines(_ event: JournalEvent, output: inout OutputLines, shown: (String) -> String = { $0 }) -> [String] {
        guard let batch = OutputBatch(event) else {
            return [line(event, shown: shown)]
        }
        let prefix = "\(event.sequence)  \(formatTime(event.timeMilliseconds))  \(shown(event.actor))  \(shown(event.kind))  "
        let marker = batch.stream == "stderr" ? "! " : "| "
        var lines: [String] = []
        output.add(batch) { lines.append(prefix + shown("\(batch.phase) \(marker)\(OutputLineSplitter.text($0))")) }
        return lines
    }

    /// One event as a line: sequence, time, actor, kind and what it says, each field as
    /// `shown` makes it (as recorded, by default).
    static func line(_ event: JournalEvent, shown: (String) -> String = { $0 }) -> String {
        let payload = (try? JSONValue.parse(event.payload)) ?? .null
        let text: String
        switch RunEvent(kind: event.kind, payload: payload) {
        case .started(let start)?: text = "\(start.mode.label) \(start.plan.id)\(start.document.map { " of \($0)" } ?? "")"
        case .phaseStarted(let phase)?: text = phase
        case .phaseCompleted(let phase, let facts)?:
            text = phase + (facts.isEmpty ? "" : " " + JSONValue.object(facts.json).canonical)
        case .phaseFailed(let phase, let reason)?, .phaseSkipped(let phase, let reason)?: text = "\(phase): \(reason)"
        case .phaseProgress(let phase, let done, let total)?: text = "\(phase) \(done)/\(total)"
        case .gateApproved(let decision)?, .gateRejected(let decision)?:
            text = "\(decision.gate) by \(decision.by) (\(decision.provider))\(decision.reason.isEmpty ? "" : ": \(decision.reason)")"
        case .killSwitchEnabled(let enable)?: text = "by \(enable.by) (\(enable.provider))"
        case .killSwitchDisabled(let by, let reason)?, .aborted(let by, let reason)?: text = "by \(by): \(reason)"
        case .runnerLost(let reason)?, .runnerStopped(let reason)?: text = reason
        case .resumed(let by)?: text = "by \(by)"
        case .closed?: text = ""
        case .refused(let attempted, let refusal)?: text = "\(attempted): \(refusal.message)"
        case .log(let phase, let stream, let line)?: text = "\(phase) \(stream == "stderr" ? "! " : "| ")\(line)"
        case .output(let batch)?: text = "\(batch.phase) \(batch.stream): \(batch.bytes.count) bytes at \(batch.offset)"
        case .targetRestored(let restore)?:
            text = "\(restore.backup) by \(restore.by) (\(restore.decision?.provider ?? "unsigned"))\(restore.contentSHA256.map { ": content SHA-256 now \($0)" } ?? "")"
        case .phaseReverted(let phase, let by, let succeeded, let detail)?: text = "\(phase) by \(by)\(succeeded ? "" : " FAILED"): \(detail)"
        case .resumeNoOp(let check)?: text = "by \(check.by): \(check.summary)"
        case .parityChecked(let check)?: text = "by \(check.by): \(check.summary)"
        case .restoreDrilled(let drill)?: text = "\(drill.backup) by \(drill.by): \(drill.summary)"
        case nil: text = event.payload
        }
        return "\(event.sequence)  \(formatTime(event.timeMilliseconds))  \(shown(event.actor))  \(shown(event.kind))  \(shown(text))"
    }
}
