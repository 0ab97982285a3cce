import Crypto
import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

/// SSHSIG signatures (PROTOCOL.sshsig) checked against a pinned OpenSSH key: vectors that
/// `ssh-keygen -Y sign` made, and security-key signatures built as PROTOCOL.u2f lays them out.
struct SSHSignatureTests {
    static let message = Array("gatehouse-approval-v1\n{\"gate\":\"SG_1\"}".utf8)

    /// Made by `ssh-keygen -t ed25519` and `ssh-keygen -Y sign -n gatehouse` of ``message``.
    static let ed25519Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIADsCzYReVxxUljdYC5yg3d+JijGCBJ+4M23ce4CSQ1d alice@laptop"
    static let ed25519Signature = """
        -----BEGIN SSH SIGNATURE-----
        U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgAOwLNhF5XHFSWN1gLnKDd34mKM
        YIEn7gzbdx7gJJDV0AAAAJZ2F0ZWhvdXNlAAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1l
        ZDI1NTE5AAAAQEW7UXlc0Uvn0RloWX3wYxmTGz/FLW1j5v0Da74tQeNmAPgpHdzvGysJ3T
        Dl4fVbAwx1WOAk8nCPiLEBjJrqzA0=
        -----END SSH SIGNATURE-----
        """

    /// Made by `ssh-keygen -t ecdsa -b 256` and `ssh-keygen -Y sign -n gatehouse` of ``message``.
    static let ecdsaKey = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBLEV1HD0ShjJIqzYCwhm51uCTboD2cBRE/M6ahGbazb973hJQwFXF4jhoV0cQ8MyPeItaPW+xSUmtMuQv99LpSk= bob@laptop"
    static let ecdsaSignature = """
        -----BEGIN SSH SIGNATURE-----
        U1NIU0lHAAAAAQAAAGgAAAATZWNkc2Etc2hhMi1uaXN0cDI1NgAAAAhuaXN0cDI1NgAAAE
        EEsRXUcPRKGMkirNgLCGbnW4JNugPZwFET8zpqEZtrNv3veElDAVcXiOGhXRxDwzI94i1o
        9b7FJSa0y5C/30ulKQAAAAlnYXRlaG91c2UAAAAAAAAABnNoYTUxMgAAAGMAAAATZWNkc2
        Etc2hhMi1uaXN0cDI1NgAAAEgAAAAgKleDyN0o8n+kmBUNs9AbDCffObjIrWK8jEVVJ19t
        ysQAAAAgYj4wusoEL+5lgbqnc56VLTHXTPO07R4qwzfnNoYIiTw=
        -----END SSH SIGNATURE-----
        """

    private func refusal(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    @Test(arguments: [(ed25519Key, ed25519Signature), (ecdsaKey, ecdsaSignature)])
    func aSignatureOpenSSHMadeVerifiesAgainstThePinnedKey(key: String, armored: String) throws {
        let pinned = try SSHPublicKey(line: key)
        let signature = try SSHSignature(armored: armored)
        try signature.verify(message: Self.message, namespace: "gatehouse", by: pinned)
        #expect(signature.armored == armored + "\n")
    }

    @Test func anotherMessageAnotherNamespaceOrAnotherKeyIsRefused() throws {
        let signature = try SSHSignature(armored: Self.ed25519Signature)
        let alice = try SSHPublicKey(line: Self.ed25519Key)
        let other = refusal { try signature.verify(message: Self.message + [0x20], namespace: "gatehouse", by: alice) }
        #expect(other == "the ed25519 signature does not verify against the pinned key")
        let namespace = refusal { try signature.verify(message: Self.message, namespace: "file", by: alice) }
        #expect(namespace == "it was made for the namespace 'gatehouse', not 'file'")
        let bob = try SSHPublicKey(line: Self.ecdsaKey)
        let key = refusal { try signature.verify(message: Self.message, namespace: "gatehouse", by: bob) }
        #expect(key?.hasPrefix("it was made by \(alice.fingerprint), not the pinned key \(bob.fingerprint)") == true)
    }

    @Test func everyEditedByteOfTheSignatureIsRefused() throws {
        let pinned = try SSHPublicKey(line: Self.ecdsaKey)
        let blob = try SSHSignature(armored: Self.ecdsaSignature).blob
        for index in blob.indices {
            var edited = blob
            edited[index] ^= 0x01
            let refused = refusal { try SSHSignature(blob: edited).verify(message: Self.message, namespace: "gatehouse", by: pinned) }
            #expect(refused != nil, "byte \(index) edited still verifies")
        }
    }

    @Test func aKeyLineIsReadAsOpenSSHWritesIt() throws {
        let key = try SSHPublicKey(line: Self.ed25519Key)
        #expect(key.typeName == "ssh-ed25519" && key.comment == "alice@laptop" && !key.isSecurityKey)
        #expect(key.line == String(Self.ed25519Key.dropLast(" alice@laptop".count)))
        // As `ssh-keygen -lf ed.pub` prints it
        #expect(key.fingerprint.hasPrefix("SHA256:") && key.fingerprint.count == 50)
        #expect(refusal { _ = try SSHPublicKey(line: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ") }?.contains("is not accepted") == true)
        #expect(refusal { _ = try SSHPublicKey(line: "ecdsa-sha2-nistp256 " + Self.ed25519Key.split(separator: " ")[1]) }
            == "the line says ecdsa-sha2-nistp256 but its key is a ssh-ed25519")
        #expect(refusal { _ = try SSHPublicKey(line: "ssh-ed25519 AAAA") }?.contains("malformed") == true)
        #expect(refusal { _ = try SSHPublicKey(line: "alice") }?.contains("TYPE BASE64") == true)
    }

