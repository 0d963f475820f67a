// The lines around the panes: query line, message line, status line and function-key bar.

enum Chrome {
    static func paintQueryLine(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        let focused = state.focus == .query && state.view == .browse && state.palette == nil
        let prompt = "Ask› "
        var x = rect.x + buffer.put(prompt, x: rect.x, y: rect.y, role: .queryPrompt)
        let room = rect.width - (x - rect.x)
        if state.query.isEmpty && !focused {
            let hint = state.lastQuery.isEmpty ? "type a question; Enter asks (Tab/Esc moves between panes)" : state.lastQuery
            buffer.put(DisplayWidth.truncate(hint, to: room), x: x, y: rect.y, role: .dim)
            return
        }
        let window = state.query.window(columns: room)
        buffer.put(window.text, x: x, y: rect.y, role: .queryText)
        if focused {
            x += window.cursorColumn
            let under = buffer[x, rect.y]
            if under.isContinuation || under.text.isEmpty { return }
            let character = under.text.first ?? " "
            buffer.put(character, x: x, y: rect.y, role: .cursor)
        }
    }

    static func paintMessageLine(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        if let message = state.message {
            buffer.put(DisplayWidth.truncate(message.text, to: rect.width), x: rect.x, y: rect.y,
                       role: message.isError ? .error : .message)
            return
        }
        let hint: String
        switch state.view {
        case .browse:
            hint = state.focus == .query
                ? "Enter ask · ↑↓ history · Tab panes · Esc hits · ? keys (empty line) · : commands"
                : "j/k hits · Enter open · x exclude · +/- top-k · m mode · / query · : commands · ? keys"
        case .train: hint = "↑↓ fields · ←→ choose · type to edit · Enter start · Cancel row stops · Esc back (training continues)"
        case .index: hint = "type a folder to add · Enter re-index · Esc back"
        case .adapters: hint = "↑↓ choose · Enter select · +/- scale · Esc back"
        case .evaluate:
            switch state.evaluation.page {
            case .setup: hint = "↑↓ rows · ←→ choose · Enter run/open · Tab past runs · r refresh · Esc back"
            case .results:
                hint = state.evaluation.isRunning ? "Esc/Ctrl-C stop, keeping results · ↑↓ questions · Enter answers · F5 leave"
                    : "↑↓ questions · Enter answers side by side · Tab charts/questions · Esc back"
            case .answers: hint = "n/p next/previous question · ←→/Tab pane · j/k PgUp/PgDn scroll · Esc back"
            }
        }
        buffer.put(DisplayWidth.truncate(hint, to: rect.width), x: rect.x, y: rect.y, role: .dim)
    }

    static func paintStatusLine(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        buffer.fill(rect, role: .statusLine)
        var spans = statusSpans(state, compact: false)
        if spans.reduce(0, { $0 + DisplayWidth.of($1.text) }) > rect.width { spans = statusSpans(state, compact: true) }
        buffer.put(spans, x: rect.x, y: rect.y, maxWidth: rect.width)
    }

    /// The status line's runs; `compact` drops labels and shortens names for narrow terminals.
    static func statusSpans(_ state: AppState, compact: Bool) -> [Span] {
        var spans: [Span] = [Span(compact ? " " : " model ", .statusLine)]
        switch state.status?.model {
        case .ready(let name)?: spans.append(Span(DisplayWidth.truncate(name, to: compact ? 14 : 40), .statusAccent))
        case .loading?, nil: spans.append(Span("loading…", .statusAccent))
        case .unavailable?: spans.append(Span("unavailable", .statusAccent))
        }
        spans += [Span(compact ? " │ " : " │ adapter ", .statusLine),
                  Span(DisplayWidth.truncate(state.selectedAdapter ?? (compact ? "no adapter" : "none"), to: compact ? 14 : 30), .statusAccent),
                  Span(" ×\(Format.fixed(state.adapterScale, 2))", .statusLine),
                  Span(" │ ", .statusLine), Span(state.mode.rawValue, .statusAccent),
                  Span(compact ? " k" : " top-k ", .statusLine), Span(String(state.topK), .statusAccent)]
        var jobs: [String] = []
        if let job = state.training, job.phase == .running {
            let percent = job.latest.map { $0.totalSteps > 0 ? $0.step * 100 / $0.totalSteps : 0 } ?? 0
            jobs.append("train \(percent)%")
        }
        if let job = state.indexJob, job.phase == .running {
            jobs.append("index " + (job.latest.map { "\($0.done)/\($0.total)" } ?? "…"))
        }
        if state.evaluation.isRunning {
            jobs.append("eval " + (state.evaluation.progress.map { "\($0.done)/\($0.total)" } ?? "…"))
        }
        if state.arms.contains(where: { [.waiting, .streaming].contains(state.armStates[$0]?.phase ?? .idle) }) || state.searching {
            jobs.append(state.searching ? "searching" : "answering")
        }
        spans += [Span(compact ? " │ " : " │ jobs ", .statusLine), Span(jobs.isEmpty ? "idle" : jobs.joined(separator: " · "), .statusAccent)]
        switch state.status?.index {
        case .none?: spans.append(Span(" │ no index", .statusAccent))
        case .ready(let documents, let chunks)?: spans.append(Span(" │ \(documents) docs · \(chunks) chunks", .statusLine))
        case .unavailable?: spans.append(Span(" │ index unavailable", .statusAccent))
        case nil: break
        }
        return spans
    }

    static let functionKeys: [(key: String, label: String)] = [
        ("F1", "Help"), ("F2", "Index"), ("F3", "Train"), ("F4", "Adapters"), ("F5", "Evaluate"), ("F10", "Quit"),
    ]

    static func paintFunctionBar(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        buffer.fill(rect, role: .functionLabel)
        var x = rect.x
        for (key, label) in functionKeys {
            guard x < rect.maxX else { break }
            x += buffer.put(key, x: x, y: rect.y, role: .functionKey, maxWidth: rect.maxX - x)
            let active: Bool
            switch key {
            case "F2": active = state.view == .index
            case "F3": active = state.view == .train
            case "F4": active = state.view == .adapters
            case "F5": active = state.view == .evaluate
            default: active = false
            }
            x += buffer.put(label + " ", x: x, y: rect.y, role: active ? .statusAccent : .functionLabel, maxWidth: rect.maxX - x)
        }
    }
}
