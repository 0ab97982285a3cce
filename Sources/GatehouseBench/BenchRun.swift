import Foundation
import GatehousePostgres

/// The whole benchmark: every scenario in turn, each a measurement against its target.
public struct BenchRun {
    public var gatehouse: String
    public var quick: Bool
    /// The parts to run (`terminal`, `journal`, `render`, `programme`, `package`, `watchers`, `compare`, `backup`, `output`, or `replay` for the
    /// journal's replay alone); nil runs them all.
    public var only: Set<String>?
    /// Called with each line of progress.
    public var progress: (String) -> Void

    public init(gatehouse: String, quick: Bool, only: Set<String>? = nil, progress: @escaping (String) -> Void = { _ in }) {
        self.gatehouse = gatehouse
        self.quick = quick
        self.only = only
        self.progress = progress
    }

    /// Runs every scenario; throws (naming it) if one could not run.
    public func measure() throws -> [Measurement] {
        var results: [Measurement] = []
        if only?.contains("terminal") ?? true { results += try measureTerminal() }
        if only?.contains("journal") ?? true { results += try measureJournal() }
        if only?.contains("replay") == true && only?.contains("journal") != true { results += try measureReplay() }
        if only?.contains("render") ?? true { results += try measureRender() }
        if only?.contains("programme") ?? true { results += try measureProgramme() }
        if only?.contains("package") ?? true { results += try measurePackage() }
        if only?.contains("watchers") ?? true { results += try measureWatcherLoad() }
        if only?.contains("compare") ?? true { results += try measureCompare() }
        if only?.contains("backup") ?? true { results += try measureBackup() }
        if only?.contains("output") ?? true { results += try measureOutput() }
        return results
    }

    private func measureOutput() throws -> [Measurement] {
        let bench = OutputBench(gatehouse: gatehouse, quick: quick)
        let times = try bench.measure(progress: progress)
        let phase = Statistics.median(times.phase)
        let byHand = Statistics.median(times.byHand)
        let ratio = phase / byHand
        let growth = Double(times.journalGrowth) / Double(times.outputBytes)
        let p99 = Statistics.percentile(times.latency, 99)
        let size = "\(bench.lines) lines, \(times.outputBytes / 1_000_000) MB"
        let of = "median of \(times.phase.count)"
        return [
            Measurement("Output", "a command phase printing \(size), in a dry run (\(of))", phase, "ms"),
            Measurement("Output", "the same command with its output sent to a file (\(of))", byHand, "ms"),
            Measurement("Output", "that phase against the command alone", ratio, "x", target: "≤ 1.5", met: ratio <= 1.5),
            Measurement("Output", "the journal's growth against the output's size (\(times.journalGrowth / 1_000_000) MB for \(times.outputBytes / 1_000_000) MB)",
                        growth, "x", target: "≤ 1.2", met: growth <= 1.2),
            Measurement("Output", "a line the command writes to the watcher showing it, p50", Statistics.percentile(times.latency, 50), "ms"),
            Measurement("Output", "a line the command writes to the watcher showing it, p99 (\(times.latency.count) lines)", p99, "ms",
                        target: "≤ 150 ms", met: p99 <= 150),
        ]
    }

    private func measureBackup() throws -> [Measurement] {
        let bench = BackupBench(quick: quick)
        guard var server = try PostgresScratch.server() else {
            return [Measurement("Backup", "PostgreSQL backup (no server: set GATEHOUSE_BENCH_POSTGRES and PGPASSWORD)", .nan, "")]
        }
        progress("a LIVE run's encrypted backup of a \(bench.megabytes) MB PostgreSQL pack and its drill, and the same by hand")
        server.sslMode = .disable
        let times = try bench.measure(on: server, progress: progress)
        let median = { (samples: [Double]) in Statistics.median(samples) / 1000 }
        let ours = median(times.backup) + median(times.drill)
        let byHand = median(times.byHandBackup) + median(times.byHandDrill)
        let ratio = ours / byHand
        let size = "\(times.packBytes / 1_000_000) MB on the server, \(times.backupBytes / 1_000_000) MB encrypted"
        let of = "median of \(times.backup.count)"
        return [
            Measurement("Backup", "backup phase of a LIVE run, pack of \(size): `pg_dump` into `gpg` and a scratch restore at once, read back (\(of))",
                        median(times.backup), "s"),
            Measurement("Backup", "drill of that backup: checked, decrypted into a scratch database, read (\(of))", median(times.drill), "s"),
            Measurement("Backup", "by hand on the same data: `pg_dump | gpg --encrypt` (\(of))", median(times.byHandBackup), "s"),
            Measurement("Backup", "by hand: `createdb`, `gpg --decrypt | pg_restore`, `dropdb` (\(of))", median(times.byHandDrill), "s"),
            Measurement("Backup", "Gatehouse's backup + drill against the same by hand (\(String(format: "%.1f", ours)) s / \(String(format: "%.1f", byHand)) s)",
                        ratio, "x", target: quick ? nil : "≤ 1.2", met: quick ? nil : ratio <= 1.2),
        ]
    }