    // MARK: - Security keys (PROTOCOL.u2f), built with software keys

    @Test(arguments: [SoftwareSecurityKey.Curve.ed25519, .p256])
    func aTouchedSecurityKeysSignatureVerifies(curve: SoftwareSecurityKey.Curve) throws {
        let key = SoftwareSecurityKey(curve: curve)
        #expect(key.publicKey.isSecurityKey)
        try key.sign(Self.message).verify(message: Self.message, namespace: "gatehouse", by: key.publicKey)
        // With user verification (0x04) as well as presence
        try key.sign(Self.message, flags: 0x05).verify(message: Self.message, namespace: "gatehouse", by: key.publicKey)
    }

    @Test(arguments: [SoftwareSecurityKey.Curve.ed25519, .p256])
    func aFlippedFlagByteIsRefused(curve: SoftwareSecurityKey.Curve) throws {
        let key = SoftwareSecurityKey(curve: curve)
        // Signed as touched, reported as not: presence is missing
        let untouched = refusal { try key.sign(Self.message, reportedFlags: 0x00).verify(message: Self.message, namespace: "gatehouse", by: key.publicKey) }
        #expect(untouched?.contains("did not confirm that a person touched it") == true)
        // Signed without a touch, reported as touched: the signature no longer covers its flags
        let forged = refusal { try key.sign(Self.message, flags: 0x00, reportedFlags: 0x01).verify(message: Self.message, namespace: "gatehouse", by: key.publicKey) }
        #expect(forged?.contains("does not verify against the pinned key") == true)
        // An honest untouched signature is refused too
        let honest = refusal { try key.sign(Self.message, flags: 0x00).verify(message: Self.message, namespace: "gatehouse", by: key.publicKey) }
        #expect(honest?.contains("did not confirm that a person touched it") == true)
    }

    @Test(arguments: [SoftwareSecurityKey.Curve.ed25519, .p256])
    func aWrongApplicationStringIsRefused(curve: SoftwareSecurityKey.Curve) throws {
        let key = SoftwareSecurityKey(curve: curve)
        let other = refusal { try key.sign(Self.message, signedApplication: "ssh:other").verify(message: Self.message, namespace: "gatehouse", by: key.publicKey) }
        #expect(other?.contains("does not verify against the pinned key") == true)
        // A key whose application is not an SSH one is not accepted as a sovereign's at all
        var web = SSHWireWriter()
        web.string("sk-ssh-ed25519@openssh.com")
        web.string(Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation))
        web.string("https://example.com")
        #expect(refusal { _ = try SSHPublicKey(blob: web.bytes) }?.contains("does not begin with ssh:") == true)
    }

    @Test func aSovereignPinnedByASecurityKeyIsKnownToWaitForATouch() {
        let touch = Sovereign(name: "a", provider: "ssh", publicKey: SoftwareSecurityKey(curve: .p256).publicKey.line, gates: ["SG_1"])
        let plain = Sovereign(name: "a", provider: "ssh", publicKey: Self.ed25519Key, gates: ["SG_1"])
        #expect(touch.signsWithSecurityKey && !plain.signsWithSecurityKey)
        #expect(!Sovereign(name: "a", provider: "stub", publicKey: nil, gates: ["SG_1"]).signsWithSecurityKey)
    }

    @Test func aTruncatedSignatureIsRefusedNotTrapped() throws {
        let blob = try SSHSignature(armored: Self.ed25519Signature).blob
        for length in 0..<blob.count {
            #expect(throws: SSHSignature.Refused.self) { try SSHSignature(blob: Array(blob.prefix(length))) }
        }
    }
}
