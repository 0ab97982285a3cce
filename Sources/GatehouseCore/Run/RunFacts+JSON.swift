/// The journal form of run facts: one JSON object, each fact under its name.
///
/// The only place a fact's name is spelled: everything else reads ``RunFacts``' fields, or walks
/// a list of ``RunFacts/Field``s.
extension RunFacts {
    /// A fact ``RunFacts`` has a field for, for code that walks a list of facts (what a
    /// statement binds, what a record shows) and prints their names.
    public enum Field: Sendable, Hashable, CaseIterable {
        case targetID, targetLocation, targetSchema
        case preCounts, preStateSHA
        case document, documentTitle, documentDigest, signatureCritical
        case candidates, candidatesDigest, candidateHeadings
        case wouldInsert, inserted, dryRun, alreadyAppliedBy
        case backupNotTaken, backupPath, backupSHA256, backupBytes, backupContentSHA256, backupRecipients
        case runbookPath, runbookSHA256
        case postCounts, postStateSHA
        case closeoutStatement, closeoutProvider, closeoutSignature, closeoutInsecure
        case exitStatus
        case hostName, userName, repositoryCommit, preStateReading, hostStateReading, tagName, tagCreated
        case restoredFrom, restoredSHA256

        /// The fact's name as journaled, such as `pre_sha`.
        public var name: String {
            switch self {
            case .targetID: "target_id"
            case .targetLocation: "target_location"
            case .targetSchema: "target_schema"
            case .preCounts: "pre_counts"
            case .preStateSHA: "pre_sha"
            case .document: "document"
            case .documentTitle: "document_title"
            case .documentDigest: "document_digest"
            case .signatureCritical: "signature_critical"
            case .candidates: "candidates"
            case .candidatesDigest: "candidates_digest"
            case .candidateHeadings: "candidate_headings"
            case .wouldInsert: "would_insert"
            case .inserted: "inserted"
            case .dryRun: "dry_run"
            case .alreadyAppliedBy: "already_applied_by"
            case .backupNotTaken: "backup"
            case .backupPath: "backup_path"
            case .backupSHA256: "backup_sha256"
            case .backupBytes: "backup_bytes"
            case .backupContentSHA256: "backup_content_sha256"
            case .backupRecipients: "backup_recipients"
            case .runbookPath: "runbook_path"
            case .runbookSHA256: "runbook_sha256"
            case .postCounts: "post_counts"
            case .postStateSHA: "post_sha"
            case .closeoutStatement: "closeout_statement"
            case .closeoutProvider: "closeout_provider"
            case .closeoutSignature: "closeout_signature"
            case .closeoutInsecure: "closeout_insecure"
            case .exitStatus: "exit_status"
            case .hostName: "host"
            case .userName: "user"
            case .repositoryCommit: "commit"
            case .preStateReading: "pre_state"
            case .hostStateReading: "host_state"
            case .tagName: "tag"
            case .tagCreated: "tag_created"
            case .restoredFrom: "restored_from"
            case .restoredSHA256: "restored_sha256"
            }
        }

        /// The field a journaled name is, or nil for a name ``RunFacts`` keeps in ``RunFacts/other``.
        init?(name: String) {
            guard let field = Self.byName[name] else { return nil }
            self = field
        }

        private static let byName = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
    }

    /// The facts a journaled JSON object records.
    ///
    /// Every member reads back: into its field when it is of the field's type, else into
    /// ``other`` as it is, so ``json`` gives back the same object.
    public init(json members: [String: JSONValue]) {
        self.init()
        for (name, value) in members { set(name: name, to: value) }
    }

    /// The facts as the journal holds them: one member per fact, under its name.
    public var json: [String: JSONValue] {
        var members = other
        for field in Field.allCases {
            if let value = typed(field) { members[field.name] = value }
        }
        return members
    }

    /// The journaled value of a fact, whether its field holds it or ``other`` does (a value of
    /// another type than the field's).
    public func value(of field: Field) -> JSONValue? {
        typed(field) ?? other[field.name]
    }

    /// The recorded facts among `fields`, in that order, each with its name and journaled value.
    public func values(of fields: [Field]) -> [(name: String, value: JSONValue)] {
        fields.compactMap { field in value(of: field).map { (field.name, $0) } }
    }

    /// Whether no fact is recorded.
    public var isEmpty: Bool {
        other.isEmpty && Field.allCases.allSatisfy { typed($0) == nil }
    }

    /// Takes every fact `later` records, over the one recorded here (later phases win, fact by
    /// fact, as a merge of the two JSON objects does).
    public mutating func merge(_ later: RunFacts) {
        for (name, value) in later.other { set(name: name, to: value) }
        for field in Field.allCases {
            if let value = later.typed(field) { set(name: field.name, to: value) }
        }
    }