    private func measureCompare() throws -> [Measurement] {
        let bench = ParityBench(gatehouse: gatehouse, quick: quick)
        progress("two dry runs of \(bench.lines) log lines each, exported as records, compared")
        let times = try bench.measure()
        let median = Statistics.median(times.compare) / 1000
        let events = times.events.map { "\($0)" }.joined(separator: " and ")
        let target = quick ? nil : "≤ 1 s"
        return [
            Measurement("Parity", "`gatehouse compare` of two run records of \(events) events (both checked, then compared; median of \(times.compare.count))",
                        median, "s", target: target, met: quick ? nil : median <= 1),
        ]
    }

    private func measurePackage() throws -> [Measurement] {
        let bench = PackageBench(gatehouse: gatehouse, quick: quick)
        progress("a package of \(bench.phases) phases and \(bench.phases * bench.scriptBytes / 1_000_000) MB of scripts")
        let times = try bench.measure()
        let share = 100 * times.rehash / times.run
        let size = "\(bench.phases) phases, \(times.bytes / 1_000_000) MB"
        return [
            Measurement("Package", "package of \(size): built (every file hashed) and written", times.build, "ms"),
            Measurement("Package", "that package read and checked (its digest and every file's bytes)", times.verify, "ms"),
            Measurement("Package", "a dry run of it by `gatehouse run --package` (checked, unpacked, every phase run)", times.run, "ms"),
            Measurement("Package", "the runner's re-hashing before each phase, as a share of that run (\(Int(times.rehash)) ms)", share, "%",
                        target: "< 5 %", met: share < 5),
        ]
    }

    private func measureProgramme() throws -> [Measurement] {
        let bench = ProgrammeBench(gatehouse: gatehouse, quick: quick)
        progress("a journal of \(bench.events) programme acts, folded")
        let (replay, board) = try bench.fold()
        progress("the sign-off flow at 80x24")
        let frames = try bench.signOffFrames()
        return [
            Measurement("Programme", "journal of \(bench.events) programme acts opened and folded, each act checked and its signature recomputed",
                        replay, "ms"),
            Measurement("Programme", "gate board made from that folded ledger (what each frame of the Gates tab does)", board, "ms",
                        target: "≤ 50 ms", met: board <= 50),
            Measurement("Programme", "largest frame of the sign-off flow at 80x24 (\(frames.frames) frames: a, each character of the phrase, Enter and the result)",
                        frames.flow, "B", target: "≤ 1024 B", met: frames.flow <= 1024),
            Measurement("Programme", "the gate's review panel opening over the board, 80x24 (a page change)", frames.review, "B"),
            Measurement("Programme", "the board again after Esc closes the result, 80x24 (a page change)", frames.back, "B"),
        ]
    }

