import GatehouseCore
@testable import GatehouseEngine
import Testing

/// What a failed encryption tells the person who reads it: a key to import, or room to make.
struct GnuPGFailureTests {
    private func reason(_ gpgSaid: String) -> String {
        guard case .badBackup(_, let reason) = GnuPG.cannotEncrypt("/state/pack.sqlite.backups/run.sqlite.gpg", to: ["ABCD"], gpgSaid) else {
            Issue.record("not a backup failure")
            return ""
        }
        return reason
    }

    @Test func aRecipientGpgCannotUseAsksForTheKey() {
        let text = reason("ABCD: skipped: No public key")
        #expect(text.contains("import each recipient's public key") && text.hasSuffix("nothing was applied"))
    }

    @Test(arguments: ["error writing to '/state/x': No space left on device", "[stdout]: write error: File too large"])
    func aWriteThatFailsAsksForRoomBesideTheBackup(gpgSaid: String) {
        let text = reason(gpgSaid)
        #expect(text.contains("make room in /state/pack.sqlite.backups and start a new run") && !text.contains("import"))
    }
}
