import Foundation

/// A request to stop, raised by SIGTERM, SIGINT or SIGHUP and read by the runner between
/// steps and before a commit, so that it can roll back and record that it stopped.
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var signal: Int32?
    private var sources: [any DispatchSourceSignal] = []
    /// A pipe that becomes readable once a stop is requested, so that a wait can sleep on it.
    private let pipe: (read: Int32, write: Int32)

    public init() {
        var ends: [Int32] = [-1, -1]
        if Foundation.pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            }
        } else {
            ends = [-1, -1]
        }
        pipe = (ends[0], ends[1])
    }

    deinit {
        if pipe.read >= 0 { close(pipe.read) }
        if pipe.write >= 0 { close(pipe.write) }
    }

    /// Becomes readable once a stop is requested (-1 if no pipe could be made: waits then
    /// end on their timeout).
    public var wakeDescriptor: Int32 { pipe.read }

    /// Catches `signals` from now on (their default action is turned off).
    public func catchSignals(_ signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]) {
        for number in signals {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.raise(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Records a stop request (tests call it directly).
    public func raise(_ number: Int32) {
        lock.lock()
        if signal == nil { signal = number }
        lock.unlock()
        var byte: UInt8 = 1
        _ = write(pipe.write, &byte, 1)
    }

    /// The signal that asked for the stop, if one did.
    public var requested: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signal
    }
}
