import Foundation

/// Signatures by an OpenPGP key through `gpg` (so an OpenPGP smartcard works), over approval
/// statements: detached signatures by the pinned fingerprint, checked in-process against the
/// pinned public key.
///
/// A sovereign is pinned by the key's fingerprint and its armoured public key (inline or in a
/// file the programme names); the run pins both. What is signed is
/// ``ApprovalStatement/signedBytes(_:)``; a signature is journaled as `openpgp:` and the base64
/// of its signature packet.
public enum OpenPGPSigning {
    /// The provider's name as journaled.
    public static let providerName = "openpgp"

    /// The journaled text of a signature packet.
    public static func text(_ packet: [UInt8]) -> String {
        "openpgp:" + Data(packet).base64EncodedString()
    }

    /// The signature packet a journaled text holds, or nil.
    public static func packet(fromText text: String) -> [UInt8]? {
        guard text.hasPrefix("openpgp:"), let data = Data(base64Encoded: String(text.dropFirst(8))) else { return nil }
        return Array(data)
    }

    /// Whether `signature` is `sovereign`'s (their pinned key's) over `statement`.
    public static func verify(_ signature: String, of statement: [String: JSONValue], by sovereign: Sovereign) -> Bool {
        verify(signature, signedBytes: ApprovalStatement.signedBytes(statement), by: sovereign)
    }

    /// Whether `signature` is `sovereign`'s over the statement whose canonical JSON is `canonical`.
    public static func verify(_ signature: String, canonical: String, by sovereign: Sovereign) -> Bool {
        verify(signature, signedBytes: ApprovalStatement.signedBytes(canonical: canonical), by: sovereign)
    }

    private static func verify(_ signature: String, signedBytes: [UInt8], by sovereign: Sovereign) -> Bool {
        guard let armored = sovereign.openPGPKey, let key = try? OpenPGPKey(armored: armored), key.fingerprint == sovereign.publicKey,
              let packet = packet(fromText: signature) else { return false }
        return (try? OpenPGPSignature.verify(packet, message: signedBytes, by: key)) != nil
    }
}