    // MARK: - One fact

    /// Records `value` as the fact `name`: in its field when it has one of that type, else in
    /// ``other``; either way, the other place no longer holds it.
    private mutating func set(name: String, to value: JSONValue) {
        guard let field = Field(name: name) else {
            other[name] = value
            return
        }
        if take(field, value) {
            other[name] = nil
        } else {
            _ = take(field, nil)
            other[name] = value
        }
    }

    /// The value the field holds, in its journal form, or nil when it holds none.
    private func typed(_ field: Field) -> JSONValue? {
        switch field {
        case .targetID: targetID.map(JSONValue.string)
        case .targetLocation: targetLocation.map(JSONValue.string)
        case .targetSchema: targetSchema.map(Self.int)
        case .preCounts: preCounts.map(Self.counts)
        case .preStateSHA: preStateSHA.map(JSONValue.string)
        case .document: document.map(JSONValue.string)
        case .documentTitle: documentTitle.map(JSONValue.string)
        case .documentDigest: documentDigest.map(JSONValue.string)
        case .signatureCritical: signatureCritical.map(JSONValue.bool)
        case .candidates: candidates.map(Self.int)
        case .candidatesDigest: candidatesDigest.map(JSONValue.string)
        case .candidateHeadings: candidateHeadings.map { .array($0.map(JSONValue.string)) }
        case .wouldInsert: wouldInsert.map(Self.int)
        case .inserted: inserted.map(Self.int)
        case .dryRun: dryRun.map(JSONValue.bool)
        case .alreadyAppliedBy: alreadyAppliedBy.map(JSONValue.string)
        case .backupNotTaken: backupNotTaken ? .null : nil
        case .backupPath: backupPath.map(JSONValue.string)
        case .backupSHA256: backupSHA256.map(JSONValue.string)
        case .backupBytes: backupBytes.map(JSONValue.int)
        case .backupContentSHA256: backupContentSHA256.map(JSONValue.string)
        case .backupRecipients: backupRecipients.map { .array($0.map(JSONValue.string)) }
        case .runbookPath: runbookPath.map(JSONValue.string)
        case .runbookSHA256: runbookSHA256.map(JSONValue.string)
        case .postCounts: postCounts.map(Self.counts)
        case .postStateSHA: postStateSHA.map(JSONValue.string)
        case .closeoutStatement: closeoutStatement.map(JSONValue.object)
        case .closeoutProvider: closeoutProvider.map(JSONValue.string)
        case .closeoutSignature: closeoutSignature.map(JSONValue.string)
        case .closeoutInsecure: closeoutInsecure.map(JSONValue.bool)
        case .exitStatus: exitStatus.map(Self.int)
        case .hostName: hostName.map(JSONValue.string)
        case .userName: userName.map(JSONValue.string)
        case .repositoryCommit: repositoryCommit.map(JSONValue.string)
        case .preStateReading: preStateReading.map(Self.reading)
        case .hostStateReading: hostStateReading.map(Self.reading)
        case .tagName: tagName.map(JSONValue.string)
        case .tagCreated: tagCreated.map(JSONValue.bool)
        case .restoredFrom: restoredFrom.map(JSONValue.string)
        case .restoredSHA256: restoredSHA256.map(JSONValue.string)
        }
    }

