import Crypto
import Foundation

/// The fold of a journal up to one of its events, kept beside the journal so that opening it
/// folds only the events after: bound to the chain by that event's sequence number and hash,
/// and sealed by a SHA-256 over both and the fold's bytes.
///
/// A checkpoint is trusted for no more than it proves. An opening uses the newest one whose
/// seal holds and whose event is the journal's event at that number, and ignores the others;
/// `gatehouse verify` folds the journal from its first event and compares every checkpoint
/// with the fold at its event, so one edited and sealed again is found there.
public struct LedgerCheckpoint: Sendable, Equatable {
    /// The encoding of ``state`` this version writes and reads.
    public static let currentFormat: Int64 = 1

    /// The sequence number of the last event folded in.
    public var sequence: Int64
    /// That event's hash.
    public var eventHash: String
    /// How ``state`` is encoded.
    public var format: Int64
    /// The fold (``RunLedger``), encoded.
    public var state: [UInt8]
    /// SHA-256 (hex) over the format, the event and the state: see ``seal(sequence:eventHash:format:state:)``.
    public var seal: String

    /// A checkpoint as stored.
    public init(sequence: Int64, eventHash: String, format: Int64, state: [UInt8], seal: String) {
        self.sequence = sequence
        self.eventHash = eventHash
        self.format = format
        self.state = state
        self.seal = seal
    }

    /// The checkpoint of `ledger`, the fold of a journal through event `head`.
    public init(_ ledger: RunLedger, head: JournalHead) throws {
        precondition(ledger.sequence == head.sequence, "a checkpoint is the fold through its own event")
        let state = Array(try JSONEncoder().encode(ledger))
        self.init(sequence: head.sequence, eventHash: head.hash, format: Self.currentFormat, state: state,
                  seal: Self.seal(sequence: head.sequence, eventHash: head.hash, format: Self.currentFormat, state: state))
    }

    /// The seal of a checkpoint: SHA-256 of `gatehouse checkpoint`, the format, the sequence
    /// number and the hash, a line each, then the state's bytes.
    public static func seal(sequence: Int64, eventHash: String, format: Int64, state: [UInt8]) -> String {
        var hash = SHA256()
        hash.update(data: Array("gatehouse checkpoint\n\(format)\n\(sequence)\n\(eventHash)\n".utf8))
        hash.update(data: state)
        return sha256Hex(digest: hash.finalize())
    }

    /// Why a checkpoint is not used.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The seal is not that of the bytes: edited, or cut short.
        case sealBroken(sequence: Int64)
        /// The journal's event at that number is another one (or there is none).
        case notOnTheChain(sequence: Int64, bound: String, found: String?)
        /// Written by a version that encodes the fold otherwise.
        case unknownFormat(sequence: Int64, format: Int64)
        /// The bytes are sealed but are not a fold through that event.
        case unreadable(sequence: Int64, reason: String)
        /// The fold it holds is not the fold of the journal through its event (`gatehouse verify`).
        case differs(sequence: Int64)

        public var description: String {
            switch self {
            case .sealBroken(let sequence):
                "the checkpoint at event \(sequence) does not match its seal: it was edited or cut short"
            case .notOnTheChain(let sequence, let bound, let found):
                "the checkpoint at event \(sequence) is bound to hash \(bound.prefix(12))…, but "
                    + (found.map { "the journal's event \(sequence) has \($0.prefix(12))…: it was moved, or the journal rewritten" }
                        ?? "the journal has no event \(sequence)")
            case .unknownFormat(let sequence, let format):
                "the checkpoint at event \(sequence) is in format \(format), which this version does not read"
            case .unreadable(let sequence, let reason):
                "the checkpoint at event \(sequence) cannot be read: \(reason)"
            case .differs(let sequence):
                "the checkpoint at event \(sequence) is not the fold of the journal through that event: it was forged or written wrong"
            }
        }
    }

    /// The fold this checkpoint holds, if its seal holds, its event is `journalHash` (the
    /// journal's hash of event ``sequence``, nil when it has none) and its bytes read back as a
    /// fold through that event.
    public func ledger(journalHash: String?) -> Result<RunLedger, Problem> {
        guard seal == Self.seal(sequence: sequence, eventHash: eventHash, format: format, state: state) else {
            return .failure(.sealBroken(sequence: sequence))
        }
        guard journalHash == eventHash else {
            return .failure(.notOnTheChain(sequence: sequence, bound: eventHash, found: journalHash))
        }
        guard format == Self.currentFormat else { return .failure(.unknownFormat(sequence: sequence, format: format)) }
        let ledger: RunLedger
        do {
            ledger = try JSONDecoder().decode(RunLedger.self, from: Data(state))
        } catch {
            return .failure(.unreadable(sequence: sequence, reason: "\(error)"))
        }
        guard ledger.sequence == sequence else {
            return .failure(.unreadable(sequence: sequence, reason: "the fold it holds stands at event \(ledger.sequence)"))
        }
        return .success(ledger)
    }
}
