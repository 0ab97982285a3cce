import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTUI

/// A programme of 1,000 options on 12 axes: the time to draw one Matrix frame into the canvas,
/// and, in the real binary, the time to flush a frame and its peak memory.
public struct RenderBench {
    public var gatehouse: String
    public var quick: Bool
    public init(gatehouse: String, quick: Bool) {
        self.gatehouse = gatehouse
        self.quick = quick
    }

    /// A programme file with `options` options rated on `axes` star axes.
    public static func largeProgramme(options: Int, axes: Int) -> String {
        var text = """
            programme: {id: BIG, title: A large programme for the benchmark}
            analysis: {gate: G1, question: Which option?, result: pending}
            axes:

            """
        for axis in 0..<axes { text += "  - {id: a\(axis), name: Axis \(axis), meaning: m, summary: stars}\n" }
        text += "options:\n"
        for option in 0..<options {
            text += "  - id: OPT-\(option)\n    title: Option \(option) of the large programme\n    label: option \(option)\n"
            text += "    what: does thing \(option)\n    assessments:\n"
            for axis in 0..<axes { text += "      a\(axis): {stars: \((option * 7 + axis * 3) % 5 + 1), text: rated}\n" }
            text += "    verdict: fine\n    next_macro: {answer: \(option % 3 == 0 ? "yes" : "no"), text: answer \(option)}\n    gate_level: high\n"
        }
        text += "gates:\n  - {id: G1, title: The gate, level: high, status: pending}\n"
        return text
    }

    /// Milliseconds to draw the Matrix tab of the large programme at 132x43 (median).
    public func canvasFrame() throws -> Double {
        let text = Self.largeProgramme(options: 1000, axes: 12)
        guard case .success(let programme) = ProgrammeLoader.parse(text, fileName: "large.yaml") else {
            throw BenchError("the large programme does not load")
        }
        var samples: [Double] = []
        var state = DashboardState(tab: .matrix)
        for index in 0..<(quick ? 5 : 60) {
            state.matrixCursor = index * 13 % 1000
            let start = Monotonic.now()
            let canvas = DashboardView.render(programme, state: state, width: 132, height: 43, glyphs: .unicode)
            samples.append((Monotonic.now() - start) * 1000)
            if canvas.width != 132 { throw BenchError("the frame is \(canvas.width) wide") }
        }
        return Statistics.median(samples)
    }

    /// The real dashboard on the large programme at 132x43: milliseconds to its first frame,
    /// from a key press to the last byte of the frame it causes (median), and its peak RSS.
    public func dashboard() throws -> (firstFrameMs: Double, keyToFrameMs: Double, peakRSS: Double) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("render-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/large.yaml"
        try Self.largeProgramme(options: 1000, axes: 12).write(toFile: path, atomically: true, encoding: .utf8)
        let environment = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "HOME": directory, "XDG_CONFIG_HOME": directory,
                           "GATEHOUSE_JOURNAL": directory + "/journal.sqlite", "PATH": "/usr/bin:/bin"]
        let start = Monotonic.now()
        let terminal = try PseudoTerminal([gatehouse, "--programme", path], environment: environment, width: 132, height: 43)
        defer { terminal.stop() }
        guard let drawn = terminal.read(until: 20, { $0.contains("quit") }) else {
            throw BenchError("the dashboard drew no frame of the large programme within 20 s")
        }
        terminal.readUntilQuiet(0.3)
        var samples: [Double] = []
        for index in 0..<(quick ? 3 : 30) {
            terminal.clear()
            let pressed = Monotonic.now()
            terminal.type(["j", "j", "j", "G", "g"][index % 5])
            terminal.readUntilQuiet(0.15, timeout: 5)
            guard let last = terminal.chunks.last?.time else { throw BenchError("a key press drew nothing") }
            samples.append((last - pressed) * 1000)
        }
        return ((drawn - start) * 1000, Statistics.median(samples), Double(try terminal.peakRSS()))
    }
}
