import Foundation

/// A request to stop, raised by SIGTERM, SIGINT or SIGHUP and read by the runner between
/// steps and before a commit, so that it can roll back and record that it stopped.
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var signal: Int32?
    private var sources: [any DispatchSourceSignal] = []

    public init() {}

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
    }

    /// The signal that asked for the stop, if one did.
    public var requested: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signal
    }
}
