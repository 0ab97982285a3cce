import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

/// Keys and signatures come from programme files and journals a person may have edited: every
/// mangled one is refused as a value, never a crash, and none of them verifies.
struct SignatureParsingFuzzTests {
    /// `bytes` with up to four random bytes changed, a random cut or a random run inserted.
    private static func mangle(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var out = bytes
        switch random.next() % 3 {
        case 0:
            for _ in 0...(random.next() % 4) where !out.isEmpty { out[Int(random.next() % UInt64(out.count))] = UInt8(truncatingIfNeeded: random.next()) }
        case 1:
            out = Array(out.prefix(Int(random.next() % UInt64(out.count + 1))))
        default:
            let at = Int(random.next() % UInt64(out.count + 1))
            out.insert(contentsOf: (0..<(random.next() % 8 + 1)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        }
        return out
    }

    @Test func mangledSSHKeysAndSignaturesAreRefusedAndNeverVerify() throws {
        let key = try SSHPublicKey(line: SSHSignatureTests.ed25519Key)
        let blob = try SSHSignature(armored: SSHSignatureTests.ed25519Signature).blob
        var random = SplitMix64(seed: 0x55_48_53_49_47)
        for _ in 0..<3000 {
            _ = try? SSHPublicKey(blob: Self.mangle(key.blob, &random))
            let mangled = Self.mangle(blob, &random)
            guard mangled != blob, let signature = try? SSHSignature(blob: mangled) else { continue }
            #expect(throws: SSHSignature.Refused.self) {
                try signature.verify(message: SSHSignatureTests.message, namespace: "gatehouse", by: key)
            }
        }
    }

    @Test func mangledOpenPGPKeysAndSignaturesAreRefusedAndNeverVerify() throws {
        let key = try OpenPGPKey(armored: OpenPGPSignatureTests.key)
        let armoured = Array(OpenPGPSignatureTests.key.utf8)
        var random = SplitMix64(seed: 0x4F_50_47_50)
        for _ in 0..<3000 {
            _ = try? OpenPGPKey(armored: String(decoding: Self.mangle(armoured, &random), as: UTF8.self))
            let mangled = Self.mangle(OpenPGPSignatureTests.signature, &random)
            guard mangled != OpenPGPSignatureTests.signature else { continue }
            #expect(throws: OpenPGPKey.Refused.self) {
                try OpenPGPSignature.verify(mangled, message: OpenPGPSignatureTests.message, by: key)
            }
        }
    }
}
