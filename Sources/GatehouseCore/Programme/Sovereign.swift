/// A person who may sign sovereign gates, with the key their signatures verify against.
public struct Sovereign: Sendable, Equatable, Codable {
    public var name: String
    /// `stub` (no key: INSECURE, for demos), `ed25519`, `ssh` or `openpgp`.
    public var provider: String
    /// For `ed25519`: `ed25519:` and the base64 public key (`gatehouse keygen` prints it); for
    /// `ssh`, the key's `.pub` line; for `openpgp`, the key's fingerprint.
    public var publicKey: String?
    /// The gates this sovereign may approve or reject.
    public var gates: [String]
    /// For `openpgp`: the armoured public key whose fingerprint is ``publicKey``.
    public var openPGPKey: String?

    public init(name: String, provider: String, publicKey: String?, gates: [String], openPGPKey: String? = nil) {
        self.name = name
        self.provider = provider
        self.publicKey = publicKey
        self.gates = gates
        self.openPGPKey = openPGPKey
    }
}

extension Sovereign {
    /// Whether this sovereign's signatures are made by a FIDO security key, which waits for
    /// its owner's touch (an `ssh` sovereign pinned by an `sk-` key).
    public var signsWithSecurityKey: Bool {
        guard provider == SSHSigning.providerName, let line = publicKey, let key = try? SSHPublicKey(line: line) else { return false }
        return key.isSecurityKey
    }

    /// What a signer is told before a security key waits for their touch (the agent waits
    /// silently, up to its 60 s timeout).
    public static let touchPrompt = "touch your security key to sign (nothing is recorded after 60 s)"
}

extension RunState {
    /// Whether `name` signs for this run with a security key, which waits for a touch.
    public func signsWithSecurityKey(_ name: String) -> Bool {
        start.sovereigns.first { $0.name == name }?.signsWithSecurityKey == true
    }
}

/// How decisions at sovereign gates are constrained.
public struct ApprovalRules: Sendable, Equatable, Codable {
    /// SG_1 and SG_2 (every gate of a run) must be approved by different sovereigns.
    public var twoPersonRule: Bool
    /// Whether the run's operator may approve their own run.
    public var operatorMayApprove: Bool
    /// For gates listed here: a decision signed longer ago than this many seconds is refused.
    public var expirySeconds: [String: Int]

    public init(twoPersonRule: Bool = false, operatorMayApprove: Bool = true, expirySeconds: [String: Int] = [:]) {
        self.twoPersonRule = twoPersonRule
        self.operatorMayApprove = operatorMayApprove
        self.expirySeconds = expirySeconds
    }
}

extension Sovereign {
    /// The sovereign as pinned in a run's `run.started` event.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["name": .string(name), "provider": .string(provider),
                                            "gates": .array(gates.map(JSONValue.string))]
        if let publicKey { members["public_key"] = .string(publicKey) }
        if let openPGPKey { members["openpgp_key"] = .string(openPGPKey) }
        return .object(members)
    }

    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, let provider = json["provider"]?.stringValue,
              let gates = json["gates"]?.arrayValue?.compactMap(\.stringValue) else { return nil }
        self.init(name: name, provider: provider, publicKey: json["public_key"]?.stringValue, gates: gates,
                  openPGPKey: json["openpgp_key"]?.stringValue)
    }
}

extension ApprovalRules {
    /// The rules as pinned in a run's `run.started` event.
    public var json: JSONValue {
        .object([
            "two_person_rule": .bool(twoPersonRule), "operator_may_approve": .bool(operatorMayApprove),
            "expiry_s": .object(expirySeconds.mapValues { .int(Int64($0)) }),
        ])
    }

    public init?(json: JSONValue) {
        guard let twoPerson = json["two_person_rule"]?.boolValue, let operatorMay = json["operator_may_approve"]?.boolValue else { return nil }
        let expiry = json["expiry_s"]?.objectValue?.compactMapValues { $0.intValue.map(Int.init) } ?? [:]
        self.init(twoPersonRule: twoPerson, operatorMayApprove: operatorMay, expirySeconds: expiry)
    }
}
