import GatehouseCore
import GatehouseEngine

/// Performs the acts a dashboard's keys ask for, through the engine's one set of acts
/// (``RunActs``), and says what came of each in words for the screen.
public struct DashboardActs {
    /// Who aborts runs and signs decisions and kill-switch enables.
    public var actor: String
    /// The signer's ed25519 private key file, for a sovereign who signs with ed25519.
    public var keyFile: String?
    /// Starts a dry run in a runner process of its own; returns where its output goes.
    public var startDryRun: () throws -> String
    /// The clock statements are signed with.
    public var clock: WallClock
    /// The journal's runner locks, which a kill-switch enable looks at for a restore under way.
    public var liveness: (any RunnerLiveness)?
    /// The programme the Gates tab's acts are on.
    public var programme: Programme?
    /// Creates the journal for a programme act when there is none yet.
    public var createStore: (() throws -> RunStore)?
    /// Checks a run's backup `file` (SHA-256 `sha256`) and writes it over the run's target;
    /// returns the target's content SHA-256 after (see ``RunActs/restore(run:as:keyFile:typed:putBack:)``).
    /// Nil: this dashboard cannot reach the target, and a restore is refused before it is signed.
    public var restoreTarget: ((_ run: RunState, _ file: String, _ sha256: String) throws -> String)?

    public init(actor: String, keyFile: String?, clock: WallClock = .system, liveness: (any RunnerLiveness)? = nil,
                programme: Programme? = nil, createStore: (() throws -> RunStore)? = nil,
                startDryRun: @escaping () throws -> String) {
        self.actor = actor
        self.keyFile = keyFile
        self.clock = clock
        self.liveness = liveness
        self.programme = programme
        self.createStore = createStore
        self.startDryRun = startDryRun
    }

    /// Performs `outcome` on `store`'s runs, as the dashboard showing `context` asked.
    /// A protected key file is opened with `passphrase`, as the signing flow took it.
    public func perform(_ outcome: DashboardState.Outcome, store: RunStore?, context: DashboardContext, passphrase: String? = nil) -> ActReport {
        let unlock: PrivateKeyFile.Passphrase? = passphrase.map { text in { _ in text } }
        switch outcome {
        case .quit, .continueRunning:
            return .nothing
        case .startDryRun:
            do {
                return .notice("dry run started; its output goes to \(try startDryRun())")
            } catch {
                return .notice("could not start a dry run: \(error)")
            }
        case .abort(let runID):
            return .notice(abort(runID, store: store))
        case .decide(let runID, let gate, let approve, let reason):
            let (message, recorded) = sign(store: store, context: context) { store in
                let decision = try RunActs(store: store, clock: clock, passphrase: unlock).decide(run: runID, gate: gate, approve: approve, reason: reason, as: actor, keyFile: keyFile)
                let insecure = decision.provider == StubSigning.providerName ? " (stub signature, INSECURE)" : ""
                return "\(gate) \(approve ? "approved" : "rejected") by \(actor)\(insecure); recorded in the journal. Any key closes."
            }
            return .flowResult(message: message, recorded: recorded)
        case .enableLive(let runID):
            let (message, recorded) = sign(store: store, context: context) { store in
                try RunActs(store: store, liveness: liveness, clock: clock, passphrase: unlock).enableLive(run: runID, as: actor, keyFile: keyFile)
                return "kill-switch ON for run \(runID.prefix(8)): it may now write. It goes off when the run ends. Any key closes."
            }
            return .flowResult(message: message, recorded: recorded)
        case .restore(let runID, let typed):
            return restore(runID, typed: typed, store: store, context: context, unlock: unlock)
        case .programmeAct(let purpose, let text):
            guard let programme else { return .flowResult(message: "no programme to sign for; nothing was recorded", recorded: false) }
            // The first act on a programme may come before any run: the journal begins with it.
            let store = store ?? (try? createStore?())
            let (message, recorded) = sign(store: store, context: context) { store in
                try perform(purpose, text: text, acts: ProgrammeActs(store: store, programme: programme, clock: clock, passphrase: unlock))
            }
            return .flowResult(message: message, recorded: recorded)
        }
    }

