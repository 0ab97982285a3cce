import Foundation
import GatehouseEngine

/// A real `ssh-agent` a test starts in a folder of its own (its socket there), with keys made
/// by `ssh-keygen`; `close()` stops it by its process id and removes the folder.
final class SSHAgentProcess {
    let directory: String
    let socketPath: String
    let pid: pid_t

    init() throws {
        // A socket path must fit in sun_path (108 bytes): a short folder under /tmp.
        directory = "/tmp/gh-agent-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        socketPath = directory + "/agent.sock"
        pid = try Spawn.start(["/usr/bin/ssh-agent", "-D", "-a", socketPath], outputPath: directory + "/agent.out")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard Date() < deadline else { throw E2EError("ssh-agent did not make its socket within 10 s") }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// What points a client at this agent.
    var environment: [String: String] { ["SSH_AUTH_SOCK": socketPath] }

    /// A new key without a passphrase, made by `ssh-keygen` (`ed25519` or `ecdsa`); its public key line.
    func makeKey(_ name: String, type: String = "ed25519") throws -> (path: String, line: String) {
        let path = directory + "/" + name
        let made = try Spawn.run(["/usr/bin/ssh-keygen", "-q", "-t", type, "-N", "", "-C", "\(name)@laptop", "-f", path])
        guard made.status == 0 else { throw E2EError("ssh-keygen could not make a key: \(made.output)") }
        let line = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return (path, line)
    }

    /// Loads the key at `path` into the agent (`ssh-add`).
    func add(_ path: String) throws {
        let added = try Spawn.run(["/usr/bin/env", "SSH_AUTH_SOCK=\(socketPath)", "/usr/bin/ssh-add", path])
        guard added.status == 0 else { throw E2EError("ssh-add failed: \(added.output)") }
    }

    /// Removes every key from the agent (`ssh-add -D`).
    func removeAll() throws {
        _ = try Spawn.run(["/usr/bin/env", "SSH_AUTH_SOCK=\(socketPath)", "/usr/bin/ssh-add", "-D"])
    }

    /// Stops the agent: SIGKILL, as it was started with the test process's signals blocked.
    func close() {
        kill(pid, SIGKILL)
        _ = ProcessSpawn.wait(pid)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
