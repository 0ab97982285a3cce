import Foundation
import GatehouseCore

/// The `sovereigns:` and `approvals:` sections: who signs the gates, and the rules they sign by.
extension ProgrammeDecoder {
    func decodeSovereign(_ node: YAMLNode) -> Sovereign? {
        guard let map = read.mapping(node, "a sovereign") else { return nil }
        defer { map.finish() }
        let name = map.required("name").flatMap { declare(.sovereign, $0) }
        let what = "sovereign '\(name ?? "?")'"
        let providerNode = map.required("provider")
        let provider = providerNode.flatMap { read.text($0, "the provider of \(what)") }
        let providers = [StubSigning.providerName, Ed25519Signing.providerName, SSHSigning.providerName, OpenPGPSigning.providerName]
        if let provider, let providerNode, !providers.contains(provider) {
            read.error(providerNode, "the provider of \(what) must be 'stub', 'ed25519', 'ssh' or 'openpgp', found \(NodeReader.quoted(provider))")
        }
        let keyNode = map.optional("public_key")
        let written = keyNode.flatMap { read.text($0, "the public key of \(what)") }
        let armored = openPGPKey(in: map, provider: provider, what: what)
        let key = checkedKey(written, at: keyNode, of: node, provider: provider, armored: armored, what: what, name: name)
        let gates = map.required("gates").flatMap { node -> [String]? in
            guard let items = read.list(node, "the gates \(what) may sign") else { return nil }
            if items.isEmpty { read.error(node, "\(what) may sign no gate; list at least one") }
            return items.compactMap { reference(.gate, $0, "a gate \(what) may sign") }
        }
        guard let name, let provider, let gates else { return nil }
        return Sovereign(name: name, provider: provider, publicKey: key, gates: gates, openPGPKey: armored.text)
    }

    /// The public key as `provider` pins it (an OpenPGP fingerprint in upper case), each
    /// mistake reported where it is: a key missing, malformed, or where the stub has none.
    private func checkedKey(_ key: String?, at keyNode: YAMLNode?, of node: YAMLNode, provider: String?,
                            armored: (text: String?, node: YAMLNode?), what: String, name: String?) -> String? {
        switch provider {
        case Ed25519Signing.providerName?:
            if keyNode == nil {
                read.error(node, "\(what) signs with ed25519 and needs 'public_key' (print one with `gatehouse keygen \(name ?? "NAME")`)")
            } else if let key, let keyNode, Ed25519Signing.publicKey(fromText: key) == nil {
                read.error(keyNode, "the public key of \(what) must be 'ed25519:' and 32 bytes in base64, as `gatehouse keygen` prints it")
            }
        case SSHSigning.providerName?:
            if keyNode == nil {
                read.error(node, "\(what) signs with ssh and needs 'public_key': the line of the key's .pub file (ssh-ed25519 AAAA… \(name ?? "name")@host)")
            } else if let key, let keyNode {
                do { _ = try SSHPublicKey(line: key) } catch {
                    read.error(keyNode, "the public key of \(what) is not an OpenSSH key Gatehouse accepts: \(error)")
                }
            }
        case OpenPGPSigning.providerName?:
            return checkedFingerprint(key, at: keyNode, of: node, armored: armored, what: what)
        case StubSigning.providerName?:
            if let keyNode { read.error(keyNode, "\(what) signs with the stub, which has no key; remove 'public_key' or use provider ed25519") }
        default:
            break
        }
        return key
    }

