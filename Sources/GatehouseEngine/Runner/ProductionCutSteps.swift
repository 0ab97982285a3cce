import Foundation
import GatehouseCore

/// The built-in steps of the production cut, performed against a context-pack target.
///
/// Every step reads what earlier steps established from the run's facts (as journaled), so a
/// step performed again after a crash works from the same pre-state SHA and candidates.
public struct ProductionCutSteps {
    /// Opens the target: read-only unless the step writes.
    public typealias TargetOpener = (_ readOnly: Bool) throws -> any CutTarget

    /// The most candidates a LIVE cut may write: the seed's "small, harmless" first cut.
    public static let liveCandidateLimit = 20

    public var openTarget: TargetOpener
    /// Where LIVE backups are written.
    public var backupDirectory: String
    /// Walks the journal's chain (an identity guard).
    public var verifyJournal: () throws -> ChainVerification

    public init(openTarget: @escaping TargetOpener, backupDirectory: String,
                verifyJournal: @escaping () throws -> ChainVerification) {
        self.openTarget = openTarget
        self.backupDirectory = backupDirectory
        self.verifyJournal = verifyJournal
    }

    /// Performs `step` for `run`; `writes` is true only for a LIVE run with the switch on.
    public func perform(_ step: BuiltinStep, run: RunState, writes: Bool, context: PhaseContext) -> PhaseResult {
        do {
            switch step {
            case .identityGuards: return try identityGuards(run)
            case .preStateSnapshot: return try preStateSnapshot(context: context)
            case .selectDocument: return try selectDocument(run, context: context)
            case .cutCandidates: return try cutCandidates(run, context: context)
            case .validate: return try validate(run, context: context)
            case .backup: return try backup(run, writes: writes, context: context)
            case .apply: return try apply(run, writes: writes, context: context)
            case .verify: return try verify(run, context: context)
            case .signAndCloseOut: return signAndCloseOut(run)
            }
        } catch let error as PhaseStop {
            return .stopped(error.reason)
        } catch {
            return .failed("\(error)")
        }
    }

    /// Thrown from inside a transaction to roll it back when the runner must stop.
    struct PhaseStop: Error { var reason: String }

    // MARK: - Steps

    private func identityGuards(_ run: RunState) throws -> PhaseResult {
        let target = try openTarget(true)
        let identity = try target.identity()
        if let recorded = run.facts.targetID, recorded != identity.id {
            return .failed("the target at \(identity.location) is not the one this run started on (id \(identity.id), expected \(recorded))")
        }
        if case .broken(let sequence, let reason) = try verifyJournal() {
            return .failed("the journal's chain is broken at event \(sequence): \(reason); run `gatehouse verify`")
        }
        return .done(RunFacts(targetID: identity.id, targetLocation: identity.location, targetSchema: identity.schemaVersion))
    }

    private func preStateSnapshot(context: PhaseContext) throws -> PhaseResult {
        let snapshot = try openTarget(true).snapshot()
        context.log("stdout", "pre-state: \(Self.describe(snapshot.counts)), SHA-256 \(snapshot.sha256.prefix(16))…")
        return .done(RunFacts(preCounts: snapshot.counts, preStateSHA: snapshot.sha256))
    }

    private func selectDocument(_ run: RunState, context: PhaseContext) throws -> PhaseResult {
        let documents = try openTarget(true).documents()
        let id = run.start.document ?? SampleDocuments.releaseNotes.id
        guard let document = documents.first(where: { $0.id == id }) else {
            throw TargetError.unknownDocument(id, available: documents.map(\.id))
        }
        if document.signatureCritical && run.start.signing == StubSigning.providerName {
            let rule = "'\(document.title)' is signature-critical and the signing provider is the stub (policy POLICY-OPT-5: no live cut of a signature-critical document until real signing)"
            if run.mode == .live { return .failed("refused by policy: " + rule) }
            context.log("stderr", "warning: a LIVE run of this document would be refused: " + rule)
        }
        return .done(RunFacts(document: document.id, documentTitle: document.title, documentDigest: document.digest,
                              signatureCritical: document.signatureCritical))
    }

    private func cutCandidates(_ run: RunState, context: PhaseContext) throws -> PhaseResult {
        let document = try selectedDocument(run)
        let units = DocumentCut.cut(document.body)
        context.log("stdout", "'\(document.title)' cuts into \(units.count) candidates")
        for unit in units.prefix(5) { context.log("stdout", "  \(unit.ordinal). \(unit.heading)") }
        if units.count > 5 { context.log("stdout", "  … and \(units.count - 5) more") }
        return .done(RunFacts(candidates: units.count, candidatesDigest: DocumentCut.candidatesDigest(units),
                              candidateHeadings: units.map(\.heading)))
    }