    private func measureWatcherLoad() throws -> [Measurement] {
        let bench = WatcherLoadBench(gatehouse: gatehouse, quick: quick)
        progress("\(bench.runs) dry runs alone and \(bench.runs) with \(bench.watchers) watchers")
        let times = try bench.phaseTimes()
        let alone = times.alone.reduce(0, +)
        let watched = times.watched.reduce(0, +)
        let change = (watched / alone - 1) * 100
        return [
            Measurement("Concurrency", "runner phase time, no watcher (median of \(bench.runs) dry runs)", Statistics.median(times.alone), "ms"),
            Measurement("Concurrency", "runner phase time, \(bench.watchers) watchers (median of \(bench.runs))", Statistics.median(times.watched), "ms"),
            Measurement("Concurrency", "phase time change with \(bench.watchers) watchers (total of \(bench.runs) runs: \(Int(alone)) → \(Int(watched)) ms)",
                        change, "%", target: "≤ 5 %", met: change <= 5),
            Measurement("Concurrency", "CPU of all \(bench.watchers) watchers during one run (median of \(bench.runs))",
                        Statistics.median(times.watcherCPU), "ms"),
            Measurement("Concurrency", "runner's own CPU per run, no watcher (median of \(bench.runs))",
                        Statistics.median(times.runnerCPUAlone), "ms"),
            Measurement("Concurrency", "runner's own CPU per run, \(bench.watchers) watchers (median of \(bench.runs))",
                        Statistics.median(times.runnerCPUWatched), "ms"),
            Measurement("Concurrency", "benchmark's own CPU per run (approving, reading terminals), no watcher (median of \(bench.runs))",
                        Statistics.median(times.benchCPUAlone), "ms"),
            Measurement("Concurrency", "benchmark's own CPU per run, \(bench.watchers) watchers (median of \(bench.runs))",
                        Statistics.median(times.benchCPUWatched), "ms"),
        ]
    }

    private func measureTerminal() throws -> [Measurement] {
        var results: [Measurement] = []
        let terminal = TerminalBench(gatehouse: gatehouse, quick: quick)
        let sizes = quick ? [(80, 24)] : [(80, 24), (132, 43)]
        var idle80: (bytes: Double, cpu: Double)?
        for (width, height) in sizes {
            progress("wire bytes at \(width)x\(height)")
            let cells = try terminal.wireBytes(width: width, height: height, repaintAll: false)
            let repaint = try terminal.wireBytes(width: width, height: height, repaintAll: true)
            let size = "\(width)x\(height)"
            results.append(Measurement("Wire bytes", "first frame, \(size)", cells.firstFrame, "B"))
            results.append(Measurement("Wire bytes", "first frame, \(size), repaint-all", repaint.firstFrame, "B"))
            let tickTarget = width == 80 ? "≤ 64 B" : nil
            results.append(Measurement("Wire bytes", "per progress tick, \(size)", cells.tick, "B", target: tickTarget,
                                       met: width == 80 ? cells.tick <= 64 : nil))
            results.append(Measurement("Wire bytes", "per progress tick, \(size), repaint-all", repaint.tick, "B"))
            results.append(Measurement("Wire bytes", "tick ratio repaint-all / changed cells, \(size)",
                                       cells.tick > 0 ? repaint.tick / cells.tick : .nan, "x"))
            results.append(Measurement("Wire bytes", "idle, \(size)", cells.idlePerSecond, "B/s", target: "0 B/s",
                                       met: cells.idlePerSecond == 0))
            results.append(Measurement("Wire bytes", "idle, \(size), repaint-all", repaint.idlePerSecond, "B/s"))
            results.append(Measurement("Idle cost", "CPU of an idle watcher, \(size)", cells.idleCPU, "% of a core",
                                       target: "< 0.2 %", met: cells.idleCPU < 0.2))
            if width == 80 { idle80 = (cells.idlePerSecond, cells.idleCPU) }
        }
        progress("htop reference")
        let firstFrame = try terminal.firstFrame(width: 80, height: 24)
        if let htop = try terminal.htop(width: 80, height: 24), let idle80 {
            results.append(Measurement("Reference", "htop idle, 80x24", htop.idlePerSecond, "B/s", target: "Gatehouse below it",
                                       met: idle80.bytes < htop.idlePerSecond))
            results.append(Measurement("Reference", "htop idle CPU, 80x24", htop.idleCPU, "% of a core", target: "Gatehouse below it",
                                       met: idle80.cpu < htop.idleCPU))
            results.append(Measurement("Reference", "htop first frame, 80x24", htop.firstFrameMs, "ms", target: "Gatehouse below it",
                                       met: firstFrame < htop.firstFrameMs))
        } else {
            results.append(Measurement("Reference", "htop (not installed: `apt-get install htop`)", .nan, ""))
        }
        progress("latency")
        results.append(Measurement("Latency", "exec to first complete frame, 80x24", firstFrame, "ms", target: "≤ 50 ms", met: firstFrame <= 50))
        let latency = try terminal.watcherLatency()
        results.append(Measurement("Latency", "event appended to watcher output, p50", latency.p50, "ms"))
        results.append(Measurement("Latency", "event appended to watcher output, p99 (\(terminal.latencyEvents) events)", latency.p99, "ms",
                                   target: "≤ 150 ms", met: latency.p99 <= 150))
        results += try measurePostgresWatcher(terminal)
        return results
    }

