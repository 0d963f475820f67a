// The Documents and Hits panes.

enum DocumentsPane {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        let focused = state.focus == .documents && state.view == .browse
        let indexed = state.documents.filter { $0.state != .unindexed }.count
        buffer.box(rect, title: "Documents \(indexed)", focused: focused)
        let inner = rect.inset(1)
        guard !inner.isEmpty else { return }
        if state.documents.isEmpty {
            let text: String
            switch state.status?.index {
            case .none?: text = "no index yet: press F2 to index a folder"
            case .unavailable(let reason)?: text = reason
            case .ready?: text = "the index has no documents"
            case nil: text = "loading…"
            }
            buffer.put(lines: TextWrap.wrap([Span(text, .dim)], width: inner.width), in: inner)
            return
        }
        let top = max(0, min(state.documentSelection - inner.height + 1, state.documents.count - inner.height))
        for row in 0..<inner.height {
            let index = top + row
            guard let document = state.documents[safe: index] else { break }
            let selected = focused && index == state.documentSelection
            let (mark, markRole): (String, StyleRole) = switch document.state {
            case .indexed: (" ", .normal)
            case .changed: ("~", .documentChanged)
            case .unindexed: ("+", .documentUnindexed)
            case .missing: ("!", .error)
            }
            let count = document.state == .unindexed ? "new" : String(document.chunkCount)
            let pathWidth = max(1, inner.width - 2 - DisplayWidth.of(count) - 1)
            let path = truncateLeft(document.path, to: pathWidth)
            let y = inner.y + row
            if selected { buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
            buffer.put(mark, x: inner.x, y: y, role: selected ? .selection : markRole)
            buffer.put(path, x: inner.x + 2, y: y, role: selected ? .selection : .hitDocument)
            buffer.put(count, x: inner.maxX - DisplayWidth.of(count), y: y, role: selected ? .selection : .dim)
        }
    }

    /// Keeps the end of a path (the file name matters most), with "…" in front when cut.
    static func truncateLeft(_ text: String, to columns: Int) -> String {
        guard DisplayWidth.of(text) > columns else { return text }
        guard columns > 1 else { return String(repeating: "…", count: max(0, columns)) }
        var kept: [Character] = []
        var width = 0
        for character in text.reversed() {
            let w = DisplayWidth.of(character)
            if width + w > columns - 1 { break }
            kept.append(character)
            width += w
        }
        return "…" + String(kept.reversed())
    }
}

enum HitsPane {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        let focused = state.focus == .hits && state.view == .browse
        let title = state.hits.isEmpty ? "Hits" : "Hits \(state.selectedHit + 1)/\(state.hits.count) · \(state.mode.rawValue)"
        buffer.box(rect, title: title, focused: focused)
        let inner = rect.inset(1)
        guard !inner.isEmpty else { return }
        if state.hits.isEmpty {
            let text = state.searching ? "searching…" : (state.lastQuery.isEmpty ? "ask a question to see ranked passages" : "no hits")
            buffer.put(lines: TextWrap.wrap([Span(text, .dim)], width: inner.width), in: inner)
            return
        }
        let maxScore = state.hits.map(\.fusedScore).max() ?? 1
        let visible = max(1, inner.height / Layout.rowsPerHit)
        // Fixed-width columns so bars and ranks line up down the list.
        func rankText(_ hit: SearchHit) -> String {
            "B\(hit.bm25Rank.map(String.init) ?? "–") D\(hit.denseRank.map(String.init) ?? "–")"
        }
        let rankWidth = state.hits.map { rankText($0).count }.max() ?? 5
        let numberWidth = String(state.hits.count).count
        let scoreWidth = state.hits.map { Format.score($0.fusedScore).count }.max() ?? 5
        for slot in 0..<visible {
            let index = state.hitsScroll + slot
            guard let hit = state.hits[safe: index] else { break }
            let y = inner.y + slot * Layout.rowsPerHit
            let selected = index == state.selectedHit
            let isExcluded = state.excluded.contains(hit.chunkID)
            let lineRect = Rect(x: inner.x, y: y, width: inner.width, height: min(Layout.rowsPerHit, inner.maxY - y))
            if selected { buffer.fill(lineRect, role: .selection) }
            func role(_ base: StyleRole) -> StyleRole { selected ? .selection : (isExcluded ? .excluded : base) }
            let marker = isExcluded ? "✗" : (selected ? "▸" : " ")
            let number = DisplayWidth.pad(String(index + 1), to: numberWidth)
            let ranks = DisplayWidth.pad(rankText(hit), to: rankWidth)
            let score = String(repeating: " ", count: max(0, scoreWidth - Format.score(hit.fusedScore).count)) + Format.score(hit.fusedScore)
            let barWidth = max(3, inner.width - 2 - number.count - 1 - score.count - 1 - ranks.count - 1)
            var x = inner.x
            x += buffer.put(marker + " ", x: x, y: y, role: role(.hitRank))
            x += buffer.put(number + " ", x: x, y: y, role: role(.hitRank))
            x += buffer.put(Bar.make(fraction: maxScore > 0 ? hit.fusedScore / maxScore : 0, width: barWidth),
                            x: x, y: y, role: role(.hitScoreBar), maxWidth: inner.maxX - x)
            x += buffer.put(" " + score, x: x, y: y, role: role(.normal), maxWidth: inner.maxX - x)
            buffer.put(" " + ranks, x: x, y: y, role: role(.hitRank), maxWidth: inner.maxX - x)
            guard y + 1 < inner.maxY else { continue }
            let file = hit.documentPath.split(separator: "/").last.map(String.init) ?? hit.documentPath
            var spans = [Span("  " + file, role(.hitDocument))]
            if !hit.headingPath.isEmpty { spans.append(Span(" › " + hit.headingPath.joined(separator: " › "), role(.hitHeading))) }
            let line = TextWrap.wrap(spans, width: 10_000).first ?? []
            buffer.put(truncate(line, to: inner.width), x: inner.x, y: y + 1, maxWidth: inner.width)
        }
        if state.hits.count > visible {
            let more = "\(state.hitsScroll + 1)–\(min(state.hits.count, state.hitsScroll + visible))"
            buffer.put(" \(more) ", x: rect.maxX - DisplayWidth.of(more) - 4, y: rect.maxY - 1, role: .paneTitle)
        }
    }

    /// A styled line cut to `columns` with a trailing "…".
    static func truncate(_ line: StyledLine, to columns: Int) -> StyledLine {
        let total = line.reduce(0) { $0 + DisplayWidth.of($1.text) }
        guard total > columns, columns > 0 else { return line }
        var out: StyledLine = []
        var remaining = columns - 1
        for span in line {
            let cut = DisplayWidth.prefix(span.text, fitting: remaining)
            out.append(Span(cut.text, span.role))
            remaining -= cut.width
            if remaining <= 0 || cut.text.count < span.text.count { break }
        }
        out.append(Span("…", out.last?.role ?? .normal))
        return out
    }
}
