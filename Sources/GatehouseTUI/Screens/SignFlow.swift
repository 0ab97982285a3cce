import GatehouseCore

/// A sovereign's signed act in steps: review what it covers, (for a rejection) say why, type
/// the confirmation phrase, (for LIVE and a restore) confirm once more; only then is it signed
/// and journaled.
///
/// A pure value like the rest of `DashboardState`: Esc cancels at every step and nothing is
/// recorded until the last one.
public struct SignFlow: Sendable, Equatable {
    /// What the flow signs.
    public enum Purpose: Sendable, Equatable {
        /// A decision at the gate the run waits at.
        case decide(gate: String)
        /// Turning the kill-switch on for a LIVE run.
        case enableLive
        /// Putting the target back from the backup an ended LIVE run took.
        case restore
    }

    /// Where the flow stands.
    public enum Step: Sendable, Equatable {
        /// The review page (for a decision) or the checklist (for LIVE).
        case review
        /// A rejection's reason is being typed.
        case reason
        /// The confirmation phrase is being typed.
        case phrase
        /// LIVE and a restore: the last y/N.
        case confirm
        /// The passphrase of the signer's key file is being typed (hidden).
        case passphrase
        /// The act is being performed (a restore: drilling the backup, then writing the target).
        case working(String)
        /// It was signed and journaled, or refused: the message says which.
        case result(message: String, recorded: Bool)
    }

    public var runID: String
    public var purpose: Purpose
    public var step: Step = .review
    /// Approve (true) or reject, once chosen.
    public var approve = true
    /// A rejection's reason, as typed.
    public var reason = ""
    /// The confirmation phrase, as typed.
    public var typed = ""
    /// The passphrase of the signer's key file, as typed: never drawn, and emptied once the
    /// act was performed.
    public var passphrase = ""
    /// The act to sign once the passphrase is typed.
    var pending: Effect?
    /// What was wrong with the last attempt at this step.
    public var error: String?
    /// How many lines the review is scrolled up from its end (a long review, such as a
    /// package's commands, is cut above the prompt; ↑ and ↓ move through it).
    public var reviewScroll = 0

    /// The longest reason or phrase the text fields take.
    static let fieldLimit = 200

    public init(runID: String, purpose: Purpose) {
        self.runID = runID
        self.purpose = purpose
    }

    /// The phrase the approver must type: the gate and the run's short id, `ENABLE LIVE <short id>`
    /// or `RESTORE <short id>`.
    public func phrase(for run: RunState) -> String {
        switch purpose {
        case .decide(let gate): "\(gate) \(run.shortID)"
        case .enableLive: SwitchStatement.phrase(for: run)
        case .restore: RestoreStatement.phrase(for: run)
        }
    }

    /// What a key does to the flow.
    enum Effect: Equatable {
        /// The flow goes on (or nothing changed).
        case none
        /// Esc: the flow ends and nothing was recorded.
        case cancelled
        /// The flow is finished with (its result was read).
        case closed
        /// Sign and journal the decision.
        case decide(approve: Bool, reason: String)
        /// Sign and journal the enable.
        case enableLive
        /// Sign the restore with the phrase typed, and perform it.
        case restore(typed: String)
    }

    /// Applies one key, given the run, the programmes and the kill-switch's holder as the
    /// journal holds them now; with `asksPassphrase`, the act waits for the key file's
    /// passphrase after its last step.
    mutating func handle(_ key: Key, run: RunState, programme: ProgrammeLedger, switchHolder: String? = nil,
                         asksPassphrase: Bool = false) -> Effect {
        let effect = step(key, run: run, programme: programme, switchHolder: switchHolder)
        switch effect {
        case .decide, .enableLive, .restore:
            guard asksPassphrase, step != .passphrase else { return effect }
            pending = effect
            step = .passphrase
            return .none
        case .none, .cancelled, .closed:
            return effect
        }
    }