    /// Signs and journals a programme act; what to tell the signer.
    private func perform(_ purpose: ProgrammeFlow.Purpose, text: String, acts: ProgrammeActs) throws -> String {
        let act: ProgrammeAct
        switch purpose {
        case .signOff(let entry, let pass):
            act = try acts.signOff(gate: entry.gate.id, pass: pass, reason: pass ? "" : text, as: actor, keyFile: keyFile, seen: entry)
        case .closeGap(let gap, let run):
            act = try acts.closeGap(gap, run: run, evidence: text, reference: nil, as: actor, keyFile: keyFile)
        case .reopenGap(let gap):
            act = try acts.reopenGap(gap, reason: text, as: actor, keyFile: keyFile)
        case .conditionMet(let gate, let condition):
            act = try acts.conditionMet(gate: gate, condition: condition, evidence: text, as: actor, keyFile: keyFile)
        case .ruling(let gate):
            act = try acts.recordRuling(gate: gate, text: text, as: actor, keyFile: keyFile)
        }
        let insecure = act.provider == StubSigning.providerName ? " (stub signature, INSECURE)" : ""
        let board = try acts.board()
        let now: String
        if let entry = board.entry(act.subject) {
            now = entry.status == .pass ? "\(entry.gate.id) is pass" : "\(entry.gate.id) is \(entry.status.rawValue), \(entry.signatureCount)"
        } else {
            now = "\(act.gap) is \(board.gap(act.gap).closed ? "closed" : "open")"
        }
        return "\(AuditTrail.describe(act)), by \(actor)\(insecure); recorded in the journal. \(now). Any key closes."
    }

    /// Signs and journals what `act` does, unless the journal shown is not to be trusted;
    /// returns what to tell the signer and whether it was recorded.
    private func sign(store: RunStore?, context: DashboardContext, _ act: (RunStore) throws -> String) -> (String, Bool) {
        guard let store else { return ("no journal to record it in; nothing was recorded", false) }
        if let broken = context.brokenJournal {
            return ("the journal's chain is broken at event \(broken.sequence), so the state shown is not trusted: nothing was signed. Run `gatehouse verify`. Any key closes.", false)
        }
        do {
            return (try act(store), true)
        } catch let refusal as RunRefusal {
            return ("refused, and the refusal journaled: \(refusal.message). Any key closes.", false)
        } catch let refusal as ProgrammeRefusal {
            return ("refused, and the refusal journaled: \(refusal.reason). Any key closes.", false)
        } catch let error as ProgrammeInputError {
            return ("\(error). Nothing was recorded. Any key closes.", false)
        } catch let error as SigningError {
            return ("cannot sign: \(error). Nothing was recorded. Any key closes.", false)
        } catch let error as RunStoreError {
            return ("\(error). Nothing was recorded. Any key closes.", false)
        } catch {
            return ("could not record it: \(error). Any key closes.", false)
        }
    }

    /// Signs and performs the restore of `runID`'s backup; the result page says what the target holds after it.
    private func restore(_ runID: String, typed: String, store: RunStore?, context: DashboardContext,
                         unlock: PrivateKeyFile.Passphrase?) -> ActReport {
        guard let restoreTarget, let run = context.ledger[runID] else {
            return .flowResult(message: "this dashboard cannot reach the run's target; restore with `gatehouse restore \(runID.prefix(8))`. Nothing was recorded. Any key closes.",
                               recorded: false)
        }
        var backAtPreState = false
        let (message, recorded) = sign(store: store, context: context) { store in
            let restore = try RunActs(store: store, liveness: liveness, clock: clock, passphrase: unlock)
                .restore(run: runID, as: actor, keyFile: keyFile, typed: typed) { file, sha in try restoreTarget(run, file, sha) }
            let now = restore.contentSHA256 ?? "(unread)"
            backAtPreState = restore.contentSHA256 != nil && restore.contentSHA256 == run.facts.preStateSHA
            return backAtPreState
                ? "restored from \(restore.backup), signed by \(actor); the target's content SHA-256 is now \(now.prefix(12))…, the run's pre-state. Any key closes."
                : "restored from \(restore.backup) and journaled, but the target's content SHA-256 is now \(now.prefix(12))…, not the run's pre-state: check it (`gatehouse restore \(runID.prefix(8)) --drill`). Any key closes."
        }
        return .flowResult(message: message, recorded: recorded && backAtPreState)
    }

    private func abort(_ runID: String, store: RunStore?) -> String {
        guard let store else { return "no journal to record the abort in" }
        do {
            try RunActs(store: store, clock: clock).abort(run: runID, by: actor, reason: "aborted from the dashboard")
            return "run \(runID.prefix(8)) aborted"
        } catch let refusal as RunRefusal {
            return "refused: \(refusal.message)"
        } catch {
            return "could not record the abort: \(error)"
        }
    }
}
