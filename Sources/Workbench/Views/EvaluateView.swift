// The Evaluate view (F5): the run form with past runs, the results page (progress, table, charts, questions)
// and the four-answer page.

enum EvaluateView {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        if let reason = state.status?.evaluationUnavailableReason {
            buffer.box(rect, title: "Evaluate · F5/Esc back", focused: true)
            let spans = [Span("evaluation not available yet\n", .documentChanged), Span(reason, .dim)]
            buffer.put(lines: TextWrap.wrap(spans, width: max(1, rect.width - 2)), in: rect.inset(1))
            return
        }
        switch state.evaluation.page {
        case .setup: paintSetup(&buffer, rect: rect, state: state)
        case .results: EvaluationResultsView.paint(&buffer, rect: rect, state: state)
        case .answers: EvaluationAnswersView.paint(&buffer, rect: rect, state: state)
        }
    }

    static func suiteName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static func limitText(_ limit: Int?) -> String { limit.map { "first \($0)" } ?? "all" }

    // MARK: Setup page

    static func paintSetup(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        buffer.box(rect, title: "Evaluate a QA suite · F5/Esc back", focused: true)
        let inner = rect.inset(1)
        guard inner.width > 20, inner.height > 4 else { return }
        let e = state.evaluation
        let labelWidth = 12
        let arms = state.evaluationArms
        let armsText = arms.map(\.label).joined(separator: ", ")
            + (state.selectedAdapter.map { " · adapter \($0) ×\(Format.fixed(state.adapterScale, 2))" }
               ?? " · no adapter selected: F4 picks one for FT and FT+RAG")
        let runLabel = e.isRunning ? "[ Show the running evaluation ]" : "[ Run ]"
        let rows: [(EvaluationState.SetupRow?, String, String)] = [
            (.suite, "Suite", "◂ " + (e.suites[safe: e.suiteIndex].map(suiteName) ?? "none found") + " ▸"),
            (.questions, "Questions", "◂ " + limitText(e.limit) + " ▸"),
            (.format, "Format", "◂ " + e.format.rawValue + " ▸"),
            (nil, "Arms", armsText),
            (nil, "Retrieval", "\(state.mode.rawValue), top-\(state.topK) · greedy · stored in runs/"),
            (.run, "", runLabel),
        ]
        for (index, row) in rows.enumerated() where index < inner.height {
            let y = inner.y + index
            let focused = row.0 != nil && row.0 == e.row
            buffer.put(row.1, x: inner.x + 1, y: y, role: .fieldLabel, maxWidth: labelWidth)
            let x = inner.x + 1 + (row.1.isEmpty ? 0 : labelWidth)
            let role: StyleRole = focused ? .fieldFocused : (row.0 == nil ? (row.1 == "Arms" && state.selectedAdapter == nil ? .documentChanged : .dim)
                                                             : (row.0 == .run ? .functionLabel : .fieldValue))
            buffer.put(DisplayWidth.truncate(row.2, to: inner.maxX - x), x: x, y: y, role: role)
        }
        let listTop = inner.y + rows.count + 1
        guard listTop + 1 < inner.maxY else { return }
        let list = Rect(x: inner.x, y: listTop, width: inner.width, height: inner.maxY - listTop)
        paintRuns(&buffer, rect: list, state: state)
    }

    static func paintRuns(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        let e = state.evaluation
        let focused = e.row == .runs
        let title = "Past runs (\(e.runs.count)) · Tab/↓ to the list · Enter opens"
        buffer.put(DisplayWidth.truncate(title, to: rect.width), x: rect.x, y: rect.y, role: focused ? .paneTitleFocused : .title)
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        guard body.height > 0 else { return }
        if e.runs.isEmpty {
            buffer.put("none yet: Run one here or with `parallax eval qa`", x: body.x + 2, y: body.y, role: .dim, maxWidth: body.width - 2)
            return
        }
        let top = max(0, e.runIndex - body.height + 1)
        for row in 0..<body.height {
            guard let run = e.runs[safe: top + row] else { break }
            let y = body.y + row
            let selected = focused && top + row == e.runIndex
            if selected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selection) }
            let marker = top + row == e.runIndex ? "▸ " : "  "
            var x = body.x
            x += buffer.put(marker + DisplayWidth.pad(run.id, to: 26), x: x, y: y, role: selected ? .selection : .hitDocument,
                            maxWidth: body.maxX - x)
            x += buffer.put(DisplayWidth.pad(run.kind, to: 7), x: x, y: y, role: selected ? .selection : .dim, maxWidth: body.maxX - x)
            x += buffer.put(DisplayWidth.pad("\(run.questions) q", to: 7), x: x, y: y, role: selected ? .selection : .normal,
                            maxWidth: body.maxX - x)
            for arm in run.arms {
                x += buffer.put(arm.label + " ", x: x, y: y, role: selected ? .selection : arm.role, maxWidth: body.maxX - x)
            }
            let tail = " " + suiteName(run.suite) + (run.adapter.map { " · \($0)" } ?? "")
            buffer.put(tail, x: x, y: y, role: selected ? .selection : .dim, maxWidth: body.maxX - x)
        }
    }

    // MARK: Status row shared by the results page

    /// Progress of a live run (bar, done/total, current arm and question, elapsed, ETA) or what the shown run is.
    static func paintStatus(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        let e = state.evaluation
        guard let run = e.result, rect.height > 0 else { return }
        var spans: [Span]
        switch e.phase {
        case .running? where run.id == nil:
            let done = e.progress?.done ?? 0
            let total = max(e.total, e.progress?.total ?? 0)
            var text = " \(done)/\(total)"
            if let p = e.progress {
                text += " · \(p.answer.arm.label) \(p.question.id) · \(Format.duration(p.elapsed)) elapsed"
                text += " · ETA " + (p.secondsRemaining.map(Format.duration) ?? "–")
            } else {
                text += " · starting (loading the model and index)…"
            }
            if e.stopRequested { text += " · stopping…" } else { text += " · Esc stops" }
            let barWidth = max(4, min(rect.width / 3, rect.width - DisplayWidth.of(text)))
            buffer.put(Bar.make(fraction: Double(done) / Double(max(1, total)), width: barWidth), x: rect.x, y: rect.y, role: .progressBar)
            buffer.put(text, x: rect.x + barWidth, y: rect.y, role: .streaming, maxWidth: rect.width - barWidth)
            return
        case .failed(let reason)? where run.id == nil:
            spans = [Span("failed: \(reason)", .error)]
        default:
            spans = [Span(run.partial ? "stopped, partial run" : "run", run.partial ? .documentChanged : .success)]
        }
        if let id = run.id { spans.append(Span(" " + id, .hitDocument)) }
        let count = run.questions.count
        spans.append(Span(" · \(suiteName(run.suite)) · \(count) question\(count == 1 ? "" : "s")", .normal))
        if let adapter = run.settings["adapter"], adapter != "none" { spans.append(Span(" · adapter \(adapter)", .dim)) }
        if let format = run.settings["format"] { spans.append(Span(" · format \(format)", .dim)) }
        spans.append(Span(" · Esc back", .dim))
        buffer.put(spans, x: rect.x, y: rect.y, maxWidth: rect.width)
    }
}