    private func validate(_ run: RunState, context: PhaseContext) throws -> PhaseResult {
        let target = try openTarget(true)
        let document = try selectedDocument(run, target: target)
        let units = DocumentCut.cut(document.body)
        guard !units.isEmpty else { return .failed("'\(document.id)' cuts into no candidates; nothing to apply") }
        if DocumentCut.candidatesDigest(units) != run.facts.candidatesDigest {
            return .failed("the candidates changed since they were cut; start a new run")
        }
        if Set(units.map(\.digest)).count != units.count {
            return .failed("two candidates of '\(document.id)' are identical")
        }
        if let empty = units.first(where: { $0.body.isEmpty }) {
            return .failed("candidate \(empty.ordinal) ('\(empty.heading)') has no text")
        }
        if units.count > Self.liveCandidateLimit {
            let message = "'\(document.id)' cuts into \(units.count) candidates; a LIVE cut is limited to \(Self.liveCandidateLimit)"
            if run.mode == .live { return .failed(message) }
            context.log("stderr", "warning: " + message)
        }
        let outcome = try target.dryApply(document: document, units: units, runID: run.id)
        let facts = RunFacts(wouldInsert: outcome.inserted, alreadyAppliedBy: outcome.alreadyAppliedBy)
        if let previous = outcome.alreadyAppliedBy {
            context.log("stdout", "this document's content was already applied by run \(previous); apply will write nothing")
        }
        return .done(facts)
    }

    private func backup(_ run: RunState, writes: Bool, context: PhaseContext) throws -> PhaseResult {
        guard writes else { return .done(RunFacts(backupNotTaken: true)) }
        let attempt = run.phase("backup")?.attempts ?? 1
        let target = try openTarget(true)
        let name = "\(run.id)-\(attempt).\(target.backupFileExtension)"
        let recipients = run.start.backupRecipients
        // Every recipient must be usable before anything is copied: an expired key fails here, not halfway.
        if !recipients.isEmpty {
            let problems = try GnuPG.unusableRecipients(recipients)
            guard problems.isEmpty else {
                return .failed("the backup cannot be encrypted to every recipient: \(problems.joined(separator: "; ")); nothing was applied")
            }
        }
        let encrypted = !recipients.isEmpty
        let taken = try target.takeBackup(to: backupDirectory + "/" + name + (encrypted ? ".gpg" : ""), encryptingTo: recipients)
        // The backup proves itself before anything is applied: what it holds is the pre-state.
        if let content = taken.contentSHA256 {
            guard let preState = run.facts.preStateSHA, content == preState else {
                return .failed("the backup holds content SHA-256 \(content.prefix(16))…, not the pre-state "
                               + "\(run.facts.preStateSHA.map { String($0.prefix(16)) + "…" } ?? "(none recorded)"): the target changed "
                               + "since the pre-state snapshot; nothing was applied (the backup is kept at \(taken.record.path))")
            }
            context.log("stdout", "the backup reads back as the pre-state (content SHA-256 \(content.prefix(16))…)")
        } else {
            context.log("stdout", "the backup's content is not read back here (a \(target.backupFileExtension) file); apply re-checks the pre-state")
        }
        let backup = RollbackRunbook.Backup(path: taken.record.path, sha256: taken.record.sha256, bytes: taken.record.bytes,
                                            contentSHA256: taken.contentSHA256, recipients: recipients)
        context.log("stdout", "backup \(backup.path) (\(backup.bytes) bytes, SHA-256 \(backup.sha256.prefix(16))…)"
                    + (recipients.isEmpty ? "" : ", encrypted to \(recipients.joined(separator: ", "))"))
        // The way back, written before anything is applied.
        let runbook = backupDirectory + "/\(run.id)-\(attempt).runbook.md"
        let text = RollbackRunbook.markdown(run, backup: backup, target: target.clientAddress, targetKind: target.kind,
                                            time: WallClock.system.milliseconds())
        try NewFile.write(text, to: runbook)
        context.log("stdout", "rollback runbook \(runbook)")
        return .done(RunFacts(backupPath: backup.path, backupSHA256: backup.sha256, backupBytes: backup.bytes, backupContentSHA256: taken.contentSHA256,
                              backupRecipients: recipients.isEmpty ? nil : recipients, runbookPath: runbook,
                              runbookSHA256: sha256Hex(text)))
    }

