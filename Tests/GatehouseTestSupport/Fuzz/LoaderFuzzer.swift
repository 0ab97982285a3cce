import Foundation
import GatehouseEngine
import Testing

/// Loads generated malformed files through a real loader and checks the property of issue 8:
/// every case ends in a successful load or in errors that each read `FILE:LINE:COLUMN:
/// message`, pointing into the file; a crash stops the run (and so fails it).
///
/// Set by the environment:
/// - `GATEHOUSE_FUZZ_CASES`: how many cases (the long mode; its cases over 2 s fail);
/// - `GATEHOUSE_FUZZ_SEED`: the seed (decimal or `0x…`), so another set of cases is tried;
/// - `GATEHOUSE_FUZZ_CASE`: run only this case, print what it did and keep its bytes;
/// - `GATEHOUSE_FUZZ_TRACE=1`: print each case before loading it, so a crash names its case.
public struct LoaderFuzzer {
    /// What the figures call the files, such as "programme".
    var kind: String
    /// The well-formed files to damage, by name.
    var bases: [(name: String, text: String)]
    /// Loads a file; only success or the errors matter.
    var load: (Data, String) -> Result<Void, SourceErrors>

    /// A fuzzer that damages `bases` and loads each case with `load`, calling the files `kind`.
    public init(kind: String, bases: [(name: String, text: String)], load: @escaping (Data, String) -> Result<Void, SourceErrors>) {
        self.kind = kind
        self.bases = bases
        self.load = load
    }

    /// The seed the cases are generated from unless `GATEHOUSE_FUZZ_SEED` says otherwise.
    public static let defaultSeed: UInt64 = 0x6A7E_4005_F022_0008
    /// A case slower than this is a failure in the long mode; the short mode only reports it.
    static let slowCase: Duration = .seconds(2)

    /// How a run was asked for.
    public struct Configuration: Sendable {
        var seed: UInt64
        var cases: Int
        var onlyCase: Int?
        var isLong: Bool
        var trace: Bool

        /// The run the environment asks for, or `defaultCases` cases from ``defaultSeed``.
        public static func fromEnvironment(defaultCases: Int, _ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
            let cases = environment["GATEHOUSE_FUZZ_CASES"].flatMap { Int($0) }
            let seed = environment["GATEHOUSE_FUZZ_SEED"].flatMap { text in
                text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            }
            return Self(seed: seed ?? LoaderFuzzer.defaultSeed, cases: cases ?? defaultCases,
                        onlyCase: environment["GATEHOUSE_FUZZ_CASE"].flatMap { Int($0) }, isLong: cases != nil,
                        trace: environment["GATEHOUSE_FUZZ_TRACE"] == "1")
        }
    }

    /// One case that broke the property.
    public struct Failure: CustomStringConvertible {
        var index: Int
        var mutations: [Mutation]
        var problem: String
        var savedAt: String

        public var description: String {
            "case \(index) (\(mutations.map(\.rawValue).joined(separator: " + "))): \(problem); bytes in \(savedAt)"
        }
    }

    /// The counts of a run, by the primary mutation of each case.
    public struct Report {
        var kind: String
        var configuration: Configuration
        var cases: [Mutation: Int] = [:]
        var loaded: [Mutation: Int] = [:]
        var rejected: [Mutation: Int] = [:]
        var failures: [Failure] = []
        var slowest: (time: Duration, index: Int, mutation: Mutation)?
        var total: Duration = .zero

        /// The figures, for a person and for docs/reliability.md.
        public var summary: String {
            func sum(_ counts: [Mutation: Int]) -> Int { counts.values.reduce(0, +) }
            let seed = "0x" + String(configuration.seed, radix: 16)
            var lines = ["Malformed \(kind) files: \(sum(cases)) cases from seed \(seed) in \(Self.seconds(total))"]
            lines.append("  " + "mutation".padding(toLength: 22, withPad: " ", startingAt: 0) + "  cases  loaded  rejected")
            for mutation in Mutation.allCases where cases[mutation] != nil {
                lines.append("  " + mutation.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + Self.column(cases[mutation], 7) + Self.column(loaded[mutation], 8) + Self.column(rejected[mutation], 10))
            }
            lines.append("  " + "all".padding(toLength: 22, withPad: " ", startingAt: 0)
                + Self.column(sum(cases), 7) + Self.column(sum(loaded), 8) + Self.column(sum(rejected), 10))
            lines.append("  faults injected \(sum(cases)), detected \(sum(rejected)) (rejected with FILE:LINE:COLUMN errors), "
                + "survived \(sum(loaded)) (still a valid file), crashes 0, property violations \(failures.count)")
            if let slowest {
                lines.append("  slowest case: \(slowest.index) (\(slowest.mutation.rawValue)) in \(Self.seconds(slowest.time))")
            }
            if let peak = Self.peakMemory() { lines.append("  peak resident memory of the test process: \(peak)") }
            return lines.joined(separator: "\n")
        }

        mutating func add(_ result: Result<Void, SourceErrors>, of mutation: Mutation, index: Int, time: Duration) {
            cases[mutation, default: 0] += 1
            switch result {
            case .success: loaded[mutation, default: 0] += 1
            case .failure: rejected[mutation, default: 0] += 1
            }
            if slowest.map({ time > $0.time }) ?? true { slowest = (time, index, mutation) }
        }

