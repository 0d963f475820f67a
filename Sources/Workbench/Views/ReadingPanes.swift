// The Preview pane (chunk in context, or the whole document) and the Answers pane (arms side by side).

enum PreviewPane {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        let focused = state.focus == .preview && state.view == .browse
        let terms = QueryTerms.extract(from: state.lastQuery)
        let inner = rect.inset(1)
        if state.previewMode == .document, let path = state.previewDocumentPath ?? state.currentHit?.documentPath {
            buffer.box(rect, title: "Document · \(path) · Esc: chunk", focused: focused)
            guard !inner.isEmpty else { return }
            guard let text = state.documentTexts[path] else {
                buffer.put("loading \(path)…", x: inner.x, y: inner.y, role: .dim, maxWidth: inner.width)
                return
            }
            let chunkLines = state.previewDocumentPath == nil ? state.currentHit.map { lineRange(of: $0.span, in: text) } : nil
            let source = text.split(separator: "\n", omittingEmptySubsequences: false)
            let anchor = chunkLines?.lowerBound ?? 0
            var lineIndex = min(max(0, anchor + state.previewScroll - (chunkLines == nil ? 0 : 2)), max(0, source.count - 1))
            var rows: [StyledLine] = []
            while rows.count < inner.height, lineIndex < source.count {
                let inChunk = chunkLines?.contains(lineIndex) ?? false
                let spans = TextWrap.highlight(String(source[lineIndex]), terms: terms, base: inChunk ? .previewChunk : .previewText)
                let gutter = Span(inChunk ? "▌" : " ", inChunk ? .hitScoreBar : .previewText)
                rows += TextWrap.wrap(spans, width: max(1, inner.width - 1)).map { [gutter] + $0 }
                lineIndex += 1
            }
            buffer.put(lines: rows, in: inner)
            return
        }
        guard let hit = state.currentHit else {
            buffer.box(rect, title: "Preview", focused: focused)
            let text = state.lastQuery.isEmpty ? "the selected hit's passage appears here, query terms highlighted" : ""
            buffer.put(lines: TextWrap.wrap([Span(text, .dim)], width: inner.width), in: inner)
            return
        }
        buffer.box(rect, title: "Preview · hit \(state.selectedHit + 1)" + (state.excluded.contains(hit.chunkID) ? " (excluded)" : ""), focused: focused)
        guard !inner.isEmpty else { return }
        var spans: [Span] = [Span(hit.documentPath, .hitDocument)]
        if !hit.headingPath.isEmpty { spans.append(Span(" › " + hit.headingPath.joined(separator: " › "), .hitHeading)) }
        var evidence = "fused \(Format.score(hit.fusedScore))"
        if let rank = hit.bm25Rank { evidence += " · BM25 #\(rank)" + (hit.bm25Score.map { " (\(Format.score($0)))" } ?? "") }
        if let rank = hit.denseRank { evidence += " · dense #\(rank)" + (hit.denseCosine.map { " (cos \(Format.fixed($0, 3)))" } ?? "") }
        spans.append(Span("\n" + evidence + "\n", .dim))
        let context = state.documentTexts[hit.documentPath].map { surroundings(of: hit.span, in: $0) }
        if let before = context?.before, !before.isEmpty { spans.append(Span(before + "\n", .previewText)) }
        spans += TextWrap.highlight(hit.text, terms: terms, base: .previewChunk)
        if let after = context?.after, !after.isEmpty { spans.append(Span("\n" + after, .previewText)) }
        let lines = TextWrap.wrap(spans, width: inner.width)
        buffer.put(lines: lines, in: inner, from: min(max(0, state.previewScroll), max(0, lines.count - 1)))
    }

    /// Source lines (0-based, "\n"-separated) covered by a UTF-8 byte span.
    static func lineRange(of span: Range<Int>, in text: String) -> Range<Int> {
        let bytes = Array(text.utf8)
        let lower = min(max(0, span.lowerBound), bytes.count)
        let upper = min(max(lower, span.upperBound), bytes.count)
        let first = bytes[0..<lower].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        let last = first + bytes[lower..<upper].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
        return first..<(last + 1)
    }

    /// One non-empty line before and up to two after a span, for context around a chunk.
    static func surroundings(of span: Range<Int>, in text: String) -> (before: String, after: String) {
        let bytes = Array(text.utf8)
        let lower = min(max(0, span.lowerBound), bytes.count)
        let upper = min(max(lower, span.upperBound), bytes.count)
        let before = String(decoding: bytes[0..<lower], as: UTF8.self)
            .split(separator: "\n").suffix(1).joined(separator: "\n")
        let after = String(decoding: bytes[upper...], as: UTF8.self)
            .split(separator: "\n").prefix(2).joined(separator: "\n")
        return (before, after)
    }
}

enum AnswersPane {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, layout: Layout, state: AppState) {
        let focused = state.focus == .answers && state.view == .browse
        let rects = Layout(width: state.width, height: state.height).armRects(count: state.arms.count)
            .map { Rect(x: $0.x - layout.answers.x + rect.x, y: $0.y - layout.answers.y + rect.y, width: $0.width, height: $0.height) }
        for (arm, armRect) in zip(state.arms, rects) {
            paintArm(&buffer, rect: armRect, arm: arm, arm: state.armStates[arm] ?? ArmState(), focused: focused, state: state)
        }
    }

    static func paintArm(_ buffer: inout CellBuffer, rect: Rect, arm kind: ArmKind, arm: ArmState, focused: Bool, state: AppState) {
        buffer.box(rect, title: kind.title, focused: focused)
        let inner = rect.inset(1)
        guard inner.height >= 3, inner.width >= 4 else { return }
        buffer.put(DisplayWidth.truncate(arm.detail, to: inner.width), x: inner.x, y: inner.y, role: .dim)
        let textRect = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 2)
        var spans: [Span]
        switch arm.phase {
        case .idle: spans = [Span(state.lastQuery.isEmpty ? "waiting for a question" : "not run", .dim)]
        case .failed(let reason):
            spans = TextWrap.citations(in: arm.text, base: .answerText)
            spans.append(Span((arm.text.isEmpty ? "" : "\n") + "⚠ " + reason, .error))
        default:
            spans = TextWrap.citations(in: arm.text, base: .answerText)
            if arm.phase == .streaming || arm.phase == .waiting { spans.append(Span("▍", .streaming)) }
        }
        let lines = TextWrap.wrap(spans, width: textRect.width)
        let first = max(0, lines.count - textRect.height - arm.scrollBack)
        buffer.put(lines: lines, in: textRect, from: first)
        let stats: String
        switch arm.phase {
        case .done, .cancelled:
            if let s = arm.stats {
                let full = "TTFT \(Format.fixed(s.timeToFirstToken, 2))s · \(Format.fixed(s.tokensPerSecond, 1)) tok/s · \(s.tokenCount) tok"
                stats = DisplayWidth.of(full) <= inner.width ? full
                    : "TTFT \(Format.fixed(s.timeToFirstToken, 2))s \(Format.fixed(s.tokensPerSecond, 0))t/s \(s.tokenCount)tok"
            } else { stats = "stopped" }
        case .streaming: stats = "streaming · \(arm.tokensReceived) tok"
        case .waiting: stats = "waiting for the first token…"
        case .failed: stats = "failed"
        case .idle: stats = ""
        }
        buffer.put(DisplayWidth.truncate(stats, to: inner.width), x: inner.x, y: inner.maxY - 1,
                   role: arm.phase == .streaming ? .streaming : .answerStats)
    }
}
