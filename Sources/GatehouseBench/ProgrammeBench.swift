import Foundation
import GatehouseCore
import GatehouseEngine

/// The programme ledger: a journal of 100,000 programme acts folded from disk, the gate board
/// made from the folded ledger (what every frame of the Gates tab does), and the bytes each
/// frame of the sign-off flow sends to an 80x24 terminal.
public struct ProgrammeBench {
    public var gatehouse: String
    public var quick: Bool
    /// How many programme events the journal holds.
    public var events: Int

    public init(gatehouse: String, quick: Bool) {
        self.gatehouse = gatehouse
        self.quick = quick
        events = quick ? 5_000 : 100_000
    }

    /// A journal at `path` with the embedded programme's charter and `events` acts, each valid
    /// where it stands: gaps GAP-3..8 closed and reopened in turn, and, every hundredth act,
    /// GATE-O6 signed off (fail, then pass, by the two sovereigns in turn) once its condition
    /// is met.
    func writeJournal(at path: String) throws {
        let programme = ProgrammeLoader.embedded()
        let charter = ProgrammeCharter(programme)
        let journal = try SQLiteJournal(path: path)
        var ledger = RunLedger()
        var sequence: Int64 = 1
        var pending: [JournalEntry] = []
        func add(_ event: ProgrammeEvent, actor: String) throws {
            if let refusal = ledger.apply(event, sequence: sequence, time: sequence) {
                throw BenchError("the bench's programme act \(sequence) was refused: \(refusal)")
            }
            pending.append(JournalEntry(runID: "", kind: event.kind, actor: actor, payload: event.payload))
            sequence += 1
            if pending.count == 1000 {
                let batch = pending
                _ = try journal.append(after: .max) { _ in batch }
                pending.removeAll(keepingCapacity: true)
            }
        }
        func signed(_ statement: [String: JSONValue]) -> ProgrammeEvent {
            .act(ProgrammeAct(statement: statement, provider: StubSigning.providerName, signature: StubSigning.sign(statement)))
        }
        try add(.pinned(charter), actor: "bench")
        try add(signed(ProgrammeStatement.conditionMet("a deploy command-review package", of: "GATE-O6", charter: charter,
                                                       evidence: "bench", by: "demo", signedAt: 0, nonce: "c")), actor: "demo")
        var index = 0
        while Int(sequence) <= events {
            index += 1
            let signer = index % 2 == 0 ? "demo" : "demo2"
            if index % 100 == 0 {
                let entry = ledger.programme.board(charter).entry("GATE-O6")!
                try add(signed(ProgrammeStatement.signOff(entry, charter: charter, pass: index % 200 == 0, reason: "bench \(index)",
                                                          by: signer, signedAt: 0, nonce: "s\(index)")), actor: signer)
                continue
            }
            let gap = "GAP-\(3 + index % 6)"
            let statement = GateBoard(charter: charter, book: ledger.programme.book(of: charter.programme), closedRuns: [:]).gap(gap).closed
                ? ProgrammeStatement.reopenGap(gap, charter: charter, reason: "bench \(index)", by: signer, signedAt: 0, nonce: "r\(index)")
                : ProgrammeStatement.closeGap(gap, charter: charter, run: nil, evidence: "bench \(index)", reference: nil, by: signer,
                                              signedAt: 0, nonce: "g\(index)")
            try add(signed(statement), actor: signer)
        }
        if !pending.isEmpty {
            let batch = pending
            _ = try journal.append(after: .max) { _ in batch }
        }
    }

    /// Milliseconds to open the journal and fold every event (each act checked again, its
    /// stub signature recomputed), and to make the gate board from the folded ledger (medians).
    public func fold() throws -> (replay: Double, board: Double) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("programme-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/journal.sqlite"
        try writeJournal(at: path)
        // To profile the fold alone (`perf record gatehouse verify --journal FILE`): keep a copy.
        if let keep = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_KEEP_PROGRAMME_JOURNAL"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: path, toPath: keep)
        }
        let charter = ProgrammeCharter(ProgrammeLoader.embedded())
        var store: RunStore?
        let replay = try Statistics.median((0..<3).map { _ in
            let start = Monotonic.now()
            store = try RunStore(journal: SQLiteJournal(readingOnly: path))
            return (Monotonic.now() - start) * 1000
        })
        guard let ledger = store?.ledger, ledger.anomalies.isEmpty, ledger.sequence == Int64(events) else {
            throw BenchError("the programme journal did not fold cleanly: \(store?.ledger.anomalies.first.map { "\($0.reason)" } ?? "no store")")
        }
        let board = Statistics.median((0..<50).map { _ in
            let start = Monotonic.now()
            let made = ledger.programme.board(charter)
            precondition(made.entries.count == charter.gates.count)
            return (Monotonic.now() - start) * 1000
        })
        return (replay, board)
    }

    /// The bytes each frame sends at 80x24 as a sovereign signs GATE-O6 off at the Gates tab:
    /// the largest frame of the flow itself (`a`, each character of the phrase, Enter and the
    /// result), and the two page changes around it (the review panel opening on the board, and
    /// the board again after Esc), which redraw most of the screen as a tab switch does.
    public func signOffFrames() throws -> (flow: Double, frames: Int, review: Double, back: Double) {
        let sandbox = try BenchSandbox()
        let store = sandbox.store
        let programme = ProgrammeLoader.embedded()
        try ProgrammeActs(store: store, programme: programme)
            .conditionMet(gate: "GATE-O6", condition: nil, evidence: "bench", as: "demo", keyFile: nil)
        let terminal = try PseudoTerminal([gatehouse, "--as", "demo"], environment: sandbox.environment(), width: 80, height: 24)
        defer { terminal.stop() }
        guard terminal.read(until: 10, { $0.contains("quit") }) != nil else {
            throw BenchError("the dashboard drew no frame within 10 s")
        }
        terminal.readUntilQuiet(0.3)
        let phrase = ProgrammeStatement.phrase(for: try ProgrammeActs(store: store, programme: programme).board().entry("GATE-O6")!, pass: true)
        var sizes: [Double] = []
        func key(_ text: String) {
            terminal.clear()
            terminal.type(text)
            _ = terminal.read(until: 2) { !$0.output.isEmpty }
            terminal.readUntilQuiet(0.15)
            sizes.append(Double(terminal.output.count))
        }
        for text in ["2", "j", "\r", "a"] { key(text) }
        for character in phrase { key(String(character)) }
        key("\r")
        _ = try store.refresh()
        guard store.ledger.programme.book(of: "O5").latestSignOffs["GATE-O6"] != nil else {
            throw BenchError("the sign-off was not recorded; the screen ended with: \(String(decoding: terminal.output.suffix(300), as: UTF8.self))")
        }
        key("\u{1B}")
        if ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_FRAMES"] != nil { FileHandle.standardError.write(Data("frames: \(sizes)\n".utf8)) }
        // 0: the tab, 1: the cursor, 2: the review, 3...: a, the phrase, Enter; last: Esc.
        let flow = sizes[3..<(sizes.count - 1)]
        return (flow.max() ?? .nan, flow.count, sizes[2], sizes[sizes.count - 1])
    }
}
