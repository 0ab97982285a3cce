import GatehouseCore

/// A sovereign's signed act on the programme from the Gates tab, in steps: (for a fail, a gap,
/// a condition or a ruling) type the text it needs, type the confirmation phrase; only then is
/// it signed and journaled.
///
/// A sign-off binds what the person reviewed: the gate's entry as the review page showed it
/// when `a` or `r` was pressed, whose evidence digest ends the phrase (`PASS GATE-O6 1a2b3c4d`).
/// If the evidence changes meanwhile, the rules refuse the statement and say so. Esc cancels at
/// every step; nothing is recorded before the phrase.
public struct ProgrammeFlow: Sendable, Equatable {
    /// What the flow signs.
    public enum Purpose: Sendable, Equatable {
        /// A sign-off of the entry reviewed, pass or fail.
        case signOff(GateBoard.Entry, pass: Bool)
        /// A gap closed (the text is its evidence, with the closed-out run named, if any).
        case closeGap(String, run: String?)
        /// A gap reopened (the text is why).
        case reopenGap(String)
        /// A gate's condition recorded as met (the text is its evidence).
        case conditionMet(gate: String, condition: String)
        /// An xhigh gate's ruling (the text is the ruling).
        case ruling(gate: String)
    }

    /// Where the flow stands.
    public enum Step: Sendable, Equatable {
        /// The text the act needs is being typed.
        case text
        /// The confirmation phrase is being typed.
        case phrase
        /// The passphrase of the signer's key file is being typed (hidden).
        case passphrase
        /// It was signed and journaled, or refused: the message says which.
        case result(message: String, recorded: Bool)
    }

    public var purpose: Purpose
    public var step: Step
    /// The reason, evidence or ruling, as typed.
    public var text = ""
    /// The confirmation phrase, as typed.
    public var typed = ""
    /// The passphrase of the signer's key file, as typed: never drawn, and emptied once the
    /// act was performed.
    public var passphrase = ""
    /// What was wrong with the last attempt at this step.
    public var error: String?

    /// For a gap closure: the newest closed-out run, which Tab names as evidence (or drops).
    public var offeredRun: String?

    /// The longest text a field takes (a ruling from a file is for `gatehouse ruling --file`).
    static let fieldLimit = 400

    public init(_ purpose: Purpose, offeredRun: String? = nil) {
        self.purpose = purpose
        self.offeredRun = offeredRun
        if case .signOff(_, pass: true) = purpose { step = .phrase } else { step = .text }
    }

    /// The closed-out run a gap closure names as evidence, if Tab chose it.
    public var run: String? {
        if case .closeGap(_, let run) = purpose { return run }
        return nil
    }

    /// The gate or gap the act is about.
    public var subject: String {
        switch purpose {
        case .signOff(let entry, _): entry.gate.id
        case .closeGap(let gap, _), .reopenGap(let gap): gap
        case .conditionMet(let gate, _), .ruling(let gate): gate
        }
    }

    /// The phrase the sovereign must type.
    public var phrase: String {
        switch purpose {
        case .signOff(let entry, let pass): ProgrammeStatement.phrase(for: entry, pass: pass)
        case .closeGap(let gap, _): "CLOSE \(gap)"
        case .reopenGap(let gap): "REOPEN \(gap)"
        case .conditionMet(let gate, _): "MET \(gate)"
        case .ruling(let gate): "RULING \(gate)"
        }
    }

    /// What the text field asks for, or nil when the act needs none (a pass).
    public var textPrompt: String? {
        switch purpose {
        case .signOff(_, pass: true): nil
        case .signOff(let entry, pass: false): "Why does \(entry.gate.id) fail? (signed and journaled)"
        case .closeGap(let gap, _): "What closes \(gap)? (evidence: a commit, a document, what was checked)"
        case .reopenGap(let gap): "Why is \(gap) open again?"
        case .conditionMet(_, let condition): "What shows '\(condition)' is met?"
        case .ruling(let gate): "The ruling on \(gate), as it was made:"
        }
    }

    /// What a key does to the flow.
    enum Effect: Equatable {
        case none
        /// Esc: the flow ends and nothing was recorded.
        case cancelled
        /// The flow is finished with (its result was read).
        case closed
        /// Sign and journal the act.
        case perform
    }

    /// Applies one key; with `asksPassphrase`, the act waits for the key file's passphrase
    /// after its phrase.
    mutating func handle(_ key: Key, asksPassphrase: Bool = false) -> Effect {
        if case .result = step { return key == .resize ? .none : .closed }
        if key == .escape {
            passphrase = ""
            return .cancelled
        }
        switch step {
        case .text:
            if key == .tab || key == .character("\t"), case .closeGap(let gap, let run) = purpose, let offeredRun {
                purpose = .closeGap(gap, run: run == nil ? offeredRun : nil)
            } else if key == .enter {
                if text.allSatisfy(\.isWhitespace) && run == nil {
                    error = "this cannot be empty; it is signed and journaled"
                } else {
                    error = nil
                    step = .phrase
                }
            } else {
                Self.edit(&text, key, limit: Self.fieldLimit)
            }
        case .phrase:
            if key == .enter {
                guard typed == phrase else {
                    error = "that is not the phrase; type \(phrase) exactly"
                    typed = ""
                    return .none
                }
                error = nil
                guard asksPassphrase else { return .perform }
                step = .passphrase
                return .none
            }
            Self.edit(&typed, key, limit: 80)
        case .passphrase:
            guard key == .enter else {
                Self.edit(&passphrase, key, limit: 200)
                return .none
            }
            guard !passphrase.isEmpty else {
                error = "type the passphrase of your key file; Esc cancels"
                return .none
            }
            error = nil
            return .perform
        case .result:
            break
        }
        return .none
    }

    /// A printable character appended, Backspace taking the last one off.
    private static func edit(_ field: inout String, _ key: Key, limit: Int) {
        switch key {
        case .backspace: if !field.isEmpty { field.removeLast() }
        case .character(let character) where field.count < limit && !character.isNewline && character != "\t": field.append(character)
        default: break
        }
    }

    /// The text, trimmed, as it is signed.
    var signedText: String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
