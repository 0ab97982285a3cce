import GatehouseCore

/// The Runs tab: the selected run's phases with state, times and a gauge, the gate it waits
/// at, its pre/post counts and SHA, and the tail of its log.
enum RunScreen {
    static let keys: [KeyHint] = [
        KeyHint("d", "dry run"), KeyHint("x", "abort"), KeyHint("K", "kill-switch"), KeyHint("l", "runs"), KeyHint("c", "parity"),
        KeyHint("PgUp", "log"), KeyHint("?", "help"), KeyHint("q", "quit"),
    ]

    /// The keys for `run`: an ended run that took a backup offers its restore where the
    /// kill-switch was (it can no longer enable one).
    static func keys(for run: RunState?) -> [KeyHint] {
        guard let run, run.isEnded, run.facts.backupPath != nil, run.start.package == nil else { return keys }
        return keys.map { $0.key == "K" ? KeyHint("R", "restore") : $0 }
    }

    static func draw(_ run: RunState?, context: DashboardContext, state: DashboardState,
                     on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        guard let run else { return drawNoRun(context: context, on: &canvas, rect: rect, glyphs: glyphs) }
        var y = rect.y
        title(run).draw(on: &canvas, x: rect.x, y: y, clip: rect)
        y += 1
        banner(run, runner: context.runner(run)).draw(on: &canvas, x: rect.x, y: y, clip: rect)
        y += 1
        let parity = ParityView(run, state: state, context: context)
        if let parity, y < rect.bottom {
            parity.line.draw(on: &canvas, x: rect.x, y: y, clip: rect)
            y += 1
        }
        let idWidth = min(22, (run.phases.map { DisplayWidth.of($0.phase.id) }.max() ?? 8))
        for (index, record) in run.phases.enumerated() where y < rect.bottom {
            drawPhase(record, number: index + 1, of: run, idWidth: idWidth, now: context.now, on: &canvas, rect: rect, y: y, glyphs: glyphs)
            if let fields = parity?.differingFields(in: record.phase.id), !fields.isEmpty {
                markDifference(fields, on: &canvas, rect: rect, y: y, glyphs: glyphs)
            }
            y += 1
        }
        // Facts: pre/post counts and SHA.
        if y < rect.bottom {
            factsLine(run).draw(on: &canvas, x: rect.x, y: y, clip: rect)
            y += 1
        }
        // Where it ran: what a parity comparison starts from.
        if let fingerprint = run.start.fingerprint, y < rect.bottom - 2 {
            fingerprintLine(fingerprint).draw(on: &canvas, x: rect.x, y: y, clip: rect)
            y += 1
        }
        guard y < rect.bottom - 1 else { return }
        drawLog(run, scroll: state.logScroll, on: &canvas, rect: Rect(x: rect.x, y: y, width: rect.width, height: rect.bottom - y), glyphs: glyphs)
    }

    /// What the tab says while the journal holds no run.
    private static func drawNoRun(context: DashboardContext, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        var lines = [StyledLine("No runs in the journal yet.", .heading)]
        if let note = context.journalNote { lines.append(StyledLine(note, .dim)) }
        lines.append(StyledLine(context.readOnly
            ? "Start one elsewhere with `gatehouse run --dry-run`; it appears here as it runs."
            : "Press d to start a dry run on the embedded target, or run `gatehouse run --dry-run`.", .dim))
        ScrollView.draw(lines.flatMap { wrap($0, width: rect.width) }, on: &canvas, rect: rect, offset: 0, glyphs: glyphs)
    }

    /// The title line: id, mode, plan, document, operator.
    private static func title(_ run: RunState) -> StyledLine {
        var title = StyledLine("run \(run.shortID) ", .heading)
            .adding(" \(run.mode.label) ", run.mode == .live ? .danger : .mode)
            .adding(" \(run.start.plan.id)")
        if let document = run.start.document { title = title.adding(" · \(document)") }
        if let package = run.start.package { title = title.adding(" · package \(package.digest.prefix(12))") }
        return title.adding(" · \(run.start.operatorName)", .dim)
    }

