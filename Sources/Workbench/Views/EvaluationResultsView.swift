// The Evaluate view's results page: progress, the per-arm table, bar charts of the main metrics, the question list.

enum EvaluationResultsView {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        let e = state.evaluation
        let title = e.isRunning ? "Evaluation running · Esc/Ctrl-C stop (results kept) · F5 leaves it running"
            : "Evaluation results · ↑↓ questions · Enter answers · Tab charts/questions · Esc back"
        buffer.box(rect, title: title, focused: true)
        guard let run = e.result else { return }
        let layout = EvaluationLayout(main: rect, arms: run.arms.count, section: e.section)
        guard layout.inner.width > 20, layout.inner.height > 3 else { return }
        EvaluateView.paintStatus(&buffer, rect: layout.status, state: state)
        paintTable(&buffer, rect: layout.table, run: run)
        if let charts = layout.charts { paintCharts(&buffer, rect: charts, columns: layout.chartColumns, run: run) }
        if let questions = layout.questions { paintQuestions(&buffer, rect: questions, run: run, selected: e.questionIndex) }
        if !layout.showsBoth {
            let hint = e.section == .charts ? "Tab or ↓: the questions" : "Tab: the charts"
            buffer.put(hint, x: layout.inner.x, y: layout.inner.maxY - 1, role: .dim, maxWidth: layout.inner.width)
        }
    }

    // MARK: Table

    /// A rate as a percentage with one decimal ("46.0%"), or "–".
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return Format.fixed(value * 100, 1) + "%"
    }

    static func seconds(_ value: Double) -> String { Format.fixed(value, value >= 10 ? 1 : 2) + "s" }

    static func paintTable(_ buffer: inout CellBuffer, rect: Rect, run: EvaluationRunResult) {
        guard rect.height > 0 else { return }
        let wide = rect.width >= 7 + 8 * 16
        let labels = wide
            ? ["gold-contained", "token F1", "exact match", "format", "citation support", "recall@\(run.topK)", "s/answer", "prompt tokens"]
            : ["gold", "F1", "EM", "format", "cites", "R@\(run.topK)", "s/ans", "prompt"]
        let columnWidth = wide ? 16 : max(6, min(9, (rect.width - 7) / labels.count))
        func cell(_ text: String) -> String {
            String(repeating: " ", count: max(0, columnWidth - 1 - DisplayWidth.of(text))) + text + " "
        }
        var x = rect.x + buffer.put(DisplayWidth.pad("arm", to: 7), x: rect.x, y: rect.y, role: .title)
        for label in labels { x += buffer.put(cell(label), x: x, y: rect.y, role: .title, maxWidth: rect.maxX - x) }
        for (index, arm) in run.arms.enumerated() where index + 1 < rect.height {
            let y = rect.y + 1 + index
            var x = rect.x + buffer.put(DisplayWidth.pad(arm.label, to: 7), x: rect.x, y: y, role: arm.role)
            guard let s = run.summaries.first(where: { $0.arm == arm }) else {
                buffer.put("no answers yet", x: x, y: y, role: .dim, maxWidth: rect.maxX - x)
                continue
            }
            let values = [percent(s.goldContained), percent(s.f1), percent(s.exactMatch), percent(s.formatCompliance),
                          percent(s.citationSupport), percent(s.retrievalRecall), seconds(s.secondsPerAnswer),
                          Format.fixed(s.promptTokens, 0)]
            for value in values { x += buffer.put(cell(value), x: x, y: y, role: .normal, maxWidth: rect.maxX - x) }
        }
    }

    // MARK: Bar charts

    /// The charted metrics: name, value per summary, and whether the value is a rate (0…1) or seconds (scaled to the largest).
    static let metrics: [(name: String, value: @Sendable (EvaluationArmSummary) -> Double?, isRate: Bool)] = [
        ("gold-contained", { $0.goldContained }, true),
        ("token F1", { $0.f1 }, true),
        ("format compliance", { $0.formatCompliance }, true),
        ("seconds per answer", { $0.secondsPerAnswer }, false),
    ]

    static func paintCharts(_ buffer: inout CellBuffer, rect: Rect, columns: Int, run: EvaluationRunResult) {
        guard columns > 0, rect.width > 10 else { return }
        let gap = 2
        let blockWidth = (rect.width - gap * (columns - 1)) / columns
        let blockHeight = run.arms.count + 1
        let rows = (metrics.count + columns - 1) / columns
        let rowGap = rect.height >= rows * blockHeight + rows - 1 ? 1 : 0
        for (index, metric) in metrics.enumerated() {
            let column = index % columns, row = index / columns
            let block = Rect(x: rect.x + column * (blockWidth + gap), y: rect.y + row * (blockHeight + rowGap),
                             width: blockWidth, height: blockHeight)
            guard block.maxY <= rect.maxY else { break }
            let values = run.arms.map { arm in run.summaries.first { $0.arm == arm }.flatMap(metric.value) }
            let scale = metric.isRate ? 1 : max(1e-9, values.compactMap { $0 }.max() ?? 1)
            let suffix = metric.isRate ? "" : " (longest = \(seconds(scale)))"
            buffer.put(metric.name + suffix, x: block.x, y: block.y, role: .title, maxWidth: block.width)
            for (armIndex, arm) in run.arms.enumerated() {
                let y = block.y + 1 + armIndex
                let value = values[armIndex]
                let text = value.map { metric.isRate ? percent($0) : seconds($0) } ?? "–"
                let valueWidth = 7
                let barWidth = max(1, block.width - 7 - valueWidth - 1)
                buffer.put(DisplayWidth.pad(arm.label, to: 7), x: block.x, y: y, role: arm.role)
                buffer.put(Bar.make(fraction: (value ?? 0) / scale, width: barWidth), x: block.x + 7, y: y, role: arm.role)
                let padded = String(repeating: " ", count: max(0, valueWidth - DisplayWidth.of(text))) + text
                buffer.put(padded, x: block.x + 7 + barWidth + 1, y: y, role: value == nil ? .dim : .normal, maxWidth: valueWidth)
            }
        }
    }

    // MARK: Question list

    /// "✓"/"✗" for a yes/no result, "·" when it does not apply.
    static func mark(_ value: Bool?) -> Span {
        switch value {
        case true?: Span("✓", .success)
        case false?: Span("✗", .error)
        case nil: Span("·", .dim)
        }
    }

    static func paintQuestions(_ buffer: inout CellBuffer, rect: Rect, run: EvaluationRunResult, selected: Int) {
        guard rect.height > 0 else { return }
        let idWidth = min(12, max(6, (run.questions.map { DisplayWidth.of($0.id) }.max() ?? 4) + 2))
        let armWidth = 7
        var x = rect.x + buffer.put(DisplayWidth.pad("  id", to: idWidth + 2), x: rect.x, y: rect.y, role: .title)
        for arm in run.arms { x += buffer.put(DisplayWidth.pad(arm.label, to: armWidth), x: x, y: rect.y, role: arm.role, maxWidth: rect.maxX - x) }
        let count = run.questions.isEmpty ? "" : " \(min(selected + 1, run.questions.count))/\(run.questions.count)"
        buffer.put("question\(count) · ✓✗ gold-contained, format", x: x, y: rect.y, role: .title, maxWidth: rect.maxX - x)
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        guard body.height > 0 else { return }
        if run.questions.isEmpty {
            buffer.put("  waiting for the first answer…", x: body.x, y: body.y, role: .dim, maxWidth: body.width)
            return
        }
        let top = max(0, min(selected - body.height + 1, run.questions.count - body.height))
        for row in 0..<body.height {
            let index = top + row
            guard let question = run.questions[safe: index] else { break }
            let y = body.y + row
            let isSelected = index == selected
            if isSelected { buffer.fill(Rect(x: body.x, y: y, width: body.width, height: 1), role: .selection) }
            let base: StyleRole = isSelected ? .selection : .normal
            var x = body.x + buffer.put((isSelected ? "▸ " : "  ") + DisplayWidth.pad(question.id, to: idWidth), x: body.x, y: y,
                                        role: isSelected ? .selection : .hitDocument)
            for arm in run.arms {
                guard x + armWidth <= body.maxX else { break }
                if let answer = question.answer(of: arm) {
                    buffer.put([mark(answer.goldContained), Span(" ", base), mark(answer.formatCompliant)], x: x, y: y, maxWidth: 3)
                } else {
                    buffer.put("…", x: x, y: y, role: .dim)
                }
                x += armWidth
            }
            buffer.put(question.question, x: x, y: y, role: base, maxWidth: body.maxX - x)
        }
    }
}
