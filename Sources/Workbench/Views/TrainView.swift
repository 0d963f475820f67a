// The Train view (F3): dataset picker, LoRA settings, start/cancel, progress bar, live loss chart, speed and ETA.

enum TrainView {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        buffer.box(rect, title: "Train a LoRA adapter · F3/Esc back (training continues in the background)", focused: true)
        let inner = rect.inset(1)
        guard inner.width > 20, inner.height > 6 else { return }
        let leftWidth = min(44, max(30, inner.width * 2 / 5))
        let formHeight = TrainForm.Row.allCases.count + 2
        let form = Rect(x: inner.x, y: inner.y, width: leftWidth, height: min(inner.height, formHeight))
        paintForm(&buffer, rect: form, state: state)
        let datasetsRect = Rect(x: inner.x + leftWidth + 1, y: inner.y, width: inner.width - leftWidth - 1, height: form.height)
        paintDatasets(&buffer, rect: datasetsRect, state: state)
        let progress = Rect(x: inner.x, y: form.maxY, width: inner.width, height: inner.maxY - form.maxY)
        paintProgress(&buffer, rect: progress, state: state)
    }

    static func paintForm(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        buffer.box(rect, title: "Settings")
        let inner = rect.inset(1)
        let form = state.trainForm
        let labelWidth = 15
        for (index, row) in TrainForm.Row.allCases.enumerated() where index < inner.height {
            let y = inner.y + index
            let focused = form.row == row
            let label: String, value: String
            switch row {
            case .dataset: label = "Dataset"; value = "◂ " + (state.datasets[safe: form.datasetIndex]?.name ?? "none found") + " ▸"
            case .name: label = "Adapter name"; value = form.name.text
            case .rank: label = "Rank"; value = form.rank.text
            case .alpha: label = "Alpha"; value = form.alpha.text
            case .targets: label = "Targets"; value = "◂ " + (TrainForm.targetPresets[safe: form.targetPreset] ?? "") + " ▸"
            case .learningRate: label = "Learning rate"; value = form.learningRate.text
            case .steps: label = "Steps"; value = form.steps.text
            case .start: label = ""; value = "[ Start training ]"
            case .cancel: label = ""; value = "[ Cancel training ]"
            }
            buffer.put(label, x: inner.x + 1, y: y, role: .fieldLabel, maxWidth: labelWidth)
            let valueRole: StyleRole = focused ? .fieldFocused : (row == .start || row == .cancel ? .functionLabel : .fieldValue)
            let x = inner.x + 1 + (label.isEmpty ? 0 : labelWidth)
            buffer.put(DisplayWidth.truncate(value, to: inner.maxX - x), x: x, y: y, role: valueRole)
        }
    }

    static func paintDatasets(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        guard rect.width > 8 else { return }
        buffer.box(rect, title: "Datasets (samples/datasets · workspace)")
        let inner = rect.inset(1)
        if state.datasets.isEmpty {
            buffer.put("no chat-JSONL datasets found", x: inner.x, y: inner.y, role: .dim, maxWidth: inner.width)
            return
        }
        let top = max(0, state.trainForm.datasetIndex - inner.height + 1)
        for row in 0..<inner.height {
            guard let dataset = state.datasets[safe: top + row] else { break }
            let selected = top + row == state.trainForm.datasetIndex
            let count = dataset.exampleCount.map { " \($0) ex." } ?? ""
            let y = inner.y + row
            if selected { buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
            buffer.put((selected ? "▸ " : "  ") + dataset.name, x: inner.x, y: y, role: selected ? .selection : .normal,
                       maxWidth: inner.width - DisplayWidth.of(count))
            buffer.put(count, x: inner.maxX - DisplayWidth.of(count), y: y, role: selected ? .selection : .dim)
        }
    }

    static func paintProgress(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        guard rect.height >= 3 else { return }
        guard let job = state.training else {
            buffer.box(rect, title: "Progress")
            let why = state.status?.trainingUnavailableReason.map { "training not available: \($0)" }
                ?? "no training job yet: choose a dataset and settings, then Start"
            buffer.put(lines: TextWrap.wrap([Span(why, .dim)], width: rect.width - 2), in: rect.inset(1))
            return
        }
        let phase: String
        switch job.phase {
        case .running: phase = "running"
        case .finished: phase = "finished"
        case .cancelled: phase = "cancelled"
        case .failed(let reason): phase = "failed: \(reason)"
        }
        buffer.box(rect, title: "\(job.config.adapterName) · \(phase)")
        let inner = rect.inset(1)
        let progress = job.latest
        let fraction = progress.map { Double($0.step) / Double(max(1, $0.totalSteps)) } ?? 0
        let stepText = progress.map { " \($0.step)/\($0.totalSteps)" } ?? " 0/\(job.config.steps)"
        let barWidth = max(4, inner.width - DisplayWidth.of(stepText))
        buffer.put(Bar.make(fraction: fraction, width: barWidth), x: inner.x, y: inner.y, role: .progressBar)
        buffer.put(stepText, x: inner.x + barWidth, y: inner.y, role: .normal)
        guard inner.height >= 2 else { return }
        var spans: [Span] = []
        if let p = progress {
            spans = [Span("loss ", .fieldLabel), Span(Format.fixed(p.loss, 3), .chartLoss)]
            if let v = job.validationLosses.last?.y { spans += [Span("  val ", .fieldLabel), Span(Format.fixed(v, 3), .chartValLoss)] }
            spans += [Span("  lr \(Format.score(p.learningRate * 1e4))e-4", .fieldLabel),
                      Span("  \(Format.fixed(p.tokensPerSecond, 0)) tok/s", .normal),
                      Span("  ETA " + (p.secondsRemaining.map(Format.duration) ?? "–"), .normal)]
        } else {
            spans = [Span("starting…", .dim)]
        }
        buffer.put(spans, x: inner.x, y: inner.y + 1, maxWidth: inner.width)
        let chart = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
        guard chart.height >= 2 else { return }
        let legend: StyledLine = [Span("━ loss", .chartLoss), Span("  ━ val loss", .chartValLoss)]
        buffer.put(legend, x: chart.x, y: chart.y, maxWidth: chart.width)
        let plot = BrailleChart.render([(job.losses, .chartLoss), (job.validationLosses, .chartValLoss)],
                                       width: chart.width, height: chart.height - 1,
                                       xRange: 1...Double(max(2, progress?.totalSteps ?? job.config.steps)))
        for (row, cells) in plot.enumerated() {
            for (column, cell) in cells.enumerated() where cell.0 != " " {
                buffer.put(cell.0, x: chart.x + column, y: chart.y + 1 + row, role: cell.1)
            }
        }
    }
}