        /// Records an issue for each of the first twenty failures, with how to run it again.
        public func recordIssues(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            let seed = "0x" + String(configuration.seed, radix: 16)
            for failure in failures.prefix(20) {
                Issue.record("\(failure); again with GATEHOUSE_FUZZ_SEED=\(seed) GATEHOUSE_FUZZ_CASE=\(failure.index)",
                             sourceLocation: sourceLocation)
            }
            if failures.count > 20 {
                Issue.record("and \(failures.count - 20) more failures", sourceLocation: sourceLocation)
            }
        }

        private static func column(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: " ", count: max(width - text.count, 0)) + text
        }

        private static func seconds(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            return String(format: "%.3f s", Double(seconds) + Double(attoseconds) / 1e18)
        }

        /// `VmHWM` of /proc/self/status, where there is one.
        private static func peakMemory() -> String? {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
            return line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces)
        }
    }

    /// Generates and loads the cases of `configuration`.
    public func run(_ configuration: Configuration) -> Report {
        var report = Report(kind: kind, configuration: configuration)
        let clock = ContinuousClock()
        let started = clock.now
        for index in configuration.onlyCase.map({ [$0] }) ?? Array(0..<configuration.cases) {
            let (mutations, data, fileName) = generate(index, seed: configuration.seed)
            if configuration.trace || configuration.onlyCase != nil {
                // Unbuffered, so that the last line before a crash names the case.
                let line = "fuzz \(kind) case \(index), seed 0x\(String(configuration.seed, radix: 16)): "
                    + "\(mutations.map(\.rawValue).joined(separator: " + ")), \(data.count) bytes\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            let start = clock.now
            let result = load(data, fileName)
            let time = clock.now - start
            report.add(result, of: mutations[0], index: index, time: time)
            var problems = Self.problems(result, fileName: fileName, data: data)
            if configuration.isLong, time > Self.slowCase { problems.append("took \(time), over \(Self.slowCase)") }
            if configuration.onlyCase != nil {
                if case .failure(let errors) = result { print(errors) }
                print("bytes in \(save(data, index: index, seed: configuration.seed))")
            }
            if !problems.isEmpty {
                let path = save(data, index: index, seed: configuration.seed)
                report.failures += problems.map { Failure(index: index, mutations: mutations, problem: $0, savedAt: path) }
            }
        }
        report.total = clock.now - started
        return report
    }

    /// Case `index`: its mutations (the first is the one it is counted under), its bytes and
    /// the name errors must give the file.
    public func generate(_ index: Int, seed: UInt64) -> (mutations: [Mutation], data: Data, fileName: String) {
        var rng = SplitMix64(seed: seed, case: index)
        let base = bases[Int.random(in: bases.indices, using: &rng)]
        // Mutations take turns as the primary, so each gets its share of cases; one case in
        // four has one or two more on top.
        var mutations = [Mutation.allCases[index % Mutation.allCases.count]]
        if rng.oneIn(4) {
            for _ in 0..<Int.random(in: 1...2, using: &rng) { mutations.append(Mutation.allCases.randomElement(using: &rng)!) }
        }
        var mutator = YAMLMutator(text: base.text, rng: SplitMix64(seed: rng.next()))
        for mutation in mutations { mutator.apply(mutation) }
        return (mutations, mutator.bytes, "\(base.name)-\(index).yaml")
    }

    /// What is wrong with `result` as the outcome of loading `data`; empty if it is a load or
    /// located errors.
    public static func problems(_ result: Result<Void, SourceErrors>, fileName: String, data: Data) -> [String] {
        guard case .failure(let errors) = result else { return [] }
        guard !errors.errors.isEmpty else { return ["the load failed without an error"] }
        let lines = YAMLLines.of(String(decoding: data, as: UTF8.self))
        return errors.errors.compactMap { error -> String? in
            let location = error.location
            if location.file != fileName { return "error names the file '\(location.file)': \(error)" }
            if location.line < 1 || location.column < 1 { return "error has no line and column: \(error)" }
            if location.line > lines.count { return "error at line \(location.line), past the last line \(lines.count): \(error)" }
            if location.column > lines[location.line - 1] + 1 {
                return "error at column \(location.column), past the end of line \(location.line) (\(lines[location.line - 1]) characters): \(error.description.prefix(300))"
            }
            if error.message.allSatisfy(\.isWhitespace) { return "error without a message: \(error)" }
            if error.message.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return "error message holds a line break or control character: \(error.description.debugDescription.prefix(300))"
            }
            if error.description != "\(fileName):\(location.line):\(location.column): \(error.message)" {
                return "error does not read FILE:LINE:COLUMN: message: \(error)"
            }
            return nil
        }
    }

    private func save(_ data: Data, index: Int, seed: UInt64) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-fuzz")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("\(kind)-0x\(String(seed, radix: 16))-\(index).yaml")
        try? data.write(to: file)
        return file.path
    }
}

/// Line lengths as libyaml counts lines and columns: a line ends at LF, CR, CR LF, NEL, LS or
/// PS; a column is a unicode scalar. Written apart from the loader's own count, to check it.
enum YAMLLines {
    /// The length of each line, in unicode scalars.
    static func of(_ text: String) -> [Int] {
        var lengths = [0]
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previous == "\r": break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": lengths.append(0)
            default: lengths[lengths.count - 1] += 1
            }
            previous = scalar
        }
        return lengths
    }
}
