import GatehouseCore
import GatehouseTestSupport
import Testing

/// A checkpoint of the fold: the fold from it equals the fold from the start, and one that is
/// edited, cut short, moved or written by another format is refused, never used.
struct LedgerCheckpointTests {
    /// A random history of three runs: phases run, fail and skip, gates decided, switches
    /// turned, runners lost and resumed, output in batches and lines, refusals, and one event
    /// no state machine accepts.
    private static func history(seed: Int) -> [JournalEvent] {
        var random = SplitMix64(seed: 0xC4EC_4901, case: seed)
        var driver = LedgerDriver()
        let runs = ["dry", "live-a", "live-b"]
        driver.start("dry", mode: .dryRun)
        driver.start("live-a", mode: .live)
        driver.start("live-b", mode: .live)
        var offsets: [String: Int] = [:]
        for step in 0..<400 {
            let run = runs[Int(random.next() % 3)]
            guard let state = driver.ledger[run] else { continue }
            switch random.next() % 12 {
            case 0, 1: if let next = state.nextPendingPhase { driver.send(.phaseStarted(phase: next.phase.id), to: run) }
            case 2, 3: if let running = state.runningPhase { driver.send(.phaseCompleted(phase: running.phase.id, facts: facts(running.phase.id)), to: run) }
            case 4: driver.send(.gateApproved(decision(random.next() % 2 == 0 ? "SG_1" : "SG_2")), to: run)
            case 5: driver.send(.killSwitchEnabled(by: "s"), to: run)
            case 6: driver.send(random.next() % 2 == 0 ? .runnerLost(reason: "x") : .resumed(by: "o"), to: run)
            case 7: if let next = state.nextPendingPhase { driver.send(.phaseSkipped(phase: next.phase.id, reason: "x"), to: run) }
            case 8: driver.send(.log(phase: "apply", stream: "stdout", text: "line \(step)"), to: run)
            case 9:
                let bytes = Array("out \(step)\npart".utf8)
                let offset = offsets[run, default: 0]
                offsets[run] = offset + bytes.count
                driver.send(.output(OutputBatch(phase: "apply", stream: "stdout", offset: offset, bytes: bytes, sha256: "-",
                                                isLast: random.next() % 4 == 0)), to: run)
            case 10: driver.send(.phaseProgress(phase: "apply", done: step, total: 400), to: run)
            default:
                if random.next() % 20 == 0 { driver.send(.aborted(by: "o", reason: "x"), to: run) } else { driver.send(.closed, to: run) }
            }
            if step == 200 {
                driver.sequence += 1
                driver.log(run: run, kind: "phase.started", actor: "mallory", payload: .object([:]))
            }
        }
        return driver.journal
    }

    private static func checkpoint(of events: some Collection<JournalEvent>) throws -> LedgerCheckpoint {
        let ledger = RunLedger(events: events)
        return try LedgerCheckpoint(ledger, head: JournalHead(sequence: ledger.sequence, hash: "hash-of-\(ledger.sequence)"))
    }

    @Test(arguments: 0..<6)
    func theFoldFromACheckpointIsTheFoldFromTheStart(seed: Int) throws {
        let events = Self.history(seed: seed)
        let whole = RunLedger(events: events)
        #expect(whole.anomalies.count == 1 && whole.runs.count == 3)
        var random = SplitMix64(seed: 0x5EED, case: seed)
        for _ in 0..<8 {
            let cut = 1 + Int(random.next() % UInt64(events.count))
            let checkpoint = try Self.checkpoint(of: events.prefix(cut))
            var resumed = try checkpoint.ledger(journalHash: "hash-of-\(checkpoint.sequence)").get()
            #expect(resumed == RunLedger(events: events.prefix(cut)), "the checkpoint reads back as the fold it was made of")
            for event in events.dropFirst(cut) { resumed.apply(event) }
            #expect(resumed == whole, "seed \(seed), checkpoint after \(cut) of \(events.count) events")
        }
    }