    /// One phase's row: state glyph, number, id, word, start time and duration, then a gauge
    /// while it reports progress, or its note.
    private static func drawPhase(_ record: PhaseRecord, number: Int, of run: RunState, idWidth: Int, now: Int64,
                                  on canvas: inout Canvas, rect: Rect, y: Int, glyphs: GlyphSet) {
        let (glyph, role) = phaseGlyph(record.status, glyphs: glyphs)
        var x = canvas.put(glyph, x: rect.x, y: y, role: role, clip: rect)
        x = canvas.put(" " + DisplayWidth.pad(String(number), to: 2) + " ", x: x, y: y, role: .dim, clip: rect)
        x = canvas.put(DisplayWidth.pad(DisplayWidth.truncate(record.phase.id, to: idWidth), to: idWidth), x: x, y: y,
                       role: record.status == .running ? .heading : .normal, clip: rect)
        x = canvas.put(" " + DisplayWidth.pad(phaseWord(record, run: run), to: 8), x: x, y: y, role: role, clip: rect)
        if let started = record.startedAt {
            x = canvas.put(" " + RunClock.time(started), x: x, y: y, role: .dim, clip: rect)
            let shown = record.status == .running ? RunClock.elapsed(now - started)
                                                  : RunClock.duration((record.endedAt ?? started) - started)
            x = canvas.put(" " + DisplayWidth.pad(shown, to: 6), x: x, y: y, role: .dim, clip: rect)
        }
        if record.status == .running, let progress = run.progress, progress.phase == record.phase.id, progress.total > 0 {
            let width = max(4, min(20, rect.right - x - 8))
            let filled = width * min(progress.done, progress.total) / progress.total
            x = canvas.put(" " + String(repeating: glyphs.gaugeFull, count: filled)
                           + String(repeating: glyphs.gaugeEmpty, count: width - filled), x: x, y: y, role: .statusPass, clip: rect)
            canvas.put(" \(progress.done)/\(progress.total)", x: x, y: y, role: .dim, clip: rect)
        } else if let note = record.note, record.status != .done || record.attempts > 1 {
            canvas.put(" " + DisplayWidth.truncate(note, to: max(0, rect.right - x - 1), ellipsis: glyphs.isUnicode ? "…" : "~"),
                       x: x, y: y, role: .dim, clip: rect)
        }
    }

    /// The mark at the end of a phase's row whose facts differ from the reference's: `≠ pre_sha, post_sha`.
    private static func markDifference(_ fields: [String], on canvas: inout Canvas, rect: Rect, y: Int, glyphs: GlyphSet) {
        let mark = (glyphs.isUnicode ? " ≠ " : " != ") + fields.joined(separator: ", ")
        let width = min(DisplayWidth.of(mark), max(0, rect.width / 2))
        let text = DisplayWidth.truncate(mark, to: width, ellipsis: glyphs.isUnicode ? "…" : "~")
        canvas.put(text, x: rect.right - DisplayWidth.of(text), y: y, role: .statusFail, clip: rect)
    }

    /// The log pane in `rect`: a header line, then the tail, showing its end; scrolling moves up from it.
    private static func drawLog(_ run: RunState, scroll: Int, on canvas: inout Canvas, rect: Rect, glyphs: GlyphSet) {
        let header = "log (\(run.logCount) line\(run.logCount == 1 ? "" : "s"))"
        canvas.put(header + " " + String(repeating: glyphs.horizontal, count: max(0, rect.width - DisplayWidth.of(header) - 1)),
                   x: rect.x, y: rect.y, role: .dim, clip: rect)
        let pane = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        let lines = run.logTail.map { line in
            StyledLine(RunClock.time(line.time) + " ", .dim)
                .adding(line.phase + " ", .dim)
                .adding(line.text, line.stream == "stderr" ? .statusFail : .normal)
        }
        let offset = max(0, ScrollView.maxOffset(count: lines.count, height: pane.height) - scroll)
        ScrollView.draw(lines, on: &canvas, rect: pane, offset: offset, glyphs: glyphs)
    }

    /// The line under the title: what the run waits for, or how it ended; first of all that
    /// nothing drives it when its `runner` is gone.
    static func banner(_ run: RunState, runner: RunnerPresence?) -> StyledLine {
        switch runner {
        case .gone?:
            return StyledLine("Runner gone" + (run.waitingGate.map { " at \($0)" } ?? "") + ": nothing moves until resumed", .danger)
                .adding("   gatehouse resume \(run.shortID)", .dim)
        case .unknown(let identity)?:
            return progressBanner(run).adding("   runner \(identity?.description ?? "elsewhere"): not visible from here", .dim)
        case .alive?, nil:
            return progressBanner(run)
        }
    }

