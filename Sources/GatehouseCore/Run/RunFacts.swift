/// What a run's phases established: counts, SHA-256s, the document, the backup, the close-out.
///
/// One typed field per fact the code knows, and ``other`` for facts it does not (a command
/// phase's, a later version's), so that a journal's facts read back and write out as the same
/// JSON bytes and its event hashes still verify. Only `RunFacts+JSON.swift` spells a fact's
/// name; code elsewhere reads the fields, or ``Field`` where it walks a list of facts.
///
/// A known fact whose journaled value is not of its field's type (a `"candidates"` that is a
/// string) reads back into ``other``, so its field is nil, as a look-up of the value's type
/// gave before, and it is written out again as it was.
public struct RunFacts: Sendable, Equatable, Codable {
    // identity_guards
    /// The target's id, as the run first saw it (`target_id`).
    public var targetID: String?
    /// Where the target is, without secrets (`target_location`).
    public var targetLocation: String?
    /// The target's schema version (`target_schema`).
    public var targetSchema: Int?

    // pre_state_snapshot
    /// Rows per table before the run (`pre_counts`).
    public var preCounts: [String: Int64]?
    /// SHA-256 of the target before the run (`pre_sha`).
    public var preStateSHA: String?

    // select_document
    /// The id of the document cut (`document`).
    public var document: String?
    /// The document's title (`document_title`).
    public var documentTitle: String?
    /// SHA-256 of the document cut (`document_digest`).
    public var documentDigest: String?
    /// Whether the document is signature-critical (`signature_critical`).
    public var signatureCritical: Bool?

    // cut_candidates
    /// How many units the document cuts into (`candidates`).
    public var candidates: Int?
    /// SHA-256 of the candidate units (`candidates_digest`).
    public var candidatesDigest: String?
    /// The candidate units' headings, in order (`candidate_headings`).
    public var candidateHeadings: [String]?

    // validate, apply
    /// How many units the apply would write (`would_insert`).
    public var wouldInsert: Int?
    /// How many units the apply wrote (`inserted`).
    public var inserted: Int?
    /// Whether the apply was a dry run that rolled back (`dry_run`).
    public var dryRun: Bool?
    /// The run that already wrote this content, when one did (`already_applied_by`).
    public var alreadyAppliedBy: String?

    // backup
    /// Whether the backup phase recorded that it took none (`backup` journaled as null).
    public var backupNotTaken: Bool
    /// Where the backup taken before writing is (`backup_path`).
    public var backupPath: String?
    /// SHA-256 of the backup (`backup_sha256`).
    public var backupSHA256: String?
    /// The backup's size in bytes (`backup_bytes`).
    public var backupBytes: Int64?
    /// SHA-256 of what the backup holds, computed as the pre-state is (`backup_content_sha256`):
    /// the backup was read back and equals the pre-state before anything was applied.
    public var backupContentSHA256: String?
    /// The fingerprints of the OpenPGP keys the backup is encrypted to (`backup_recipients`).
    public var backupRecipients: [String]?
    /// The rollback runbook written beside the backup before the apply (`runbook_path`).
    public var runbookPath: String?
    /// SHA-256 of that runbook (`runbook_sha256`).
    public var runbookSHA256: String?

    // verify
    /// Rows per table after the run (`post_counts`).
    public var postCounts: [String: Int64]?
    /// SHA-256 of the target after the run (`post_sha`).
    public var postStateSHA: String?

    // sign_and_close_out
    /// What the close-out signs (`closeout_statement`).
    public var closeoutStatement: [String: JSONValue]?
    /// How the close-out was signed, such as `stub` (`closeout_provider`).
    public var closeoutProvider: String?
    /// The close-out's signature (`closeout_signature`).
    public var closeoutSignature: String?
    /// Whether the close-out's signature is insecure (`closeout_insecure`).
    public var closeoutInsecure: Bool?

    // a command phase
    /// A shell command's exit status (`exit_status`).
    public var exitStatus: Int?

