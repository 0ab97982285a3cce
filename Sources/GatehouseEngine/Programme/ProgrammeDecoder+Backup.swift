import GatehouseCore

/// The `backup:` section: the OpenPGP keys a LIVE run's backup is encrypted to, and whether
/// its drill must pass before SG_2.
extension ProgrammeDecoder {
    /// `backup: {recipients: [FINGERPRINT, ...], require_drill: BOOL}`: each recipient a key's
    /// full fingerprint (40 hex digits, or 64 for a v5 key; spaces allowed, as
    /// `gpg --fingerprint` prints them), upper-cased; `require_drill` false when left out.
    func decodeBackup(_ node: YAMLNode) -> (recipients: [String], drillRequired: Bool)? {
        guard let map = read.mapping(node, "'backup'") else { return nil }
        defer { map.finish() }
        let drillRequired = map.optional("require_drill").flatMap { read.boolean($0, "'require_drill' of 'backup'") } ?? false
        guard let recipients = map.required("recipients").flatMap({ decodeRecipients($0) }) else { return nil }
        return (recipients, drillRequired)
    }

    /// The recipients' fingerprints, each once.
    private func decodeRecipients(_ listNode: YAMLNode) -> [String]? {
        guard let list = read.list(listNode, "the recipients of 'backup'") else { return nil }
        guard !list.isEmpty else {
            read.error(listNode, "'backup' names no recipients; give the fingerprint of each OpenPGP key that may decrypt a backup, or leave 'backup' out")
            return nil
        }
        var recipients: [String] = []
        for item in list {
            guard let text = read.text(item, "a recipient of 'backup'") else { continue }
            let fingerprint = text.filter { $0 != " " }.uppercased()
            guard [40, 64].contains(fingerprint.count), fingerprint.allSatisfy(\.isHexDigit) else {
                read.error(item, "'\(text)' is not a key fingerprint; give the full fingerprint `gpg --fingerprint KEY` prints (40 hex digits)")
                continue
            }
            guard !recipients.contains(fingerprint) else {
                read.error(item, "recipient \(fingerprint) is named twice")
                continue
            }
            recipients.append(fingerprint)
        }
        return recipients
    }
}