    /// Puts `value` in the field, or empties it for nil; false, and nothing changed, when
    /// `value` is not of the field's type.
    private mutating func take(_ field: Field, _ value: JSONValue?) -> Bool {
        switch field {
        case .targetID: Self.put(value, \.stringValue, in: &targetID)
        case .targetLocation: Self.put(value, \.stringValue, in: &targetLocation)
        case .targetSchema: Self.put(value, Self.int, in: &targetSchema)
        case .preCounts: Self.put(value, Self.counts, in: &preCounts)
        case .preStateSHA: Self.put(value, \.stringValue, in: &preStateSHA)
        case .document: Self.put(value, \.stringValue, in: &document)
        case .documentTitle: Self.put(value, \.stringValue, in: &documentTitle)
        case .documentDigest: Self.put(value, \.stringValue, in: &documentDigest)
        case .signatureCritical: Self.put(value, \.boolValue, in: &signatureCritical)
        case .candidates: Self.put(value, Self.int, in: &candidates)
        case .candidatesDigest: Self.put(value, \.stringValue, in: &candidatesDigest)
        case .candidateHeadings: Self.put(value, Self.strings, in: &candidateHeadings)
        case .wouldInsert: Self.put(value, Self.int, in: &wouldInsert)
        case .inserted: Self.put(value, Self.int, in: &inserted)
        case .dryRun: Self.put(value, \.boolValue, in: &dryRun)
        case .alreadyAppliedBy: Self.put(value, \.stringValue, in: &alreadyAppliedBy)
        case .backupNotTaken: Self.putNull(value, in: &backupNotTaken)
        case .backupPath: Self.put(value, \.stringValue, in: &backupPath)
        case .backupSHA256: Self.put(value, \.stringValue, in: &backupSHA256)
        case .backupBytes: Self.put(value, \.intValue, in: &backupBytes)
        case .backupContentSHA256: Self.put(value, \.stringValue, in: &backupContentSHA256)
        case .backupRecipients: Self.put(value, Self.strings, in: &backupRecipients)
        case .runbookPath: Self.put(value, \.stringValue, in: &runbookPath)
        case .runbookSHA256: Self.put(value, \.stringValue, in: &runbookSHA256)
        case .postCounts: Self.put(value, Self.counts, in: &postCounts)
        case .postStateSHA: Self.put(value, \.stringValue, in: &postStateSHA)
        case .closeoutStatement: Self.put(value, \.objectValue, in: &closeoutStatement)
        case .closeoutProvider: Self.put(value, \.stringValue, in: &closeoutProvider)
        case .closeoutSignature: Self.put(value, \.stringValue, in: &closeoutSignature)
        case .closeoutInsecure: Self.put(value, \.boolValue, in: &closeoutInsecure)
        case .exitStatus: Self.put(value, Self.int, in: &exitStatus)
        case .hostName: Self.put(value, \.stringValue, in: &hostName)
        case .userName: Self.put(value, \.stringValue, in: &userName)
        case .repositoryCommit: Self.put(value, \.stringValue, in: &repositoryCommit)
        case .preStateReading: Self.put(value, Self.reading, in: &preStateReading)
        case .hostStateReading: Self.put(value, Self.reading, in: &hostStateReading)
        case .tagName: Self.put(value, \.stringValue, in: &tagName)
        case .tagCreated: Self.put(value, \.boolValue, in: &tagCreated)
        case .restoredFrom: Self.put(value, \.stringValue, in: &restoredFrom)
        case .restoredSHA256: Self.put(value, \.stringValue, in: &restoredSHA256)
        }
    }

    // MARK: - Values

    /// Puts `value` read as `T` in `slot` (nil empties it); false, slot unchanged, when it does not read.
    private static func put<T>(_ value: JSONValue?, _ read: (JSONValue) -> T?, in slot: inout T?) -> Bool {
        guard let value else {
            slot = nil
            return true
        }
        guard let typed = read(value) else { return false }
        slot = typed
        return true
    }

    /// Records whether `value` is null in `flag` (nil clears it); false, flag unchanged, for any other value.
    private static func putNull(_ value: JSONValue?, in flag: inout Bool) -> Bool {
        switch value {
        case nil: flag = false
        case .null?: flag = true
        default: return false
        }
        return true
    }

    private static func int(_ value: Int) -> JSONValue { .int(Int64(value)) }

    private static func int(_ value: JSONValue) -> Int? { value.intValue.flatMap { Int(exactly: $0) } }

    private static func counts(_ counts: [String: Int64]) -> JSONValue { .object(counts.mapValues(JSONValue.int)) }

    /// Rows per table, when every member is an integer.
    private static func counts(_ value: JSONValue) -> [String: Int64]? {
        guard let members = value.objectValue else { return nil }
        let counts = members.compactMapValues(\.intValue)
        return counts.count == members.count ? counts : nil
    }

    /// A probe's reading as journaled: `digest`, with `files` or `output` when kept.
    private static func reading(_ reading: PreStateReading) -> JSONValue {
        var members: [String: JSONValue] = ["digest": .string(reading.digest)]
        if let files = reading.files { members["files"] = .object(files.mapValues(JSONValue.string)) }
        if let output = reading.output { members["output"] = .string(output) }
        return .object(members)
    }

    /// The reading a journaled object is, when it is one exactly (else it stays in ``other``).
    private static func reading(_ value: JSONValue) -> PreStateReading? {
        guard let members = value.objectValue, let digest = members["digest"]?.stringValue else { return nil }
        var reading = PreStateReading(digest: digest)
        if let files = members["files"] {
            guard let object = files.objectValue else { return nil }
            let texts = object.compactMapValues(\.stringValue)
            guard texts.count == object.count else { return nil }
            reading.files = texts
        }
        if let output = members["output"] {
            guard let text = output.stringValue else { return nil }
            reading.output = text
        }
        guard Self.reading(reading) == value else { return nil }
        return reading
    }

    /// Strings, when every element is one.
    private static func strings(_ value: JSONValue) -> [String]? {
        guard let elements = value.arrayValue else { return nil }
        let strings = elements.compactMap(\.stringValue)
        return strings.count == elements.count ? strings : nil
    }
}
