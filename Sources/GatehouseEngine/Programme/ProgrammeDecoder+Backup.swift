import GatehouseCore

/// The `backup:` section: the OpenPGP keys a LIVE run's backup is encrypted to.
extension ProgrammeDecoder {
    /// `backup: {recipients: [FINGERPRINT, ...]}`: each a key's full fingerprint (40 hex digits,
    /// or 64 for a v5 key; spaces allowed, as `gpg --fingerprint` prints them), upper-cased.
    func decodeBackupRecipients(_ node: YAMLNode) -> [String]? {
        guard let map = read.mapping(node, "'backup'") else { return nil }
        defer { map.finish() }
        guard let listNode = map.required("recipients"), let list = read.list(listNode, "the recipients of 'backup'") else { return nil }
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
