import Foundation
import GatehouseCore

/// The real `ssh-keygen -Y verify` asked about one signature, in a folder of its own.
enum OpenSSHVerify {
    /// Its exit status and output for `signature` of `message` in `namespace`, the signer
    /// pinned by the key line `line`.
    static func run(_ signature: SSHSignature, of message: [UInt8], by line: String, namespace: String) throws -> (status: Int32, output: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gh-sshsig-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(message).write(to: URL(fileURLWithPath: folder + "/message"))
        try signature.armored.write(toFile: folder + "/message.sig", atomically: true, encoding: .utf8)
        try "alice \(line)\n".write(toFile: folder + "/allowed_signers", atomically: true, encoding: .utf8)
        return try Spawn.run(["/bin/sh", "-c", "ssh-keygen -Y verify -f '\(folder)/allowed_signers' -I alice -n \(namespace) "
                                  + "-s '\(folder)/message.sig' < '\(folder)/message'"])
    }

    /// Whether it accepts `signature` (as journaled) by `line` over `statement`.
    static func accepts(_ signature: String, of statement: [String: JSONValue], by line: String) throws -> Bool {
        guard let parsed = SSHSigning.signature(fromText: signature) else { return false }
        return try run(parsed, of: ApprovalStatement.signedBytes(statement), by: line, namespace: SSHSigning.namespace).status == 0
    }
}
