import Foundation
import GatehouseCore

/// An SSH agent played by the test on a socket of its own: it answers each request as
/// `answer` says (nil: it never answers), to show what Gatehouse does with an agent that
/// refuses, stalls or returns a signature that does not hold.
final class FakeSSHAgent: @unchecked Sendable {
    let socketPath: String
    private let listener: Int32
    private let answer: @Sendable (_ type: UInt8, _ body: [UInt8]) -> [UInt8]?
    private var thread: Thread?

    /// A message of `type` with `body`, framed as the agent protocol frames it.
    static func message(_ type: UInt8, _ body: [UInt8] = []) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.uint32(UInt32(body.count + 1))
        writer.byte(type)
        writer.raw(body)
        return writer.bytes
    }

    /// An identities answer holding `keys`.
    static func identities(_ keys: [[UInt8]]) -> [UInt8] {
        var body = SSHWireWriter()
        body.uint32(UInt32(keys.count))
        for key in keys {
            body.string(key)
            body.string("fake")
        }
        return message(12, body.bytes)
    }

    init(answer: @escaping @Sendable (_ type: UInt8, _ body: [UInt8]) -> [UInt8]?) throws {
        socketPath = "/tmp/gh-fake-agent-\(UUID().uuidString.prefix(8)).sock"
        self.answer = answer
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        listener = descriptor
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8CString)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in path.withUnsafeBytes { raw.copyMemory(from: $0) } }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        let thread = Thread { [answer] in
            while true {
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else { return }
                var header = [UInt8](repeating: 0, count: 5)
                guard recv(client, &header, 5, Int32(MSG_WAITALL)) == 5 else { Foundation.close(client); continue }
                let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
                var body = [UInt8](repeating: 0, count: max(0, length - 1))
                if !body.isEmpty { _ = recv(client, &body, body.count, Int32(MSG_WAITALL)) }
                if let reply = answer(header[4], body) {
                    _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    Foundation.close(client)
                } else {
                    // Never answers: the connection stays open until the client gives up.
                    var byte: UInt8 = 0
                    _ = recv(client, &byte, 1, 0)
                    Foundation.close(client)
                }
            }
        }
        thread.start()
        self.thread = thread
    }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Foundation.close(listener)
        unlink(socketPath)
    }
}
