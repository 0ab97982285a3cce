import Crypto

/// The seed's StubSigning: a deterministic digest in place of a signature. No secret, so
/// anyone can forge it; every screen and record that shows it says INSECURE.
public enum StubSigning {
    /// The provider's name as journaled.
    public static let providerName = "stub"

    /// The "signature" of a statement: `stub-sha256:` and the SHA-256 of its canonical JSON.
    public static func sign(_ statement: [String: JSONValue]) -> String {
        "stub-sha256:" + sha256Hex("gatehouse-stub-signing-v1\n" + JSONValue.object(statement).canonical)
    }

    /// Whether `signature` is the stub signature of `statement`.
    public static func verify(_ signature: String, of statement: [String: JSONValue]) -> Bool {
        signature == sign(statement)
    }

    /// Whether `signature` is the stub signature of the statement whose canonical JSON is `canonical`.
    public static func verify(_ signature: String, canonical: String) -> Bool {
        signature == "stub-sha256:" + sha256Hex("gatehouse-stub-signing-v1\n" + canonical)
    }
}

/// SHA-256 of a text's UTF-8 bytes, in lower-case hex.
public func sha256Hex(_ text: String) -> String {
    sha256Hex(utf8: text)
}

/// SHA-256 of bytes, in lower-case hex.
public func sha256Hex(bytes: [UInt8]) -> String {
    hex(SHA256.hash(data: bytes))
}

/// SHA-256 of a string's UTF-8 bytes, in lower-case hex, without copying them first.
private func sha256Hex(utf8 text: String) -> String {
    var text = text
    return text.withUTF8 { hex(SHA256.hash(data: $0)) }
}

/// A SHA-256 digest (of a file read in pieces, say) in lower-case hex.
public func sha256Hex(digest: SHA256.Digest) -> String {
    hex(digest)
}

/// Bytes as lower-case hex.
private func hex(_ digest: SHA256.Digest) -> String {
    digest.withUnsafeBytes { bytes in
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (index, byte) in bytes.enumerated() {
                out[2 * index] = hexDigits[Int(byte >> 4)]
                out[2 * index + 1] = hexDigits[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }
}

/// The lower-case hex digits, by value (hashes and JSON's `\u00XX` escapes).
let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
