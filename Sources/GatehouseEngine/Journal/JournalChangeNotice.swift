import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor that becomes readable when a journal file may have changed, so a
/// watcher can sleep on it (beside its keys) instead of asking the journal ten times a second.
///
/// On Linux, an inotify watch on the journal's folder, for writes to the database file and its
/// write-ahead log (an append writes the log; a checkpoint, the file). The folder is watched,
/// not the files, because SQLite deletes and re-creates the log as connections come and go.
/// Every writer of an SQLite journal is on this machine (WAL mode needs shared memory), so
/// every append is seen. A notice says "look", never what changed: the watcher still reads
/// the journal's head to learn that.
public final class JournalChangeNotice: @unchecked Sendable {
    /// Readable while notices are pending; ``drain()`` empties it.
    public let fileDescriptor: Int32
    /// The names in the folder that concern the journal.
    private let names: Set<String>

    /// Watches the SQLite journal at `path`; nil where the system offers no such watch (then
    /// a watcher polls).
    public init?(sqlitePath path: String) {
        #if os(Linux)
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE)
        guard inotify_add_watch(descriptor, url.deletingLastPathComponent().path, mask) >= 0 else {
            close(descriptor)
            return nil
        }
        fileDescriptor = descriptor
        names = [name, name + "-wal", name + "-journal"]
        #else
        return nil
        #endif
    }

    deinit {
        close(fileDescriptor)
    }

    /// Reads every pending notice; returns whether any concerned the journal (or some were
    /// lost, which counts as a change).
    @discardableResult
    public func drain() -> Bool {
        #if os(Linux)
        let headerSize = MemoryLayout<inotify_event>.size
        // On the stack: the dashboard drains on every wake, mostly to find nothing pending.
        return withUnsafeTemporaryAllocation(byteCount: 4096, alignment: MemoryLayout<inotify_event>.alignment) { buffer in
            var changed = false
            while true {
                let count = read(fileDescriptor, buffer.baseAddress, buffer.count)
                guard count > 0 else { return changed }
                var offset = 0
                while offset + headerSize <= count {
                    let event = UnsafeRawBufferPointer(buffer).loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let length = Int(event.len)
                    if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        changed = true
                    } else if length > 0 {
                        let start = offset + headerSize
                        let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[start..<min(start + length, count)]).prefix { $0 != 0 }
                        if names.contains(String(decoding: nameBytes, as: UTF8.self)) { changed = true }
                    }
                    offset += headerSize + length
                }
            }
        }
        #else
        return false
        #endif
    }
}
