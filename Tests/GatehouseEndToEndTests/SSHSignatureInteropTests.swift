import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

/// Security-key signatures as Gatehouse lays them out are what OpenSSH reads: the real
/// `ssh-keygen -Y verify` accepts them against the pinned key line, and refuses edited flags.
struct SSHSignatureInteropTests {
    private let message = Array("gatehouse-approval-v1\n{\"gate\":\"SG_2\",\"run\":\"r\"}".utf8)

    /// `ssh-keygen -Y verify`'s exit status and output for `signature` of ``message``, pinned as `key`.
    private func openSSHVerify(_ signature: SSHSignature, key: SSHPublicKey) throws -> (status: Int32, output: String) {
        try OpenSSHVerify.run(signature, of: message, by: key.line, namespace: "gatehouse")
    }

    @Test(arguments: [SoftwareSecurityKey.Curve.ed25519, .p256])
    func openSSHAcceptsASecurityKeySignatureAsGatehouseLaysItOut(curve: SoftwareSecurityKey.Curve) throws {
        let key = SoftwareSecurityKey(curve: curve)
        let touched = try key.sign(message)
        try touched.verify(message: message, namespace: "gatehouse", by: key.publicKey)
        let accepted = try openSSHVerify(touched, key: key.publicKey)
        #expect(accepted.status == 0 && accepted.output.contains("Good \"gatehouse\" signature for alice"), "\(accepted.output)")
        // A flag byte edited after signing: both refuse it
        let forged = try key.sign(message, flags: 0x00, reportedFlags: 0x01)
        #expect(try openSSHVerify(forged, key: key.publicKey).status != 0)
        #expect(throws: SSHSignature.Refused.self) { try forged.verify(message: message, namespace: "gatehouse", by: key.publicKey) }
        // An honest signature made without a touch: `ssh-keygen -Y verify` leaves presence to
        // its caller and accepts it; Gatehouse, whose sovereign must have touched the key, does not
        let untouched = try key.sign(message, flags: 0x00)
        #expect(try openSSHVerify(untouched, key: key.publicKey).status == 0)
        #expect(throws: SSHSignature.Refused.self) { try untouched.verify(message: message, namespace: "gatehouse", by: key.publicKey) }
    }
}