    private func apply(_ run: RunState, writes: Bool, context: PhaseContext) throws -> PhaseResult {
        let target = try openTarget(!writes)
        let document = try selectedDocument(run, target: target)
        let units = DocumentCut.cut(document.body)
        guard DocumentCut.candidatesDigest(units) == run.facts.candidatesDigest else {
            return .failed("the candidates changed since SG_1 approved them; nothing was written")
        }
        guard writes else {
            let outcome = try target.dryApply(document: document, units: units, runID: run.id)
            context.log("stdout", "dry run: would write \(outcome.inserted) units; nothing written (transaction rolled back)")
            return .done(RunFacts(wouldInsert: outcome.inserted, inserted: 0, dryRun: true))
        }
        guard let preState = run.facts.preStateSHA else {
            return .failed("no pre-state SHA-256 was recorded; nothing was written")
        }
        let outcome = try target.apply(
            document: document, units: units, runID: run.id, expectedPreState: preState,
            progress: { done in
                context.progress(done, units.count)
                context.faults.hit("apply-unit:\(done)")
                if let reason = context.stopReason() { throw PhaseStop(reason: reason) }
            },
            beforeCommit: {
                if let reason = context.stopReason() { throw PhaseStop(reason: reason) }
                context.faults.hit("apply-before-commit")
            })
        context.faults.hit("apply-after-commit")
        if outcome.alreadyAppliedBy == nil {
            context.log("stdout", "wrote \(outcome.inserted) units and the idempotency marker in one transaction")
        }
        let facts = RunFacts(inserted: outcome.inserted, alreadyAppliedBy: outcome.alreadyAppliedBy)
        if let previous = outcome.alreadyAppliedBy {
            context.log("stdout", previous == run.id
                ? "the units were already written by this run before its runner was lost; nothing written again"
                : "the idempotency marker of run \(previous) is there; nothing written")
        }
        return .done(facts)
    }

    private func verify(_ run: RunState, context: PhaseContext) throws -> PhaseResult {
        let post = try openTarget(true).snapshot()
        guard let pre = run.facts.preCounts, let preSHA = run.facts.preStateSHA, let candidates = run.facts.candidates else {
            return .failed("the pre-state or the candidates were not recorded")
        }
        var expected = pre
        if run.mode == .live {
            let previous = run.facts.alreadyAppliedBy
            if previous == nil || previous == run.id {
                expected["unit", default: 0] += Int64(candidates)
                expected["cut_marker", default: 0] += 1
            }
        }
        let facts = RunFacts(postCounts: post.counts, postStateSHA: post.sha256)
        context.log("stdout", "post-state: \(Self.describe(post.counts)), SHA-256 \(post.sha256.prefix(16))…")
        guard post.counts == expected else {
            return .failed("post counts \(Self.describe(post.counts)) differ from the expected \(Self.describe(expected))")
        }
        if run.mode == .dryRun && post.sha256 != preSHA {
            return .failed("the target's content changed during a dry run (SHA-256 \(preSHA.prefix(12))… → \(post.sha256.prefix(12))…)")
        }
        return .done(facts)
    }

    /// Journals the close-out statement with the signature of the approval that carries it
    /// (the sovereign's, one signature over both); the stub's when that approval is the stub's
    /// or carries another statement (the facts changed after it was signed).
    private func signAndCloseOut(_ run: RunState) -> PhaseResult {
        let statement = CloseOutStatement.make(run: run)
        if let decision = CloseOutStatement.signingDecision(of: run), decision.provider != StubSigning.providerName,
           decision.statement[CloseOutStatement.member] == .object(statement) {
            return .done(RunFacts(closeoutStatement: statement, closeoutProvider: decision.provider,
                                  closeoutSignature: decision.signature, closeoutInsecure: false))
        }
        return .done(RunFacts(closeoutStatement: statement, closeoutProvider: StubSigning.providerName,
                              closeoutSignature: StubSigning.sign(statement), closeoutInsecure: true))
    }

    // MARK: - Helpers

    private func selectedDocument(_ run: RunState, target: (any CutTarget)? = nil) throws -> TargetDocument {
        guard let id = run.facts.document, let digest = run.facts.documentDigest else {
            throw StepError("no document was selected")
        }
        let documents = try (target ?? openTarget(true)).documents()
        guard let document = documents.first(where: { $0.id == id }) else {
            throw TargetError.unknownDocument(id, available: documents.map(\.id))
        }
        guard document.digest == digest else {
            throw StepError("document '\(id)' changed since it was selected (digest \(digest.prefix(12))… → \(document.digest.prefix(12))…)")
        }
        return document
    }

    static func describe(_ counts: [String: Int64]) -> String {
        counts.keys.sorted().map { "\($0)=\(counts[$0]!)" }.joined(separator: " ")
    }

    struct StepError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