    /// What the run waits for, or how it ended, as the journal says.
    private static func progressBanner(_ run: RunState) -> StyledLine {
        switch run.nextStep {
        case .awaitDecision(let gate):
            var details: [String] = []
            if let candidates = run.facts.candidates { details.append("\(candidates) candidates") }
            if let sha = run.facts.preStateSHA { details.append("pre-state \(sha.prefix(4))…") }
            let suffix = details.isEmpty ? "" : " — " + details.joined(separator: ", ")
            return StyledLine("Waiting for \(gate)\(suffix)", .statusPending)
                .adding("   4: Approvals", .dim)
        case .awaitKillSwitch(let phase):
            return StyledLine("LIVE refused: kill-switch off before \(phase.id)", .danger)
                .adding("   K: checklist and enable", .dim)
        case .awaitResume:
            return StyledLine("Runner gone: nothing moves until it is resumed", .danger)
                .adding("   gatehouse resume \(run.shortID)", .dim)
        case .finished(.closed):
            return StyledLine("Closed out", .statusPass)
                .adding(run.facts.closeoutProvider == StubSigning.providerName ? "   signed by the stub (INSECURE)" : "", .dim)
        case .finished(let outcome):
            return StyledLine(outcome.summary, .statusFail)
        case .phaseInProgress(let phase):
            return StyledLine("Running \(phase.title)", .statusPending)
                .adding(run.switchOn ? "   kill-switch ON for this run" : "", .danger)
        case .perform(let phase, _), .skip(let phase, _), .openGate(let phase):
            return StyledLine("Next: \(phase.title)", .dim)
        case .closeOut:
            return StyledLine("Closing out", .statusPending)
        }
    }

    private static func factsLine(_ run: RunState) -> StyledLine {
        func counts(_ counts: [String: Int64]?) -> String? {
            guard let counts else { return nil }
            return ["document", "unit", "cut_marker"].compactMap { name in counts[name].map { "\($0)" } }.joined(separator: "/")
        }
        var line = StyledLine()
        if let pre = counts(run.facts.preCounts), let sha = run.facts.preStateSHA {
            line = line.adding("pre ", .dim).adding("\(pre) \(sha.prefix(8))")
        }
        if let post = counts(run.facts.postCounts), let sha = run.facts.postStateSHA {
            line = line.adding("  post ", .dim).adding("\(post) \(sha.prefix(8))")
        }
        if let inserted = run.facts.inserted {
            line = line.adding("  written ", .dim).adding("\(inserted)")
        }
        if line.runs.isEmpty { return StyledLine("counts doc/unit/marker and SHA-256 appear after the snapshot", .dim) }
        return StyledLine("doc/unit/marker ", .dim).adding(line.runs.map(\.text).joined())
    }

    /// `ran on alpha as ops · gatehouse 0.1.0 (1e315a8c0d2f) · sqlite journal, sqlite target · Linux 6.1.0 x86_64`.
    static func fingerprintLine(_ fingerprint: RunFingerprint) -> StyledLine {
        StyledLine("ran on ", .dim).adding(fingerprint.host).adding(" as ", .dim).adding(fingerprint.user)
            .adding(" · gatehouse ", .dim).adding(fingerprint.build)
            .adding(" · \(fingerprint.journal) journal\(fingerprint.target.map { ", \($0) target" } ?? "") · \(fingerprint.kernel)", .dim)
    }

    static func phaseGlyph(_ status: PhaseStatus, glyphs: GlyphSet) -> (String, Role) {
        switch status {
        case .pending: (glyphs.phasePending, .dim)
        case .running: (glyphs.phaseRunning, .statusPending)
        case .done: (glyphs.phaseDone, .statusPass)
        case .failed: (glyphs.phaseFailed, .statusFail)
        case .skipped: (glyphs.phaseSkipped, .dim)
        }
    }

    private static func phaseWord(_ record: PhaseRecord, run: RunState) -> String {
        if record.status == .running && record.phase.gate != nil { return "waiting" }
        return record.status.rawValue
    }

    private static func wrap(_ line: StyledLine, width: Int) -> [StyledLine] {
        guard line.runs.count == 1, let run = line.runs.first else { return [line] }
        return StyledLine.wrapped(run.text, width: width, role: run.role)
    }
}