    // a command plan's identity_guards, pre_state and tag steps
    /// The host the runner found itself on (`host`).
    public var hostName: String?
    /// The user it ran as (`user`).
    public var userName: String?
    /// The commit the repository's HEAD was (`commit`).
    public var repositoryCommit: String?
    /// What the pre-state probe read before anything changed (`pre_state`).
    public var preStateReading: PreStateReading?
    /// What the probe read after the last phase that changed the host (`host_state`).
    public var hostStateReading: PreStateReading?
    /// The local tag the tag step made or found (`tag`), and whether this run made it (`tag_created`).
    public var tagName: String?
    public var tagCreated: Bool?

    // target.restored
    /// The backup the target was restored from (`restored_from`).
    public var restoredFrom: String?
    /// SHA-256 of that backup (`restored_sha256`).
    public var restoredSHA256: String?

    /// Facts without a field (or journaled with a value of another type), by name, as journaled.
    public internal(set) var other: [String: JSONValue]

    /// The facts named (none by default); facts without a field come from ``init(json:)``.
    public init(targetID: String? = nil, targetLocation: String? = nil, targetSchema: Int? = nil,
                preCounts: [String: Int64]? = nil, preStateSHA: String? = nil, document: String? = nil,
                documentTitle: String? = nil, documentDigest: String? = nil, signatureCritical: Bool? = nil,
                candidates: Int? = nil, candidatesDigest: String? = nil, candidateHeadings: [String]? = nil,
                wouldInsert: Int? = nil, inserted: Int? = nil, dryRun: Bool? = nil,
                alreadyAppliedBy: String? = nil, backupNotTaken: Bool = false, backupPath: String? = nil,
                backupSHA256: String? = nil, backupBytes: Int64? = nil, backupContentSHA256: String? = nil,
                backupRecipients: [String]? = nil, runbookPath: String? = nil, runbookSHA256: String? = nil,
                postCounts: [String: Int64]? = nil,
                postStateSHA: String? = nil, closeoutStatement: [String: JSONValue]? = nil, closeoutProvider: String? = nil,
                closeoutSignature: String? = nil, closeoutInsecure: Bool? = nil, exitStatus: Int? = nil,
                hostName: String? = nil, userName: String? = nil, repositoryCommit: String? = nil,
                preStateReading: PreStateReading? = nil, hostStateReading: PreStateReading? = nil,
                tagName: String? = nil, tagCreated: Bool? = nil,
                restoredFrom: String? = nil, restoredSHA256: String? = nil) {
        self.targetID = targetID
        self.targetLocation = targetLocation
        self.targetSchema = targetSchema
        self.preCounts = preCounts
        self.preStateSHA = preStateSHA
        self.document = document
        self.documentTitle = documentTitle
        self.documentDigest = documentDigest
        self.signatureCritical = signatureCritical
        self.candidates = candidates
        self.candidatesDigest = candidatesDigest
        self.candidateHeadings = candidateHeadings
        self.wouldInsert = wouldInsert
        self.inserted = inserted
        self.dryRun = dryRun
        self.alreadyAppliedBy = alreadyAppliedBy
        self.backupNotTaken = backupNotTaken
        self.backupPath = backupPath
        self.backupSHA256 = backupSHA256
        self.backupBytes = backupBytes
        self.backupContentSHA256 = backupContentSHA256
        self.backupRecipients = backupRecipients
        self.runbookPath = runbookPath
        self.runbookSHA256 = runbookSHA256
        self.postCounts = postCounts
        self.postStateSHA = postStateSHA
        self.closeoutStatement = closeoutStatement
        self.closeoutProvider = closeoutProvider
        self.closeoutSignature = closeoutSignature
        self.closeoutInsecure = closeoutInsecure
        self.exitStatus = exitStatus
        self.hostName = hostName
        self.userName = userName
        self.repositoryCommit = repositoryCommit
        self.preStateReading = preStateReading
        self.hostStateReading = hostStateReading
        self.tagName = tagName
        self.tagCreated = tagCreated
        self.restoredFrom = restoredFrom
        self.restoredSHA256 = restoredSHA256
        other = [:]
    }
}
