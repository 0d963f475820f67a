// The Evaluate view's answers page: one question, its gold answers, and every arm's answer in its own pane.

enum EvaluationAnswersView {
    static func paint(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        let e = state.evaluation
        guard let run = e.result, let question = e.currentQuestion else {
            buffer.box(rect, title: "Answers · Esc back", focused: true)
            return
        }
        let position = "\(e.questionIndex + 1)/\(run.questions.count)"
        buffer.box(rect, title: "Question \(question.id) (\(position)) · n/p next/prev · ←→ pane · j/k scroll · Esc back", focused: true)
        let (header, panes) = EvaluationLayout.answerPanes(main: rect, count: run.arms.count)
        guard !header.isEmpty else { return }
        var spans = [Span(question.question, .previewChunk)]
        let questionLines = TextWrap.wrap(spans, width: header.width).prefix(max(1, header.height - 1))
        spans = [Span("gold: ", .fieldLabel), Span(question.golds.joined(separator: " | "), .success),
                 Span(" · format ", .fieldLabel), Span(question.format, .normal)]
        buffer.put(lines: Array(questionLines) + [spans], in: header)
        for (index, arm) in run.arms.enumerated() {
            guard let pane = panes[safe: index] else { break }
            paintPane(&buffer, rect: pane, arm: arm, question: question, focused: index == e.paneFocus,
                      scroll: e.paneScroll[arm] ?? 0, partial: run.partial || e.isRunning)
        }
    }

    /// Where an answer's text goes inside its pane (below the metrics row).
    static func textRect(in pane: Rect) -> Rect {
        let inner = pane.inset(1)
        return Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: max(0, inner.height - 1))
    }

    /// The wrapped lines of an arm's answer (citations marked) with its format violation, if any.
    static func lines(for answer: EvaluationAnswer?, question: EvaluationQuestion, width: Int) -> [StyledLine] {
        guard width > 0, let answer else { return [] }
        var spans = TextWrap.citations(in: answer.text.isEmpty ? "(empty answer)" : answer.text, base: .answerText)
        if let violation = answer.formatViolation, answer.formatCompliant == false {
            spans.append(Span("\n⚠ \(question.format): \(violation)", .error))
        }
        return TextWrap.wrap(spans, width: width)
    }

    static func paintPane(_ buffer: inout CellBuffer, rect: Rect, arm: EvaluationArm, question: EvaluationQuestion,
                          focused: Bool, scroll: Int, partial: Bool) {
        let answer = question.answer(of: arm)
        var title = arm.label
        if let answer {
            title += answer.goldContained ? " ✓ gold" : " ✗ gold"
            if let compliant = answer.formatCompliant { title += compliant ? " · ✓ \(question.format)" : " · ✗ \(question.format)" }
        }
        buffer.box(rect, title: "", focused: focused, border: focused ? .paneBorderFocused : arm.role)
        if rect.width > 6 {
            buffer.put(" " + DisplayWidth.truncate(title, to: rect.width - 6) + " ", x: rect.x + 2, y: rect.y, role: arm.role)
        }
        let inner = rect.inset(1)
        guard inner.height >= 2, inner.width >= 4 else { return }
        guard let answer else {
            let why = partial ? "not answered (the run stopped or is still going)" : "not answered"
            buffer.put(lines: TextWrap.wrap([Span(why, .dim)], width: inner.width), in: inner)
            return
        }
        var metrics = "F1 \(Format.fixed(answer.f1, 2)) · EM \(answer.exactMatch ? "✓" : "✗")"
        if let cite = answer.citationSupport { metrics += " · cite \(Format.fixed(cite, 2))" }
        buffer.put(DisplayWidth.truncate(metrics, to: inner.width), x: inner.x, y: inner.y, role: .answerStats)
        // The cost goes on the bottom border: seconds, prompt + generated tokens.
        let cost = " \(EvaluationResultsView.seconds(answer.seconds)) · \(answer.promptTokens)+\(answer.generatedTokens) tok "
        if rect.width > 6 { buffer.put(DisplayWidth.truncate(cost, to: rect.width - 16), x: rect.x + 2, y: rect.maxY - 1, role: .answerStats) }
        let text = textRect(in: rect)
        let lines = Self.lines(for: answer, question: question, width: text.width)
        let first = min(max(0, scroll), max(0, lines.count - text.height))
        buffer.put(lines: lines, in: text, from: first)
        let more = lines.count - first - text.height
        if more > 0, rect.width > 12 {
            let note = " ↓ \(more) more "
            buffer.put(note, x: rect.maxX - 2 - DisplayWidth.of(note), y: rect.maxY - 1, role: .dim)
        } else if first > 0, rect.width > 12 {
            buffer.put(" ↑ ", x: rect.maxX - 5, y: rect.maxY - 1, role: .dim)
        }
    }
}
