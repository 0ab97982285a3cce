import Foundation
import GatehouseCore

/// Watches a started command to its end: reads its output, reaps the shell that leads its
/// process group, and terminates the group on a timeout or a stop request.
struct ProcessGroupWatch {
    /// The shell's pid, which is also the process group id.
    let leader: pid_t
    /// The command's stdout and stderr.
    private var streams: [ProcessStreamReader]
    /// The shell's wait status once it is reaped; nil while it runs, or if the status was lost.
    private(set) var status: Int32?
    private var reaped = false

    private enum Stage {
        /// The command runs; the stop request and the deadline are checked.
        case running
        /// SIGTERM was sent to the group; SIGKILL follows at `killAt` unless it is gone.
        case terminating(killAt: Double)
        /// The shell has ended; output is read until the pipes close or `until` passes.
        case draining(until: Double)
    }

    init(leader: pid_t, streams: [ProcessStreamReader]) {
        self.leader = leader
        self.streams = streams
    }

    /// Follows the command until it has ended and its pipes are closed. Returns the outcome when
    /// the executor ended it (timeout or stop), nil when it ended by itself (see `status`).
    /// Whatever is left in its process group afterwards is killed.
    mutating func watch(deadline: Double, timeout: Int, onBatch: (OutputBatch) -> Void,
                        shouldStop: () -> Bool) -> ShellPhaseOutcome? {
        var ending: ShellPhaseOutcome?
        var stage = Stage.running
        watching: while true {
            waitForOutput(onBatch)
            reapIfEnded()
            let now = ShellPhaseExecutor.now()
            switch stage {
            case .running:
                if reaped {
                    stage = .draining(until: now + ShellPhaseExecutor.drainAfterExit)
                    continue watching
                }
                if shouldStop() {
                    ending = .stopped
                } else if now >= deadline {
                    ending = .timedOut(seconds: timeout)
                }
                if ending != nil {
                    kill(-leader, SIGTERM)
                    stage = .terminating(killAt: now + ShellPhaseExecutor.terminationGrace)
                }
            case .terminating(let killAt):
                if reaped && allClosed { break watching }
                if now >= killAt {
                    kill(-leader, SIGKILL)
                    stage = .draining(until: now + ShellPhaseExecutor.drainAfterExit)
                }
            case .draining(let until):
                if allClosed || now >= until { break watching }
            }
        }
        // A child the command left in the background must not outlive the phase.
        kill(-leader, SIGKILL)
        if !reaped { waitForLeader() }
        for index in streams.indices { streams[index].finish(onBatch) }
        return ending
    }

    private var allClosed: Bool { streams.allSatisfy { !$0.isOpen } }

    /// Waits up to a poll interval (less when a batch of output falls due sooner) for output,
    /// reads what came, and passes on the batches that are due.
    private mutating func waitForOutput(_ onBatch: (OutputBatch) -> Void) {
        let open = streams.indices.filter { streams[$0].isOpen }
        guard !open.isEmpty else {
            if !reaped { usleep(20_000) }
            return
        }
        var descriptors = open.map { pollfd(fd: streams[$0].descriptor, events: Int16(POLLIN), revents: 0) }
        if poll(&descriptors, nfds_t(descriptors.count), pollMilliseconds()) > 0 {
            for (slot, index) in open.enumerated() where descriptors[slot].revents != 0 {
                streams[index].pump(upTo: ShellPhaseExecutor.readBurstBytes, onBatch)
            }
        }
        let now = ShellPhaseExecutor.now()
        for index in streams.indices { streams[index].passIfDue(at: now, onBatch) }
    }

    /// How long the next wait for output may last: the poll interval, or until the first
    /// pending batch is due.
    private func pollMilliseconds() -> Int32 {
        guard let due = streams.compactMap(\.deadline).min() else { return ShellPhaseExecutor.pollMilliseconds }
        let left = (due - ShellPhaseExecutor.now()) * 1000
        return Int32(max(0, min(Double(ShellPhaseExecutor.pollMilliseconds), left.rounded(.up))))
    }

    /// Reaps the shell if it has ended, without waiting.
    private mutating func reapIfEnded() {
        guard !reaped else { return }
        var raw: Int32 = 0
        let result = waitpid(leader, &raw, WNOHANG)
        if result == leader {
            status = raw
            reaped = true
        } else if result == -1 && errno == ECHILD {
            reaped = true   // reaped elsewhere; its status is lost
        }
    }

    /// Waits for the shell to end (it has been sent SIGKILL) and reaps it.
    private mutating func waitForLeader() {
        var raw: Int32 = 0
        while true {
            let result = waitpid(leader, &raw, 0)
            if result == leader { status = raw }
            if result == -1 && errno == EINTR { continue }
            break
        }
        reaped = true
    }
}