    /// An OpenPGP sovereign's fingerprint, in upper case, and the armoured key it must name.
    private func checkedFingerprint(_ key: String?, at keyNode: YAMLNode?, of node: YAMLNode,
                                    armored: (text: String?, node: YAMLNode?), what: String) -> String? {
        var fingerprint: String?
        if let keyNode, let key {
            if key.count == 40, key.allSatisfy(\.isHexDigit) {
                fingerprint = key.uppercased()
            } else {
                read.error(keyNode, "the public key of \(what) must be the OpenPGP key's fingerprint, 40 hex digits (`gpg --fingerprint`)")
            }
        } else if keyNode == nil {
            read.error(node, "\(what) signs with openpgp and needs 'public_key': the key's fingerprint, 40 hex digits")
        }
        guard let armoredNode = armored.node else {
            read.error(node, "\(what) signs with openpgp and needs 'openpgp_key': the armoured public key (`gpg --armor --export FINGERPRINT`), or 'openpgp_key_file' naming a file that holds it")
            return fingerprint ?? key
        }
        guard let text = armored.text else { return fingerprint ?? key }
        do {
            let parsed = try OpenPGPKey(armored: text)
            if let fingerprint, parsed.fingerprint != fingerprint {
                read.error(armoredNode, "the OpenPGP key of \(what) is \(parsed.fingerprint), not the fingerprint \(fingerprint) in 'public_key'")
            }
        } catch {
            read.error(armoredNode, "the OpenPGP key of \(what) cannot be used: \(error)")
        }
        return fingerprint ?? key
    }

    /// The armoured OpenPGP key given inline (`openpgp_key`) or in a file beside the programme
    /// (`openpgp_key_file`), and the node that gave it; only an openpgp sovereign gives one.
    private func openPGPKey(in map: NodeReader.Mapping, provider: String?, what: String) -> (text: String?, node: YAMLNode?) {
        let inlineNode = map.optional("openpgp_key")
        let fileNode = map.optional("openpgp_key_file")
        var text = inlineNode.flatMap { read.text($0, "the OpenPGP key of \(what)") }
        if let fileNode, let file = read.text(fileNode, "the OpenPGP key file of \(what)") {
            if inlineNode != nil {
                read.error(fileNode, "\(what) gives both 'openpgp_key' and 'openpgp_key_file'; keep one")
            } else if let contents = readKeyFile(file) {
                text = contents
            } else {
                read.error(fileNode, "the OpenPGP key file \(NodeReader.quoted(file)) of \(what) cannot be read "
                           + "(a path relative to the programme file; write it with `gpg --armor --export FINGERPRINT > FILE`)")
            }
        }
        let node = inlineNode ?? fileNode
        if let node, provider != OpenPGPSigning.providerName {
            read.error(node, "'openpgp_key' is for a sovereign whose provider is openpgp; \(what)'s is \(provider ?? "?")")
        }
        return (text, node)
    }

    /// The text of the file at `path`, relative to the programme's folder; nil when there is
    /// none (a programme that is not a file names no files) or it cannot be read.
    private func readKeyFile(_ path: String) -> String? {
        guard let directory else { return nil }
        let full = path.hasPrefix("/") ? path : (directory.isEmpty ? path : directory + "/" + path)
        return try? String(contentsOfFile: full, encoding: .utf8)
    }

    func decodeApprovalRules(_ node: YAMLNode) -> ApprovalRules? {
        guard let map = read.mapping(node, "'approvals'") else { return nil }
        defer { map.finish() }
        var rules = ApprovalRules()
        if let value = map.optional("two_person_rule").flatMap({ read.boolean($0, "'two_person_rule'") }) { rules.twoPersonRule = value }
        if let value = map.optional("operator_may_approve").flatMap({ read.boolean($0, "'operator_may_approve'") }) {
            rules.operatorMayApprove = value
        }
        if let expiryNode = map.optional("expiry"), let expiry = read.mapping(expiryNode, "'expiry' (gate: seconds)") {
            for (gate, keyNode) in expiry.keys {
                _ = reference(.gate, keyNode, "a gate in 'expiry'")
                if let valueNode = expiry.optional(gate), let seconds = read.integer(valueNode, "the expiry of \(gate) (seconds)", in: 1...31_536_000) {
                    rules.expirySeconds[gate] = seconds
                }
            }
            expiry.finish()
        }
        return rules
    }
}
