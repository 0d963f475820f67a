// Overlays drawn on top of everything: the key help (F1/?) and the `:` palette with its completion list.
import Foundation

enum Overlays {
    /// Every key, grouped; the help overlay and the README list the same.
    static let helpLines: [(String, String)] = [
        ("Anywhere", ""),
        ("F1 / ?", "this help (? on an empty query line or outside it)"),
        ("F2 F3 F4 F5", "Index · Train · Adapters · Evaluate (again or Esc: back)"),
        ("F10 / Ctrl-C / Ctrl-Q", "quit (the terminal is restored)"),
        (":", "command palette (Tab completes, ↑↓ choose, Enter runs)"),
        ("Tab / Shift-Tab", "next / previous pane"),
        ("Query line", ""),
        ("Enter", "ask: search, then stream every arm (cancels the old arms)"),
        ("↑ / ↓", "history (kept in the workspace)"),
        ("Ctrl-A/E B/F", "start/end, back/forward; Alt-B/F words"),
        ("Ctrl-K/U/W Y", "kill to end/start/word; yank"),
        ("Esc", "leave the query line (to the hits)"),
        ("Hits", ""),
        ("j k ↑ ↓ PgUp PgDn g G", "step through hits (mouse: click, wheel)"),
        ("Enter", "open the hit in its document"),
        ("x", "exclude / include the hit and regenerate the passage arms"),
        ("+ / -  m", "top-k up/down · cycle retrieval mode"),
        ("/ or i", "back to the query line"),
        ("Preview · Answers", ""),
        ("j k PgUp PgDn", "scroll · Esc: back from document to chunk"),
        ("Evaluate (F5)", ""),
        ("↑↓ ←→ Enter", "suite, questions, format; Enter runs base, RAG (+ FT, FT+RAG with an adapter)"),
        ("Tab · Enter", "past runs (also `parallax eval qa` runs) · open one"),
        ("Esc / Ctrl-C", "while running: stop now, keeping the answers finished so far"),
        ("↑↓ Enter Tab", "results: choose a question · its four answers · charts/questions"),
        ("n p ←→ j k", "answers: next/previous question · pane · scroll"),
        ("Commands", ""),
        (":topk N  :mode M", "hits count · hybrid|bm25|dense"),
        (":adapter NAME  :scale X", "adapter for the fine-tuned arms (or none) · its scale"),
        (":arms rag,ft,both", "which arms run (both = adapter + passages)"),
        (":theme NAME", "dark, light, high-contrast, monochrome, …"),
        (":reindex  :export", "re-index · save query, hits and answers as Markdown"),
    ]

    static func paintHelp(_ buffer: inout CellBuffer, rect: Rect, state: AppState) {
        let width = min(rect.width - 2, 84)
        let height = min(rect.height, helpLines.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        buffer.fill(box, role: .popup)
        buffer.box(box, title: "Keys · Esc closes · j/k scroll", focused: true, border: .popupBorder, fill: .popup)
        let inner = box.inset(1)
        let keyWidth = min(24, inner.width / 3)
        let first = min(state.helpScroll, max(0, helpLines.count - inner.height))
        for row in 0..<inner.height {
            guard let (key, text) = helpLines[safe: first + row] else { break }
            let y = inner.y + row
            if text.isEmpty {
                buffer.put(key, x: inner.x, y: y, role: .title, maxWidth: inner.width)
            } else {
                buffer.put(" " + key, x: inner.x, y: y, role: .functionKey, maxWidth: keyWidth)
                buffer.put(text, x: inner.x + keyWidth + 1, y: y, role: .popup, maxWidth: inner.width - keyWidth - 1)
            }
        }
    }

    static func paintPalette(_ buffer: inout CellBuffer, layout: Layout, state: AppState) {
        guard let palette = state.palette else { return }
        let line = layout.messageLine
        buffer.fill(line, role: .paletteText)
        buffer.put(":", x: line.x, y: line.y, role: .paletteMatch)
        let window = palette.editor.window(columns: line.width - 1)
        buffer.put(window.text, x: line.x + 1, y: line.y, role: .paletteText)
        let cursorX = line.x + 1 + window.cursorColumn
        let under = buffer[cursorX, line.y]
        buffer.put(under.text.first ?? " ", x: cursorX, y: line.y, role: .cursor)

        let list = palette.completions.isEmpty && palette.editor.isEmpty
            ? CommandPalette.completions(for: "", context: state.paletteContext) : palette.completions
        guard !list.isEmpty else { return }
        let rows = min(list.count, max(1, line.y - layout.main.y - 1))
        let descriptions = Dictionary(CommandPalette.commands.map { ($0.name, $0.usage) }, uniquingKeysWith: { a, _ in a })
        let width = min(line.width, max(30, (list.map { DisplayWidth.of(descriptions[$0.trimmingCharacters(in: [" "])] ?? $0) }.max() ?? 20) + 4))
        let box = Rect(x: line.x, y: line.y - rows - 2, width: width, height: rows + 2)
        buffer.box(box, title: "\(list.count) completions", focused: false, border: .popupBorder, fill: .popup)
        let top = max(0, (palette.selected ?? 0) - rows + 1)
        for row in 0..<rows {
            guard let entry = list[safe: top + row] else { break }
            let selected = palette.selected == top + row
            let label = descriptions[entry.trimmingCharacters(in: [" "])] ?? entry
            let y = box.y + 1 + row
            if selected { buffer.fill(Rect(x: box.x + 1, y: y, width: box.width - 2, height: 1), role: .selection) }
            buffer.put(label, x: box.x + 2, y: y, role: selected ? .selection : .popup, maxWidth: box.width - 3)
        }
    }
}
