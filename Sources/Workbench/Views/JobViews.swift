// The Index (F2) and Adapters (F4) views.

enum IndexView {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        buffer.box(rect, title: "Index · F2/Esc back", focused: true)
        let inner = rect.inset(1)
        guard inner.height > 4 else { return }
        var lines: [StyledLine] = []
        switch state.status?.index {
        case .ready(let documents, let chunks)?: lines.append([Span("Index: ", .fieldLabel), Span("\(documents) documents, \(chunks) chunks", .normal)])
        case .none?: lines.append([Span("Index: ", .fieldLabel), Span("none yet in \(state.workspacePath)", .documentChanged)])
        case .unavailable(let reason)?: lines.append([Span("Index: ", .fieldLabel), Span(reason, .error)])
        case nil: lines.append([Span("Index: ", .fieldLabel), Span("loading…", .dim)])
        }
        let changed = state.documents.filter { $0.state == .changed }.count
        let unindexed = state.documents.filter { $0.state == .unindexed }.count
        lines.append([Span("Changed since indexing: ", .fieldLabel), Span("\(changed)", changed > 0 ? .documentChanged : .normal),
                      Span("   not indexed: ", .fieldLabel), Span("\(unindexed)", unindexed > 0 ? .documentUnindexed : .normal)])
        buffer.put(lines: lines, in: inner)
        let field = Rect(x: inner.x, y: inner.y + 3, width: inner.width, height: 1)
        let label = "Add folder: "
        buffer.put(label, x: field.x, y: field.y, role: .fieldLabel)
        let room = field.width - DisplayWidth.of(label)
        let window = state.indexFolder.window(columns: room)
        let x = field.x + DisplayWidth.of(label)
        buffer.fill(Rect(x: x, y: field.y, width: room, height: 1), role: .fieldValue)
        buffer.put(window.text, x: x, y: field.y, role: .fieldValue)
        let under = buffer[x + window.cursorColumn, field.y]
        buffer.put(under.text.first ?? " ", x: x + window.cursorColumn, y: field.y, role: .cursor)
        buffer.put("Enter: re-index (incremental: only changed files are re-embedded)", x: inner.x, y: inner.y + 4, role: .dim, maxWidth: inner.width)
        guard let job = state.indexJob, inner.height > 7 else { return }
        let y = inner.y + 6
        switch job.phase {
        case .running:
            let p = job.latest
            let fraction = p.map { Double($0.done) / Double(max(1, $0.total)) } ?? 0
            let text = p.map { " \($0.phase) \($0.done)/\($0.total)" } ?? " starting…"
            let barWidth = max(4, inner.width - DisplayWidth.of(text))
            buffer.put(Bar.make(fraction: fraction, width: barWidth), x: inner.x, y: y, role: .progressBar)
            buffer.put(text, x: inner.x + barWidth, y: y, role: .normal, maxWidth: inner.maxX - inner.x - barWidth)
            if let path = p?.currentPath { buffer.put(path, x: inner.x, y: y + 1, role: .hitDocument, maxWidth: inner.width) }
        case .finished:
            if let s = job.summary {
                buffer.put("done: \(s.documents) documents, \(s.chunks) chunks; +\(s.added) added, ~\(s.changed) changed, -\(s.removed) removed in \(Format.fixed(s.seconds, 1)) s",
                           x: inner.x, y: y, role: .success, maxWidth: inner.width)
            }
        case .cancelled: buffer.put("cancelled", x: inner.x, y: y, role: .dim)
        case .failed(let reason):
            buffer.put(lines: TextWrap.wrap([Span("indexing failed: \(reason)", .error)], width: inner.width),
                       in: Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y))
        }
    }
}

enum AdaptersView {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        buffer.box(rect, title: "Adapters · scale ×\(Format.fixed(state.adapterScale, 2)) · F4/Esc back", focused: true)
        let inner = rect.inset(1)
        guard !inner.isEmpty else { return }
        var rows: [(String, String)] = [("none", "base model only")]
        for adapter in state.adapters {
            var detail = "r=\(adapter.rank) α=\(Format.score(adapter.alpha)) \(adapter.targets.joined(separator: ","))"
            if let dataset = adapter.dataset { detail += " · \(dataset)" }
            if let loss = adapter.validationLoss { detail += " · val \(Format.fixed(loss, 3))" }
            rows.append((adapter.name, detail))
        }
        let nameWidth = min(28, max(10, inner.width / 3))
        for (index, row) in rows.enumerated() where index < inner.height {
            let y = inner.y + index
            let highlighted = index == state.adaptersSelection
            let active = (index == 0 && state.selectedAdapter == nil) || row.0 == state.selectedAdapter && index > 0
            if highlighted { buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
            buffer.put((active ? "● " : "  ") + row.0, x: inner.x, y: y, role: highlighted ? .selection : .hitDocument, maxWidth: nameWidth)
            buffer.put(row.1, x: inner.x + nameWidth + 1, y: y, role: highlighted ? .selection : .dim, maxWidth: inner.width - nameWidth - 1)
        }
        if state.adapters.isEmpty, inner.height > 2 {
            buffer.put("no adapters yet: train one with F3", x: inner.x, y: inner.y + 2, role: .dim, maxWidth: inner.width)
        }
    }
}
