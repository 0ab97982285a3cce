import Foundation
import GatehouseCore
import GatehouseTestSupport
import GRDB

/// The ways a trial edits a journal's events, working on the SQLite file directly as someone
/// holding the file (not the journal's API) would.
enum Tamper: String, CaseIterable, Sendable {
    case payloadByte = "payload byte"
    case storedHash = "stored hash"
    case otherField = "other field"
    case wrongType = "wrong type"
    case deletedRow = "deleted row"
    case swappedRows = "swapped rows"
    case insertedRow = "inserted row"
    case lastRowEdited = "last row edited"
    case cutEnd = "cut end"
    case renumberedRow = "renumbered row"
}

/// One edit of one journal: what it does, the SQL that does it, and the first sequence number
/// it affects — the one `verify` must name.
struct TamperTrial {
    var tamper: Tamper
    /// The edit in words, such as `event 12: payload byte 7 XOR 0x41`.
    var edit: String
    var expected: Int64
    var statements: [(sql: String, arguments: StatementArguments)] = []

    /// Applies the edit to the journal file at `path`, in one transaction.
    func apply(to path: String) throws {
        // The copy is thrown away after the trial: no need to wait for the disk.
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in
            for statement in statements { try db.execute(sql: statement.sql, arguments: statement.arguments) }
        }
        try queue.close()
    }
}

/// Makes trial `index` of a run seeded with `seed` against a journal whose events are `events`.
///
/// Tampers take turns, so each gets an equal share of the trials; the rest (which event,
/// which byte, which variant) comes from ``SplitMix64``, so a trial is a function of the seed
/// and its index and runs again alone.
struct JournalTamperer {
    let events: [JournalEvent]

    func trial(_ index: Int, seed: UInt64) -> TamperTrial {
        var rng = SplitMix64(seed: seed, case: index)
        let tamper = Tamper.allCases[index % Tamper.allCases.count]
        return make(tamper, rng: &rng)
    }

    private var count: Int64 { Int64(events.count) }

    private func event(_ sequence: Int64) -> JournalEvent { events[Int(sequence) - 1] }

    private func randomSequence(_ rng: inout SplitMix64) -> Int64 { Int64.random(in: 1...count, using: &rng) }

