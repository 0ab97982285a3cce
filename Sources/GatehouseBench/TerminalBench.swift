import Foundation

/// The dashboard (`gatehouse watch`) in a pseudo-terminal: bytes for the first frame, per
/// progress tick and per idle second, the CPU it uses idle, and how fast it starts and follows.
public struct TerminalBench {
    /// Text of the watcher's last row (its key bar), drawn last: the frame is complete.
    static let lastRow = "dry run"

    public var gatehouse: String
    /// Seconds each idle measurement lasts.
    public var idleSeconds: Double
    /// Progress ticks (and watcher-latency events) measured.
    public var ticks: Int
    public var latencyEvents: Int
    public var launches: Int

    public init(gatehouse: String, quick: Bool) {
        self.gatehouse = gatehouse
        idleSeconds = quick ? 1 : 10
        ticks = quick ? 5 : 30
        latencyEvents = quick ? 20 : 250
        launches = quick ? 3 : 15
    }

    /// Bytes and CPU of the watcher at `width` x `height`, changed-cells or repaint-all.
    public func wireBytes(width: Int, height: Int, repaintAll: Bool) throws -> (firstFrame: Double, tick: Double, idlePerSecond: Double, idleCPU: Double) {
        let sandbox = try BenchSandbox()
        try sandbox.dryRunApplying(total: ticks + 1)
        let terminal = try PseudoTerminal([gatehouse, "watch"], environment: sandbox.environment(repaintAll: repaintAll),
                                          width: width, height: height)
        defer { terminal.stop() }
        guard terminal.read(until: 10, { $0.contains(Self.lastRow) }) != nil else {
            throw BenchError("gatehouse watch drew no frame at \(width)x\(height) within 10 s; it wrote: \(String(decoding: terminal.output.suffix(400), as: UTF8.self))")
        }
        // The first frame ends with its last row.
        let firstFrame = Double(terminal.output.count)
        var tick = Double.nan
        if !repaintAll {
            terminal.readUntilQuiet(0.3)
            // Ticks: the bytes that follow one progress event, read until the screen is quiet again.
            var tickBytes: [Double] = []
            for done in 1...ticks {
                terminal.clear()
                try sandbox.progress(done, of: ticks + 1)
                // Only changed cells are sent (4/31 after 3/31 is one digit), so wait for any output.
                guard terminal.read(until: 2, { !$0.output.isEmpty }) != nil else {
                    throw BenchError("the watcher wrote nothing for progress \(done)/\(ticks + 1) within 2 s")
                }
                terminal.readUntilQuiet(0.15)
                tickBytes.append(Double(terminal.output.count))
            }
            tick = Statistics.median(tickBytes)
            // To see what a tick sends: GATEHOUSE_BENCH_DUMP=FILE keeps the last one's bytes.
            if let dump = ProcessInfo.processInfo.environment["GATEHOUSE_BENCH_DUMP"] {
                try Data(terminal.output).write(to: URL(fileURLWithPath: dump))
            }
        }
        // Idle: the run ended, nothing moves; count bytes and CPU over the idle window.
        try sandbox.end()
        _ = terminal.read(until: 2) { $0.contains("aborted") }
        if repaintAll { terminal.read(for: 0.5) } else { terminal.readUntilQuiet(0.5) }
        terminal.clear()
        let cpuBefore = try terminal.cpuSeconds()
        terminal.read(for: idleSeconds)
        let cpu = try terminal.cpuSeconds() - cpuBefore
        let idle = Double(terminal.output.count) / idleSeconds
        // The repaint-all renderer draws ten whole frames a second: a tick costs one of them.
        if repaintAll { tick = idle / 10 }
        return (firstFrame, tick, idle, cpu / idleSeconds * 100)
    }

    /// htop at the same size, as a reference: idle bytes per second, CPU, and time to its first frame.
    public func htop(width: Int, height: Int) throws -> (idlePerSecond: Double, idleCPU: Double, firstFrameMs: Double)? {
        guard let path = ["/usr/bin/htop", "/bin/htop"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("htop-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "HOME": directory, "XDG_CONFIG_HOME": directory, "PATH": "/usr/bin:/bin"]
        var firstFrames: [Double] = []
        for _ in 0..<launches {
            let start = Monotonic.now()
            let terminal = try PseudoTerminal([path], environment: environment, width: width, height: height)
            terminal.readUntilQuiet(0.15)
            guard let last = terminal.chunks.last?.time else { throw BenchError("htop drew nothing") }
            firstFrames.append((last - start) * 1000)
            terminal.stop()
        }
        let terminal = try PseudoTerminal([path], environment: environment, width: width, height: height)
        defer { terminal.stop() }
        terminal.readUntilQuiet(0.5)
        terminal.clear()
        let cpuBefore = try terminal.cpuSeconds()
        terminal.read(for: idleSeconds)
        let cpu = try terminal.cpuSeconds() - cpuBefore
        return (Double(terminal.output.count) / idleSeconds, cpu / idleSeconds * 100, Statistics.median(firstFrames))
    }

    /// Milliseconds from exec to the first complete frame (the key bar, the last row, drawn),
    /// median of `launches`.
    public func firstFrame(width: Int, height: Int) throws -> Double {
        let sandbox = try BenchSandbox()
        try sandbox.dryRunApplying(total: 10)
        var samples: [Double] = []
        for _ in 0..<launches {
            let start = Monotonic.now()
            let terminal = try PseudoTerminal([gatehouse, "watch"], environment: sandbox.environment(), width: width, height: height)
            guard let drawn = terminal.read(until: 10, { $0.contains(Self.lastRow) }) else {
                throw BenchError("gatehouse watch drew no frame within 10 s")
            }
            samples.append((drawn - start) * 1000)
            terminal.stop()
        }
        return Statistics.median(samples)
    }

    /// Milliseconds from an event appended by this process to the watcher's output showing it:
    /// p50 and p99 over `latencyEvents`, each at a random instant of the watcher's poll cycle.
    public func watcherLatency(in given: BenchSandbox? = nil) throws -> (p50: Double, p99: Double) {
        let sandbox = try given ?? BenchSandbox()
        try sandbox.dryRunApplying(total: 10)
        let terminal = try PseudoTerminal([gatehouse, "watch"], environment: sandbox.environment(), width: 80, height: 24)
        defer { terminal.stop() }
        guard terminal.read(until: 10, { $0.contains(Self.lastRow) }) != nil else { throw BenchError("gatehouse watch drew no frame") }
        terminal.readUntilQuiet(0.3)
        var random = SystemRandomNumberGenerator()
        var samples: [Double] = []
        for done in 1...latencyEvents {
            terminal.read(for: Double.random(in: 0...0.1, using: &random))
            terminal.clear()
            let appended = Monotonic.now()
            try sandbox.log("event-\(done)-shown")
            guard let shown = terminal.read(until: 2, { $0.contains("event-\(done)-shown") }) else {
                throw BenchError("the watcher did not show event \(done) within 2 s")
            }
            samples.append((shown - appended) * 1000)
        }
        return (Statistics.percentile(samples, 50), Statistics.percentile(samples, 99))
    }
}
