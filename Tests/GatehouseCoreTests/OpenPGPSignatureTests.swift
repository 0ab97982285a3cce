import Foundation
import GatehouseCore
import Testing

/// OpenPGP detached signatures checked in-process against a pinned public key, on a vector the
/// real gpg made (`gpg --quick-generate-key … future-default`, then `gpg --detach-sign`).
struct OpenPGPSignatureTests {
    static let message = Array("gatehouse-approval-v1\n{\"gate\":\"SG_1\"}".utf8)
    static let fingerprint = "C133A5FB33A933484D13E85D9207F9FE99B35364"
    static let key = """
        -----BEGIN PGP PUBLIC KEY BLOCK-----

        mDMEaxMXBxYJKwYBBAHaRw8BAQdAgkNXPg+XmsWwb/9aJBsjJxM2ZZdsrcIyXk6v
        RQqyKfW0I0JvYiBTb3ZlcmVpZ24gPGJvYkBleGFtcGxlLmludmFsaWQ+iJAEExYI
        ADgWIQTBM6X7M6kzSE0T6F2SB/n+mbNTZAUCaxMXBwIbAwULCQgHAgYVCgkICwIE
        FgIDAQIeAQIXgAAKCRCSB/n+mbNTZI4XAP4jljjXQveSqMl3ize+Zb5VbvDw2ZmG
        OSD+s11qCNbxzAEAxku+dzCXXBc+/upgRoZCGinsPK16DMcluyLQagkGeQC4OARr
        ExcHEgorBgEEAZdVAQUBAQdAXwbHIKr22qpgXBK+MGBCP1a46uo4bKnvhCOXpyCg
        iHsDAQgHiHgEGBYIACAWIQTBM6X7M6kzSE0T6F2SB/n+mbNTZAUCaxMXBwIbDAAK
        CRCSB/n+mbNTZHbKAP9YWofEUBhcv3gMX1JcOXAsL4K2JFMlRs5Fs4Mog35eGQEA
        hAQPbFZF2F3QktARGhE+BeEEctnMZfQJsFsiSuonCAA=
        =B3QM
        -----END PGP PUBLIC KEY BLOCK-----
        """
    static let signature = Array(Data(base64Encoded: "iHUEABYIAB0WIQTBM6X7M6kzSE0T6F2SB/n+mbNTZAUCaxMXBwAKCRCSB/n+mbNTZEgfAQCXLb0hcjN6q5IUNVAwq0dVxlb9k7n6k04EyCKRVVFw1QD/drZRFDTmT4bWHiWP/bDG3W6AJERKXnPsVqsTlAmHuwE=")!)

    @Test func aSignatureGpgMadeVerifiesAgainstThePinnedKey() throws {
        let key = try OpenPGPKey(armored: Self.key)
        #expect(key.fingerprint == Self.fingerprint)
        try OpenPGPSignature.verify(Self.signature, message: Self.message, by: key)
        let bob = Sovereign(name: "bob", provider: "openpgp", publicKey: Self.fingerprint, gates: ["SG_1"], openPGPKey: Self.key)
        #expect(OpenPGPSigning.verify(OpenPGPSigning.text(Self.signature), canonical: "{\"gate\":\"SG_1\"}", by: bob))
    }

    @Test func anotherMessageAnEditedByteOrAnotherPinnedFingerprintIsRefused() throws {
        let key = try OpenPGPKey(armored: Self.key)
        #expect(throws: OpenPGPKey.Refused.self) { try OpenPGPSignature.verify(Self.signature, message: Self.message + [0x20], by: key) }
        for index in Self.signature.indices {
            var edited = Self.signature
            edited[index] ^= 0x01
            #expect(throws: OpenPGPKey.Refused.self, "byte \(index) edited still verifies") {
                try OpenPGPSignature.verify(edited, message: Self.message, by: key)
            }
        }
        // The key block names another fingerprint than the one pinned: not bob's
        let other = Sovereign(name: "bob", provider: "openpgp", publicKey: String(repeating: "AB", count: 20), gates: ["SG_1"], openPGPKey: Self.key)
        #expect(!OpenPGPSigning.verify(OpenPGPSigning.text(Self.signature), canonical: "{\"gate\":\"SG_1\"}", by: other))
    }

    @Test func aKeyGatehouseCannotCheckIsRefusedSayingWhy() {
        #expect(throws: OpenPGPKey.Refused.self) { try OpenPGPKey(armored: "ssh-ed25519 AAAA") }
        // An RSA primary key (version 4, algorithm 1), cut short after its algorithm
        let rsa = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + Data([0x98, 0x08, 0x04, 0x5F, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00]).base64EncodedString()
            + "\n-----END PGP PUBLIC KEY BLOCK-----\n"
        do {
            _ = try OpenPGPKey(armored: rsa)
            Issue.record("an RSA key was accepted")
        } catch {
            #expect(error.description.contains("its primary key is RSA; Gatehouse checks OpenPGP signatures made by Ed25519 keys"))
        }
    }
}
