// Paints the whole screen for a state: chrome, the browse panes or a full-screen view, and overlays.

/// Turns an `AppState` into a `CellBuffer` (pure: the same state always paints the same cells).
public enum ScreenRenderer {
    /// The whole screen.
    public static func render(_ state: AppState) -> CellBuffer {
        var buffer = CellBuffer(width: state.width, height: state.height)
        if state.isTooSmall {
            paintTooSmall(&buffer, state: state)
            return buffer
        }
        let layout = Layout(width: state.width, height: state.height)
        Chrome.paintQueryLine(&buffer, rect: layout.queryLine, state: state)
        switch state.view {
        case .browse:
            DocumentsPane.paint(&buffer, rect: layout.documents, state: state)
            HitsPane.paint(&buffer, rect: layout.hits, state: state)
            PreviewPane.paint(&buffer, rect: layout.preview, state: state)
            AnswersPane.paint(&buffer, rect: layout.answers, layout: layout, state: state)
        case .train: TrainView.paint(&buffer, rect: layout.main, state: state)
        case .index: IndexView.paint(&buffer, rect: layout.main, state: state)
        case .adapters: AdaptersView.paint(&buffer, rect: layout.main, state: state)
        case .evaluate: EvaluateView.paint(&buffer, rect: layout.main, state: state)
        }
        Chrome.paintMessageLine(&buffer, rect: layout.messageLine, state: state)
        Chrome.paintStatusLine(&buffer, rect: layout.statusLine, state: state)
        Chrome.paintFunctionBar(&buffer, rect: layout.functionBar, state: state)
        if state.palette != nil { Overlays.paintPalette(&buffer, layout: layout, state: state) }
        if state.helpVisible { Overlays.paintHelp(&buffer, rect: layout.main, state: state) }
        return buffer
    }

    static func paintTooSmall(_ buffer: inout CellBuffer, state: AppState) {
        let lines = ["Terminal too small", "\(state.width)×\(state.height); need \(AppState.minimumWidth)×\(AppState.minimumHeight)",
                     "Enlarge the window · F10 quits"]
        let top = max(0, state.height / 2 - 1)
        for (index, line) in lines.enumerated() {
            let text = DisplayWidth.truncate(line, to: state.width)
            let x = max(0, (state.width - DisplayWidth.of(text)) / 2)
            buffer.put(text, x: x, y: top + index, role: index == 0 ? .error : .message)
        }
    }

    /// One browse pane alone, painted at the origin of a buffer of its own size (for per-pane snapshots).
    public static func renderPane(_ pane: Focus, state: AppState) -> CellBuffer {
        let layout = Layout(width: state.width, height: state.height)
        let rect: Rect
        switch pane {
        case .query: rect = layout.queryLine
        case .documents: rect = layout.documents
        case .hits: rect = layout.hits
        case .preview: rect = layout.preview
        case .answers: rect = layout.answers
        }
        var full = CellBuffer(width: state.width, height: state.height)
        switch pane {
        case .query: Chrome.paintQueryLine(&full, rect: rect, state: state)
        case .documents: DocumentsPane.paint(&full, rect: rect, state: state)
        case .hits: HitsPane.paint(&full, rect: rect, state: state)
        case .preview: PreviewPane.paint(&full, rect: rect, state: state)
        case .answers: AnswersPane.paint(&full, rect: rect, layout: layout, state: state)
        }
        return full.cropped(to: rect)
    }
}