    @Test func anEditedOrTruncatedCheckpointIsRefused() throws {
        let checkpoint = try Self.checkpoint(of: Self.history(seed: 1).prefix(100))
        var edited = checkpoint
        let index = edited.state.firstIndex(of: UInt8(ascii: "7")) ?? 10
        edited.state[index] = UInt8(ascii: "8")
        #expect(edited.ledger(journalHash: edited.eventHash) == .failure(.sealBroken(sequence: checkpoint.sequence)))
        var truncated = checkpoint
        truncated.state.removeLast(truncated.state.count / 2)
        #expect(truncated.ledger(journalHash: truncated.eventHash) == .failure(.sealBroken(sequence: checkpoint.sequence)))
    }

    @Test func aCheckpointOffTheChainIsRefused() throws {
        let checkpoint = try Self.checkpoint(of: Self.history(seed: 2).prefix(100))
        let refused = checkpoint.ledger(journalHash: "another-hash")
        #expect(refused == .failure(.notOnTheChain(sequence: checkpoint.sequence, bound: checkpoint.eventHash, found: "another-hash")))
        #expect(checkpoint.ledger(journalHash: nil) == .failure(.notOnTheChain(sequence: checkpoint.sequence, bound: checkpoint.eventHash, found: nil)))
        if case .failure(let problem) = refused {
            #expect(problem.description.contains("it was moved, or the journal rewritten"))
        }
    }

    @Test func aCheckpointMovedToAnotherEventAndSealedAgainDoesNotReadAsThatEvent() throws {
        let checkpoint = try Self.checkpoint(of: Self.history(seed: 3).prefix(100))
        let moved = LedgerCheckpoint(sequence: checkpoint.sequence + 5, eventHash: "h", format: checkpoint.format, state: checkpoint.state,
                                     seal: LedgerCheckpoint.seal(sequence: checkpoint.sequence + 5, eventHash: "h",
                                                                 format: checkpoint.format, state: checkpoint.state))
        guard case .failure(.unreadable(let sequence, let reason)) = moved.ledger(journalHash: "h") else {
            Issue.record("a checkpoint whose fold stands elsewhere was used")
            return
        }
        #expect(sequence == checkpoint.sequence + 5)
        #expect(reason == "the fold it holds stands at event \(checkpoint.sequence)")
    }

    @Test func aFormatThisVersionDoesNotKnowIsRefused() throws {
        let checkpoint = try Self.checkpoint(of: Self.history(seed: 4).prefix(50))
        let later = LedgerCheckpoint(sequence: checkpoint.sequence, eventHash: checkpoint.eventHash, format: 99, state: checkpoint.state,
                                     seal: LedgerCheckpoint.seal(sequence: checkpoint.sequence, eventHash: checkpoint.eventHash,
                                                                 format: 99, state: checkpoint.state))
        #expect(later.ledger(journalHash: checkpoint.eventHash) == .failure(.unknownFormat(sequence: checkpoint.sequence, format: 99)))
    }

    @Test func verifysAuditNamesACheckpointMovedToAnotherEventOrPastTheLast() throws {
        let events = Self.history(seed: 5)
        let right = try Self.checkpoint(of: events.prefix(40))
        let there = events[59]
        // Sealed again at another event: the fold it holds stands at the first one.
        let moved = LedgerCheckpoint(sequence: there.sequence, eventHash: there.hash, format: right.format, state: right.state,
                                     seal: LedgerCheckpoint.seal(sequence: there.sequence, eventHash: there.hash,
                                                                 format: right.format, state: right.state))
        let after = events.last!.sequence + 10
        var audit = CheckpointAudit(checkpointsAt: [there.sequence, after])
        events.forEach { audit.add($0) }
        audit.end { $0 == there.sequence ? moved : nil }
        #expect(audit.checked == 2)
        #expect(audit.problems == [.unreadable(sequence: there.sequence, reason: "the fold it holds stands at event \(right.sequence)"),
                                   .notOnTheChain(sequence: after, bound: "?", found: nil)])
        #expect(audit.ledger == RunLedger(events: events))
    }
}
