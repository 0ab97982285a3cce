import Foundation
import GatehouseCore

/// A client of the SSH agent at `SSH_AUTH_SOCK` (draft-miller-ssh-agent): lists the keys it
/// holds and asks it to sign. A forwarded agent (`ssh -A`) is reached the same way.
///
/// The private key never reaches this process; a key on a security key waits in the agent
/// for its owner's touch, so a signing request waits up to ``timeout`` and is then abandoned.
public struct SSHAgent: Sendable {
    /// The agent's socket.
    public let socketPath: String
    /// How long one request may wait for the agent's answer (a security key waits for a touch).
    public var timeout: TimeInterval

    static let requestIdentities: UInt8 = 11
    static let identitiesAnswer: UInt8 = 12
    static let signRequest: UInt8 = 13
    static let signResponse: UInt8 = 14
    static let failure: UInt8 = 5

    /// The agent `environment` names; throws, saying how to start one, when it names none.
    public static func from(_ environment: [String: String], timeout: TimeInterval = 60) throws -> SSHAgent {
        guard let path = environment["SSH_AUTH_SOCK"], !path.isEmpty else {
            throw SigningError("no SSH agent: SSH_AUTH_SOCK is not set. Start one and add your key (`eval \"$(ssh-agent)\"; ssh-add`), "
                               + "or sign from a session whose agent is forwarded (`ssh -A`)")
        }
        return SSHAgent(socketPath: path, timeout: timeout)
    }

    public init(socketPath: String, timeout: TimeInterval = 60) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// The public keys the agent holds, as their wire blobs.
    public func identities() throws -> [[UInt8]] {
        var reader = SSHWireReader(try request(Self.requestIdentities, [], expecting: Self.identitiesAnswer, what: "list its keys"))
        do {
            let count = try reader.uint32()
            var keys: [[UInt8]] = []
            for _ in 0..<count {
                keys.append(try reader.string())
                _ = try reader.string()
            }
            return keys
        } catch {
            throw SigningError("the SSH agent at \(socketPath) answered with a malformed key list (\(error))")
        }
    }

    /// The agent's signature of `data` by `key`: its SSH signature encoding.
    public func sign(_ data: [UInt8], with key: SSHPublicKey) throws -> [UInt8] {
        var body = SSHWireWriter()
        body.string(key.blob)
        body.string(data)
        body.uint32(0)
        var reader = SSHWireReader(try request(Self.signRequest, body.bytes, expecting: Self.signResponse,
                                               what: "sign with \(key.fingerprint)"))
        do { return try reader.string() } catch {
            throw SigningError("the SSH agent at \(socketPath) answered a signing request with a malformed signature (\(error))")
        }
    }

    /// Sends one message and reads its answer, refusing any other answer than `expected`.
    private func request(_ type: UInt8, _ body: [UInt8], expecting expected: UInt8, what: String) throws -> [UInt8] {
        let socket = try connect()
        defer { close(socket) }
        var message = SSHWireWriter()
        message.uint32(UInt32(body.count + 1))
        message.byte(type)
        message.raw(body)
        try send(message.bytes, on: socket)
        let header = try receive(4, on: socket, what: what)
        var lengthReader = SSHWireReader(header)
        let length = Int((try? lengthReader.uint32()) ?? 0)
        guard length > 0, length <= 256 * 1024 else {
            throw SigningError("the SSH agent at \(socketPath) sent an answer of \(length) bytes; it is not an SSH agent")
        }
        let answer = try receive(length, on: socket, what: what)
        if answer[0] == Self.failure {
            throw SigningError("the SSH agent at \(socketPath) refused to \(what) (it may have asked for a confirmation or a touch that "
                               + "did not come, or the key is locked: `ssh-add -X`); nothing was signed")
        }
        guard answer[0] == expected else {
            throw SigningError("the SSH agent at \(socketPath) answered with message \(answer[0]), not \(expected); it is not an SSH agent")
        }
        return Array(answer.dropFirst())
    }

    private func connect() throws -> Int32 {
        let socket = Foundation.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SigningError("no socket for the SSH agent: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8CString)
        guard path.count <= MemoryLayout.size(ofValue: address.sun_path) else {
            close(socket)
            throw SigningError("the SSH agent's socket path \(socketPath) is too long for a socket")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            path.withUnsafeBytes { raw.copyMemory(from: $0) }
        }
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        _ = setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw SigningError("the SSH agent at \(socketPath) is not running (\(reason)); start one (`eval \"$(ssh-agent)\"`) and `ssh-add` "
                               + "your key, or reconnect with your agent forwarded (`ssh -A`)")
        }
        return socket
    }

    private func send(_ bytes: [UInt8], on socket: Int32) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Foundation.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw SigningError("the SSH agent at \(socketPath) closed the connection: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    private func receive(_ count: Int, on socket: Int32, what: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let read = bytes[received...].withUnsafeMutableBytes { Foundation.recv(socket, $0.baseAddress, $0.count, 0) }
            if read < 0 && errno == EINTR { continue }
            if read < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw SigningError("the SSH agent did not \(what) within \(String(format: "%g", timeout)) s (a security key waits for a touch); nothing was signed")
            }
            guard read > 0 else { throw SigningError("the SSH agent at \(socketPath) closed the connection before it could \(what)") }
            received += read
        }
        return bytes
    }
}
