import Foundation
import GatehouseCore
import Testing
@testable import GatehouseEngine

/// The `backup:` section of a programme file: the OpenPGP keys a LIVE run's backup is
/// encrypted to.
struct BackupLoadingTests {
    private static let baseLines = EmbeddedProgramme.o5.components(separatedBy: "\n").count - 1
    private static let key = "3AA5 C34D 2B9E 1F0A 0A1B 2C3D 4E5F 6071 8293 A4B5"

    private func load(_ text: String) -> Result<Programme, SourceErrors> {
        ProgrammeLoader.parse(EmbeddedProgramme.o5 + text, fileName: "p.yaml")
    }

    @Test func recipientsAreReadAsFingerprintsUpperCasedWithoutSpaces() throws {
        guard case .success(let programme) = load("backup:\n  recipients: [\"\(Self.key.lowercased())\"]\n") else {
            Issue.record("did not load")
            return
        }
        #expect(programme.backupRecipients == ["3AA5C34D2B9E1F0A0A1B2C3D4E5F60718293A4B5"])
        #expect(!programme.backupDrillRequired)
        #expect(ProgrammeLoader.embedded().backupRecipients.isEmpty)
    }

    @Test func aProgrammeMayRequireADrillBeforeSG2() throws {
        guard case .success(let programme) = load("backup:\n  recipients: [\"\(Self.key)\"]\n  require_drill: true\n") else {
            Issue.record("did not load")
            return
        }
        #expect(programme.backupDrillRequired)
    }

    @Test(arguments: [
        ("backup:\n  recipients: []\n", 2, "names no recipients"),
        ("backup:\n  recipients: [alice@example.org]\n", 2, "is not a key fingerprint"),
        ("backup:\n  recipients: [\"\(key)\", \"\(key)\"]\n", 2, "is named twice"),
        ("backup: [x]\n", 1, "'backup'"),
        ("backup:\n  recipients: [\"\(key)\"]\n  require_drill: often\n", 3, "'require_drill' of 'backup' must be true or false"),
    ])
    func aWrongBackupSectionSaysWhatIsExpected(text: String, line: Int, phrase: String) {
        expectSingleError(load(text), line: Self.baseLines + line, phrase)
    }
}