    private mutating func step(_ key: Key, run: RunState, programme: ProgrammeLedger, switchHolder: String?) -> Effect {
        if case .result = step { return key == .resize ? .none : .closed }
        if case .working = step { return .none }
        if key == .escape {
            passphrase = ""
            return .cancelled
        }
        switch step {
        case .review: return review(key, run: run, programme: programme, switchHolder: switchHolder)
        case .reason:
            if key == .enter {
                if reason.trimmingCharacters(in: .whitespaces).isEmpty {
                    error = "say why the gate is rejected; the reason is signed and journaled"
                } else {
                    error = nil
                    step = .phrase
                }
            } else {
                Self.edit(&reason, key)
            }
        case .phrase:
            if key == .enter {
                guard typed == phrase(for: run) else {
                    error = "that is not the phrase; type \(phrase(for: run)) exactly"
                    typed = ""
                    return .none
                }
                error = nil
                switch purpose {
                case .decide: return .decide(approve: approve, reason: approve ? "" : reason.trimmingCharacters(in: .whitespaces))
                case .enableLive, .restore: step = .confirm
                }
            } else {
                Self.edit(&typed, key)
            }
        case .confirm:
            guard key == .character("y") || key == .character("Y") else { return .cancelled }
            if case .restore = purpose { return .restore(typed: typed) }
            return .enableLive
        case .passphrase:
            guard key == .enter else {
                Self.edit(&passphrase, key)
                return .none
            }
            guard !passphrase.isEmpty, let pending else {
                error = "type the passphrase of your key file; Esc cancels"
                return .none
            }
            error = nil
            return pending
        case .result, .working:
            break
        }
        return .none
    }

    private mutating func review(_ key: Key, run: RunState, programme: ProgrammeLedger, switchHolder: String?) -> Effect {
        switch key {
        case .up: reviewScroll += 1; return .none
        case .down: reviewScroll = max(0, reviewScroll - 1); return .none
        case .pageUp: reviewScroll += 10; return .none
        case .pageDown: reviewScroll = max(0, reviewScroll - 10); return .none
        case .home: reviewScroll = Int.max / 2; return .none
        case .end: reviewScroll = 0; return .none
        default: break
        }
        switch purpose {
        case .decide(let gate):
            guard key == .character("a") || key == .character("r") else { return .none }
            guard run.waitingGate == gate else {
                error = "run \(run.shortID) no longer waits at \(gate) (\(run.situation)); Esc goes back"
                return .none
            }
            approve = key == .character("a")
            step = approve ? .phrase : .reason
            error = nil
        case .enableLive:
            guard key == .enter || key == .character("e") else { return .none }
            let unmet = LiveChecklist.unmet(run, programme: programme)
            if run.mode != .live {
                error = "run \(run.shortID) is a dry run; the kill-switch only ever enables a LIVE run"
            } else if !unmet.isEmpty {
                error = "refused: \(unmet.count) precondition\(unmet.count == 1 ? " is" : "s are") not met (the red lines); LIVE stays off"
            } else if run.isEnded || run.switchOn {
                error = "run \(run.shortID) \(run.isEnded ? "has ended" : "already holds the kill-switch") (\(run.situation))"
            } else {
                step = .phrase
                error = nil
            }
        case .restore:
            guard key == .enter || key == .character("R") else { return .none }
            if let why = Self.whyNotRestorable(run, switchHolder: switchHolder) {
                error = why
            } else {
                step = .phrase
                error = nil
            }
        }
        return .none
    }

    /// Why `run`'s backup cannot be put back now, or nil (the state machine checks it again,
    /// with the signature, when it is journaled).
    static func whyNotRestorable(_ run: RunState, switchHolder: String?) -> String? {
        if run.start.package != nil { return "run \(run.shortID) is a command plan's: `gatehouse restore \(run.shortID)` runs its reverts" }
        if run.facts.backupPath == nil { return "run \(run.shortID) took no backup (\(run.mode == .live ? "it stopped before its backup phase" : "a dry run takes none"))" }
        if !run.isEnded { return "run \(run.shortID) has not ended (\(run.situation)); abort it (x) before putting its target back" }
        if let holder = switchHolder { return "the kill-switch is on for run \(RunState.shortID(holder)); restore once no run may write" }
        return nil
    }

    /// A text field: printable characters append, Backspace deletes.
    private static func edit(_ field: inout String, _ key: Key) {
        switch key {
        case .backspace:
            if !field.isEmpty { field.removeLast() }
        case .character(let character) where !character.isNewline && character != "\t" && field.count < Self.fieldLimit:
            field.append(character)
        default:
            break
        }
    }
}