    /// The watcher's latency again with the journal on PostgreSQL (LISTEN/NOTIFY), when a
    /// server is named (see ``PostgresScratch``).
    private func measurePostgresWatcher(_ terminal: TerminalBench) throws -> [Measurement] {
        guard var server = try PostgresScratch.server() else {
            return [Measurement("Latency", "PostgreSQL journal (no server: set GATEHOUSE_BENCH_POSTGRES and PGPASSWORD)", .nan, "")]
        }
        progress("latency on a PostgreSQL journal")
        server.sslMode = .disable
        let database = try PostgresScratch("bench", on: server)
        defer { database.drop() }
        let password = ProcessInfo.processInfo.environment.filter { ["PGPASSWORD", "PGPASSFILE"].contains($0.key) }
        let sandbox = try BenchSandbox(journal: PostgresJournal(location: database.location), location: database.location.description,
                                       environment: password)
        let latency = try terminal.watcherLatency(in: sandbox)
        return [
            Measurement("Latency", "event appended to watcher output, PostgreSQL journal, p50", latency.p50, "ms",
                        target: "≤ 150 ms", met: latency.p50 <= 150),
            Measurement("Latency", "event appended to watcher output, PostgreSQL journal, p99 (\(terminal.latencyEvents) events)",
                        latency.p99, "ms", target: "≤ 150 ms", met: latency.p99 <= 150),
        ]
    }

    private func measureJournal() throws -> [Measurement] {
        var results: [Measurement] = []
        progress("journal")
        let journal = JournalBench(quick: quick)
        let single = try journal.singleCommits()
        results.append(Measurement("Journal", "single durable commits", single, "events/s", target: "≥ 5,000/s", met: single >= 5000))
        let batched = try journal.batched()
        results.append(Measurement("Journal", "batches of 1,000, durable", batched, "events/s", target: "≥ 150,000/s", met: batched >= 150_000))
        results.append(Measurement("Journal", "log lines through RunStore.record (checked)", try journal.checkedRecords(), "events/s"))
        return results + (try measureReplay())
    }

    /// The time to rebuild run state from 10^4, 10^5 and 10^6 events.
    private func measureReplay() throws -> [Measurement] {
        var results: [Measurement] = []
        let journal = JournalBench(quick: quick)
        for count in quick ? [1_000] : [10_000, 100_000, 1_000_000] {
            progress("replay of \(count) events")
            let replay = try journal.replay(count: count)
            let target = count == 1_000_000 ? "≤ 1 s" : nil
            results.append(Measurement("Journal", "replay \(count) events: read + fold", replay.readAndFold, "s", target: target,
                                       met: count == 1_000_000 ? replay.readAndFold <= 1 : nil))
            results.append(Measurement("Journal", "replay \(count) events: read only", replay.read, "s"))
            results.append(Measurement("Journal", "replay \(count) events: fold only", replay.fold, "s"))
        }
        return results
    }

    private func measureRender() throws -> [Measurement] {
        var results: [Measurement] = []
        progress("render")
        let render = RenderBench(gatehouse: gatehouse, quick: quick)
        let frame = try render.canvasFrame()
        results.append(Measurement("Render", "1,000 options x 12 axes into the canvas, 132x43", frame, "ms", target: "≤ 5 ms", met: frame <= 5))
        let dashboard = try render.dashboard()
        results.append(Measurement("Render", "key press to frame flushed, large programme", dashboard.keyToFrameMs, "ms"))
        results.append(Measurement("Render", "first frame, large programme", dashboard.firstFrameMs, "ms"))
        results.append(Measurement("Render", "peak RSS, large programme", dashboard.peakRSS / 1_048_576, "MB", target: "≤ 30 MB",
                                   met: dashboard.peakRSS <= 30 * 1_048_576))
        return results
    }
}