    func make(_ tamper: Tamper, rng: inout SplitMix64) -> TamperTrial {
        switch tamper {
        case .payloadByte:
            return payloadByte(at: randomSequence(&rng), rng: &rng)
        case .storedHash:
            return storedHash(at: randomSequence(&rng), rng: &rng)
        case .otherField:
            return otherField(at: randomSequence(&rng), rng: &rng)
        case .wrongType:
            return wrongType(at: randomSequence(&rng), rng: &rng)
        case .deletedRow:
            let sequence = randomSequence(&rng)
            var trial = TamperTrial(tamper: tamper, edit: "deleted event \(sequence)", expected: sequence)
            trial.statements.append(("DELETE FROM event WHERE sequence = ?", [sequence]))
            if sequence < count, rng.oneIn(2) {
                // Close the gap, as someone hiding the deletion would.
                trial.edit += ", the \(count - sequence) after it renumbered down"
                trial.statements += Self.shift(from: sequence + 1, by: -1)
            }
            return trial
        case .swappedRows:
            let first = Int64.random(in: 1...(count - 1), using: &rng)
            let second = rng.oneIn(2) ? first + 1 : Int64.random(in: (first + 1)...count, using: &rng)
            var trial = TamperTrial(tamper: tamper, edit: "events \(first) and \(second) swapped their contents", expected: first)
            // The hash column is unique in journals made before 2026-11-30: park one while the other moves.
            trial.statements.append(("UPDATE event SET hash = 'parked' WHERE sequence = ?", [second]))
            trial.statements.append(Self.overwrite(first, with: event(second)))
            trial.statements.append(Self.overwrite(second, with: event(first)))
            return trial
        case .insertedRow:
            return insertedRow(at: Int64.random(in: 1...(count + 1), using: &rng), rng: &rng)
        case .lastRowEdited:
            var trial: TamperTrial
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: trial = payloadByte(at: count, rng: &rng)
            case 1: trial = storedHash(at: count, rng: &rng)
            case 2: trial = otherField(at: count, rng: &rng)
            default:
                // Rewritten with a hash that matches, as the journal would have written it:
                // the links cannot tell, the recorded head can.
                var rewritten = event(count)
                rewritten.actor = "mallory"
                rewritten.hash = rewritten.computedHash
                trial = TamperTrial(tamper: .lastRowEdited, edit: "event \(count): actor set to mallory, hash recomputed", expected: count)
                trial.statements.append(Self.overwrite(count, with: rewritten))
            }
            trial.tamper = .lastRowEdited
            return trial
        case .cutEnd:
            let removed = Int64(rng.logUniform(1...events.count))
            var trial = TamperTrial(tamper: tamper, edit: "the last \(removed) event(s) deleted", expected: count - removed + 1)
            trial.statements.append(("DELETE FROM event WHERE sequence > ?", [count - removed]))
            return trial
        case .renumberedRow:
            let sequence = randomSequence(&rng)
            let number = count + Int64.random(in: 2...1000, using: &rng)
            var trial = TamperTrial(tamper: tamper, edit: "event \(sequence) renumbered \(number)", expected: sequence)
            trial.statements.append(("UPDATE event SET sequence = ? WHERE sequence = ?", [number, sequence]))
            return trial
        }
    }

    private func payloadByte(at sequence: Int64, rng: inout SplitMix64) -> TamperTrial {
        var bytes = Array(event(sequence).payload.utf8)
        let position = Int.random(in: bytes.indices, using: &rng)
        let mask = UInt8.random(in: 1...255, using: &rng)
        bytes[position] ^= mask
        // Stored as text even where the bytes are no longer UTF-8, as a hex editor would leave them.
        var trial = TamperTrial(tamper: .payloadByte, edit: "event \(sequence): payload byte \(position) XOR 0x\(String(mask, radix: 16))",
                                expected: sequence)
        trial.statements.append(("UPDATE event SET payload = CAST(? AS TEXT) WHERE sequence = ?", [Data(bytes), sequence]))
        return trial
    }

    private func storedHash(at sequence: Int64, rng: inout SplitMix64) -> TamperTrial {
        let column = rng.oneIn(2) ? "hash" : "previous_hash"
        var digits = Array(column == "hash" ? event(sequence).hash : event(sequence).previousHash)
        let position = Int.random(in: digits.indices, using: &rng)
        digits[position] = Array("0123456789abcdef").filter { $0 != digits[position] }.randomElement(using: &rng)!
        var trial = TamperTrial(tamper: .storedHash, edit: "event \(sequence): \(column) digit \(position) changed", expected: sequence)
        trial.statements.append(("UPDATE event SET \(column) = ? WHERE sequence = ?", [String(digits), sequence]))
        return trial
    }

    private func otherField(at sequence: Int64, rng: inout SplitMix64) -> TamperTrial {
        let original = event(sequence)
        var trial = TamperTrial(tamper: .otherField, edit: "", expected: sequence)
        let column = ["time_ms", "run", "kind", "actor"].randomElement(using: &rng)!
        if column == "time_ms" {
            let delta = Int64.random(in: 1...1_000_000, using: &rng) * (rng.oneIn(2) ? 1 : -1)
            trial.edit = "event \(sequence): time_ms \(delta > 0 ? "+" : "")\(delta)"
            trial.statements.append(("UPDATE event SET time_ms = time_ms + ? WHERE sequence = ?", [delta, sequence]))
        } else {
            let value = column == "run" ? original.runID : column == "kind" ? original.kind : original.actor
            var characters = Array(value)
            let replacement = Character(Unicode.Scalar(UInt8.random(in: 0x21...0x7E, using: &rng)))
            if let position = characters.indices.randomElement(using: &rng), characters[position] != replacement {
                characters[position] = replacement
            } else {
                characters.append(replacement)
            }
            trial.edit = "event \(sequence): \(column) \(value.debugDescription) -> \(String(characters).debugDescription)"
            trial.statements.append(("UPDATE event SET \(column) = ? WHERE sequence = ?", [String(characters), sequence]))
        }
        return trial
    }

    private func wrongType(at sequence: Int64, rng: inout SplitMix64) -> TamperTrial {
        let original = event(sequence)
        let column = ["time_ms", "run", "kind", "actor", "payload", "previous_hash", "hash"].randomElement(using: &rng)!
        let value: any DatabaseValueConvertible
        let what: String
        if column == "time_ms" {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: (value, what) = ("\(original.timeMilliseconds)ms", "text")
            case 1: (value, what) = (Double(original.timeMilliseconds) + 0.5, "a real number")
            default: (value, what) = (Data(String(original.timeMilliseconds).utf8), "a blob")
            }
        } else {
            // A TEXT column turns numbers into text; only a blob keeps its type.
            let bytes = (0..<rng.logUniform(1...64)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            (value, what) = (Data(bytes), "a blob of \(bytes.count) random bytes")
        }
        var trial = TamperTrial(tamper: .wrongType, edit: "event \(sequence): \(column) set to \(what)", expected: sequence)
        trial.statements.append(("UPDATE event SET \(column) = ? WHERE sequence = ?", [value, sequence]))
        return trial
    }

    private func insertedRow(at sequence: Int64, rng: inout SplitMix64) -> TamperTrial {
        let model = event(Int64.random(in: 1...count, using: &rng))
        let previousHash = sequence == 1 ? JournalEvent.genesisHash : event(sequence - 1).hash
        var inserted = JournalEvent(sequence: sequence, timeMilliseconds: model.timeMilliseconds, runID: model.runID,
                                    kind: model.kind, actor: "mallory", payload: model.payload, previousHash: previousHash,
                                    hash: "")
        var trial = TamperTrial(tamper: .insertedRow, edit: "", expected: sequence)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            // Hashed by the journal's own rules: it fits where it stands, so the first event that
            // does not is the one after it (whose link now points past it), or, at the end, the
            // journal's recorded head.
            inserted.hash = inserted.computedHash
            trial.edit = "a \(model.kind) event inserted as event \(sequence), hashed by the journal's rules"
            if sequence <= count { trial.expected = sequence + 1 }
        case 1:
            inserted.actor = model.actor
            inserted.previousHash = model.previousHash
            inserted.hash = sha256Hex("replayed \(model.hash)")
            trial.edit = "a copy of event \(model.sequence) inserted as event \(sequence) (a hash of its own, as older journals keep the column unique)"
        default:
            inserted.hash = sha256Hex("made up \(sequence)")
            trial.edit = "a made-up \(model.kind) event inserted as event \(sequence)"
        }
        trial.statements += Self.shift(from: sequence, by: 1)
        trial.statements.append(("INSERT INTO event (sequence, time_ms, run, kind, actor, payload, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 [inserted.sequence, inserted.timeMilliseconds, inserted.runID, inserted.kind, inserted.actor,
                                  inserted.payload, inserted.previousHash, inserted.hash]))
        return trial
    }

    /// Moves events `from` and after by `offset`, in two steps so no number is taken twice.
    private static func shift(from sequence: Int64, by offset: Int64) -> [(sql: String, arguments: StatementArguments)] {
        let park: Int64 = 1_000_000_000
        return [("UPDATE event SET sequence = sequence + ? WHERE sequence >= ?", [park, sequence]),
                ("UPDATE event SET sequence = sequence - ? WHERE sequence >= ?", [park - offset, park])]
    }

    /// Gives event `sequence` every field of `event` but its number.
    private static func overwrite(_ sequence: Int64, with event: JournalEvent) -> (sql: String, arguments: StatementArguments) {
        ("UPDATE event SET time_ms = ?, run = ?, kind = ?, actor = ?, payload = ?, previous_hash = ?, hash = ? WHERE sequence = ?",
         [event.timeMilliseconds, event.runID, event.kind, event.actor, event.payload, event.previousHash, event.hash, sequence])
    }
}
