/// A restore drill of a LIVE run's backup (`gatehouse restore RUN --drill`): the backup
/// decrypted into a scratch copy and read, its content SHA-256 against the run's pre-state;
/// the target untouched.
///
/// Journaled as `backup.drilled` on the run; the SG_2 review shows the last one.
public struct RestoreDrill: Sendable, Equatable, Codable {
    /// Who ran it.
    public var by: String
    /// The backup file drilled.
    public var backup: String
    /// The content SHA-256 the scratch copy held; nil when it could not be read (`detail` says why).
    public var contentSHA256: String?
    /// The run's pre-state SHA-256 it must equal.
    public var expectedSHA256: String?
    /// Why it failed, or other words on what was found.
    public var detail: String

    public init(by: String, backup: String, contentSHA256: String?, expectedSHA256: String?, detail: String = "") {
        self.by = by
        self.backup = backup
        self.contentSHA256 = contentSHA256
        self.expectedSHA256 = expectedSHA256
        self.detail = detail
    }

    /// Whether the backup reproduced the pre-state.
    public var passed: Bool { contentSHA256 != nil && contentSHA256 == expectedSHA256 }

    /// One line: `passed: the backup holds the pre-state (SHA-256 3fc8040a4768…)`.
    public var summary: String {
        if passed { return "passed: the backup holds the pre-state (SHA-256 \(contentSHA256!.prefix(12))…)" }
        if let contentSHA256 {
            return "FAILED: the backup holds SHA-256 \(contentSHA256.prefix(12))…, not the pre-state \(expectedSHA256.map { String($0.prefix(12)) + "…" } ?? "(none recorded)")"
        }
        return "FAILED: \(detail)"
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["by": .string(by), "backup": .string(backup), "detail": .string(detail),
                                            "passed": .bool(passed)]
        if let contentSHA256 { members["content_sha256"] = .string(contentSHA256) }
        if let expectedSHA256 { members["expected_sha256"] = .string(expectedSHA256) }
        return .object(members)
    }

    /// The drill `members` records, or nil when a member is missing or of the wrong type.
    init?(_ members: (String) -> JSONValue?) {
        guard let by = members("by")?.stringValue, let backup = members("backup")?.stringValue,
              let detail = members("detail")?.stringValue else { return nil }
        let content = members("content_sha256"), expected = members("expected_sha256")
        guard content == nil || content?.stringValue != nil, expected == nil || expected?.stringValue != nil else { return nil }
        self.init(by: by, backup: backup, contentSHA256: content?.stringValue, expectedSHA256: expected?.stringValue, detail: detail)
    }
}
