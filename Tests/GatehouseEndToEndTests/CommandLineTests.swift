import Foundation
import Testing

/// The command line as scripts use it: output, exit status, errors.
struct CommandLineTests {
    @Test func matrixMarkdownReproducesTheSeedTable() throws {
        let result = try Binary.run(["matrix", "--format", "markdown"])
        #expect(result.status == 0)
        let seedTable = """
            | Option | Safety | Value | Effort | As next macro? |
            |---|---|---|---|---|
            | OPT-1 release/tag local | ★★★★★ | ★☆☆☆☆ | low | fold into O6 |
            | OPT-2 deploy, kill-switch off | ★★★★☆ | ★★★★☆ | high | YES — O6 core |
            | OPT-3 post-deploy live dry-run | ★★★★☆ | ★★★★☆ | med-high | YES — O7 core |
            | OPT-4 first live production cut | ★★☆☆☆ | ★★★★★ | xhigh | NO — later (O8), separate ruling |
            | OPT-5 defer until real crypto | ★★★★★ | ★★★☆☆ | xhigh | NO — adopt as a policy rule |
            """
        #expect(result.stdout.contains(seedTable))
        #expect(result.stdout.contains("next: OPT-1 (folded) + OPT-2 → macro O6"))
    }

    @Test func matrixJSONIsParseableAndStable() throws {
        let result = try Binary.run(["matrix", "--format", "json"])
        #expect(result.status == 0)
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["format_version"] as? Int == 1)
        let options = try #require(json["options"] as? [[String: Any]])
        #expect(options.map { $0["id"] as? String } == ["OPT-1", "OPT-2", "OPT-3", "OPT-4", "OPT-5"])
        // Same input, same bytes.
        #expect(try Binary.run(["matrix", "--format", "json"]).stdout == result.stdout)
    }

    @Test func matrixTextInTheCLocaleUsesASCIIStars() throws {
        let result = try Binary.run(["matrix"], environment: ["LANG": "C", "LC_ALL": "C"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OPT-4 first live production cut  **...   *****"))
        #expect(result.stdout.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func gatesListsGatesGapsMacrosAndPolicies() throws {
        let result = try Binary.run(["gates"])
        #expect(result.status == 0)
        for text in ["G3", "GATE-O8", "blocked by: gap GAP-3 is open", "GAP-1", "O8", "POLICY-OPT-5"] {
            #expect(result.stdout.contains(text), "missing \(text)")
        }
    }

    @Test func checkSaysOKForTheO5File() throws {
        let path = Binary.packageRoot.appendingPathComponent("programmes/o5.yaml").path
        let result = try Binary.run(["check", path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\(path): OK"))
    }

    @Test func checkListsEveryErrorAndExits2() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let broken = try String(contentsOf: Binary.packageRoot.appendingPathComponent("programmes/o5.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "        stars: 5\n        text: Maximum — touches", with: "        stars: 7\n        text: Maximum — touches")
            .replacingOccurrences(of: "  part: doc 3 of 6", with: "  part: doc 3 of 6\n  colour: blue")
        try broken.write(to: file, atomically: true, encoding: .utf8)
        let result = try Binary.run(["check", file.path])
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(file.path):11:3: unknown key 'colour' in 'programme'; expected one of 'id', 'title', 'document', 'part', 'date'"))
        #expect(lines.contains { $0.hasPrefix("\(file.path):") && $0.contains("must be 1...5, found 7") })
        #expect(lines.last == "\(file.path): 2 errors")
    }

    @Test func badProgrammeForTheDashboardExits2BeforeTouchingTheTerminal() throws {
        let result = try Binary.run(["--programme", "/nonexistent/o9.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/o9.yaml:1:1: cannot read the programme file"))
    }

    @Test func dashboardWithoutATerminalSaysSoAndExits1() throws {
        let result = try Binary.run([], environment: ["TERM": "xterm-256color"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("must be a terminal"))
    }

    @Test func unknownThemeExits2() throws {
        let result = try Binary.run(["--theme", "neon"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no theme named 'neon'; expected one of default, high-contrast, light, mono"))
    }

    @Test func verifyWithoutAJournalSaysWhereItLooked() throws {
        let result = try Binary.run(["verify", "--journal", "/nonexistent/journal.sqlite"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no journal at /nonexistent/journal.sqlite"))
    }
}
