import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing

/// Random sequences of programme acts, valid and not, against the board's rules.
///
/// Each history mixes sign-offs (pass and fail, by either sovereign or a stranger), gaps closed
/// and reopened, conditions met, rulings, dry runs closed out, forged acts, and a change of the
/// programme file (a re-pinned charter whose gates differ). After every act:
/// - the board folded act by act equals the board of the same journal folded from scratch;
/// - no gate a sign-off made pass has a requirement unmet or too few distinct signers;
/// - no stale sign-off is counted: each counted one binds the gate's definition and evidence
///   as they are now.
struct ProgrammePropertyTests {
    private static let gates = ["G3", "GATE-O6", "GATE-O7", "GATE-O8", "GATE-CRYPTO", "GATE-DEPLOY-ARCH", "SG_1"]
    private static let gaps = ["GAP-1", "GAP-2", "GAP-3", "GAP-4", "GAP-5", "GAP-6", "GAP-7", "GAP-8"]
    private static let signers = ["demo", "demo", "demo2", "mallory"]

    @Test(arguments: 0..<4)
    func theBoardIsAlwaysItsOwnFoldAndNeverPassesWhatItMustNot(batch: UInt64) {
        var random = SplitMix64(seed: 0x9A7E_2000 &+ batch)
        var passes = 0
        var staleSeen = 0
        for history in 0..<30 {
            var driver = ProgrammeDriver()
            var runs = 0
            for _ in 0..<60 {
                act(&driver, &random, runs: &runs)
                let board = check(driver, history: history)
                passes += board.entries.filter { $0.status == .pass && !$0.signOffs.isEmpty }.count
                staleSeen += board.entries.reduce(0) { $0 + $1.stale.count }
            }
            #expect(RunLedger(events: driver.runs.journal).programme == driver.ledger.programme, "history \(history)")
        }
        // The histories reach what the rules guard: signed passes, and stale sign-offs.
        #expect(passes > 100 && staleSeen > 20, "passes \(passes), stale \(staleSeen)")
    }

    private func pick<T>(_ items: [T], _ random: inout SplitMix64) -> T { items[Int(random.next() % UInt64(items.count))] }

    /// One random act: mostly ones that can succeed, so that histories get somewhere.
    private func act(_ driver: inout ProgrammeDriver, _ random: inout SplitMix64, runs: inout Int) {
        let by = pick(Self.signers, &random)
        switch random.next() % 20 {
        case 0...5:
            driver.signOff(pick(Self.gates, &random), pass: random.next() % 6 != 0, reason: pick(["", "no"], &random), by: by)
        case 6...9:
            driver.closeGap(pick(Self.gaps, &random), run: runs > 0 && random.next() % 2 == 0 ? "dry-\(runs)" : nil,
                            evidence: pick(["done", ""], &random), by: by)
        case 10, 11:
            driver.reopenGap(pick(Self.gaps, &random), reason: pick(["regressed", " "], &random), by: by)
        case 12:
            driver.conditionMet("a deploy command-review package", of: "GATE-O6", by: by)
        case 13:
            driver.ruling(pick(["proceed", "hold"], &random), on: pick(["GATE-O8", "GATE-CRYPTO", "GATE-O6"], &random), by: by)
        case 14, 15:
            runs += 1
            driver.run("dry-\(runs)", close: random.next() % 4 != 0)
        case 16:
            // A forged act: a statement whose signature was not made over it.
            var statement = driver.signOffStatement(pick(Self.gates, &random), by: by)
            let signature = StubSigning.sign(statement)
            statement["verdict"] = .string("pass")
            statement["nonce"] = .string("forged")
            driver.forge(.act(ProgrammeAct(statement: statement, provider: "stub", signature: signature)))
        case 17:
            // The programme file changes a gate (or changes back): a new charter is pinned.
            var programme = ProgrammeLoader.embedded()
            if random.next() % 2 == 0 {
                programme.gates[2].requires.append(.gap("GAP-2"))
                programme.sourceDigest = "edited"
            }
            driver.pin(ProgrammeCharter(programme))
        default:
            // A statement replayed as it was signed, later (its nonce and evidence are old).
            let statement = driver.signOffStatement(pick(Self.gates, &random), by: by)
            driver.closeGap(pick(Self.gaps, &random), by: by)
            driver.send(statement)
        }
    }

    @discardableResult
    private func check(_ driver: ProgrammeDriver, history: Int) -> GateBoard {
        let board = driver.board
        for entry in board.entries where !entry.gate.isSovereign {
            let id = entry.gate.id
            // A stale sign-off never counts: every counted one binds what is there now.
            for signOff in entry.signOffs {
                #expect(signOff.act.gateDigest == board.charter.definitionDigests[id], "history \(history): \(id) counts a sign-off of another definition")
                #expect(Set(signOff.act.evidence).isSubset(of: entry.evidence), "history \(history): \(id) counts a sign-off whose evidence went")
                #expect(board.charter.sovereign(signOff.act.by)?.gates.contains(id) == true, "history \(history): \(id) counts \(signOff.act.by)")
            }
            #expect(Set(entry.signOffs.map(\.act.by)).count == entry.signOffs.count, "history \(history): \(id) counts a sovereign twice")
            guard entry.status == .pass, !(entry.gate.status == .pass && entry.signOffs.isEmpty && entry.stale.isEmpty) else { continue }
            // A gate signed to pass has every requirement met, by the board's own account...
            #expect(entry.blockers.isEmpty, "history \(history): \(id) is pass while blocked by \(entry.blockers.map(\.reason))")
            #expect(entry.passes.count >= entry.signaturesNeeded && entry.failure == nil, "history \(history): \(id) is pass with \(entry.signatureCount)")
            // ... and by looking at each requirement directly.
            for requirement in entry.gate.requires {
                switch requirement {
                case .gate(let other): #expect(board.entry(other)?.status == .pass, "history \(history): \(id) passed before \(other)")
                case .gap(let gap): #expect(board.gap(gap).closed, "history \(history): \(id) passed with \(gap) open")
                case .condition(let text, let met):
                    #expect(met || board.book.conditions[id]?[text] != nil, "history \(history): \(id) passed before '\(text)'")
                case .runs(let plan, let mode):
                    #expect(driver.ledger.programme.closedRuns[ClosedRun.key(plan: plan, mode: mode)] != nil, "history \(history): \(id) passed without a run")
                case .parity(let plan, let mode):
                    #expect(driver.ledger.programme.parityRuns[ClosedRun.key(plan: plan, mode: mode)]?.check.holds == true,
                            "history \(history): \(id) passed without a run at parity")
                }
            }
            if entry.gate.needsRuling { #expect(entry.ruling != nil, "history \(history): \(id) passed without a ruling") }
        }
        return board
    }
}
