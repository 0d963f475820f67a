// Key and mouse handling for the browse view and the global keys (function keys, help, palette, focus).
import Foundation

extension AppState {
    /// Applies one input event; returns what happened and the effects to run.
    public mutating func handle(_ event: InputEvent) -> (KeyOutcome, [Effect]) {
        switch event {
        case .resize(let w, let h):
            width = w; height = h
            clampScrolls()
            return (.changed, [])
        case .mouse(let mouse):
            return handleMouse(mouse)
        case .key(let key):
            return handleKey(key)
        }
    }

    mutating func handleKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        if key == .control("c"), view == .evaluate, evaluation.isRunning, palette == nil, !helpVisible {
            return stopEvaluation()
        }
        if key == .control("c") || key == .function(10) || key == .control("q") {
            quitRequested = true
            return ([.handled, .quit], [])
        }
        if palette != nil { return handlePaletteKey(key) }
        if helpVisible { return handleHelpKey(key) }
        switch key {
        case .function(1): helpVisible = true; helpScroll = 0; return (.changed, [])
        case .function(2): return switchView(.index)
        case .function(3): return switchView(.train)
        case .function(4): return switchView(.adapters)
        case .function(5): return switchView(.evaluate)
        default: break
        }
        message = nil
        switch view {
        case .browse: return handleBrowseKey(key)
        case .train: return handleTrainKey(key)
        case .index: return handleIndexKey(key)
        case .adapters: return handleAdaptersKey(key)
        case .evaluate: return handleEvaluateKey(key)
        }
    }

    /// Opens `target` (or returns to browsing if it is already open), asking for the lists it shows.
    mutating func switchView(_ target: MainView) -> (KeyOutcome, [Effect]) {
        if view == target { view = .browse; return (.changed, []) }
        view = target
        switch target {
        case .train: return (.changed, [.refreshDatasets])
        case .adapters: return (.changed, [.refreshAdapters])
        case .evaluate: return (.changed, [.refreshEvaluationSuites, .refreshEvaluationRuns])
        case .index: return (.changed, [.refreshDocuments])
        case .browse: return (.changed, [])
        }
    }

    mutating func handleHelpKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        switch key {
        case .escape, .character("?"), .character("q"), .function(1), .enter: helpVisible = false
        case .down, .character("j"): helpScroll += 1
        case .up, .character("k"): helpScroll = max(0, helpScroll - 1)
        case .pageDown, .character(" "): helpScroll += 10
        case .pageUp: helpScroll = max(0, helpScroll - 10)
        default: return (.handled, [])
        }
        return (.changed, [])
    }

    mutating func handleBrowseKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        switch key {
        case .tab: cycleFocus(by: 1); return (.changed, [])
        case .backTab: cycleFocus(by: -1); return (.changed, [])
        default: break
        }
        if focus == .query { return handleQueryKey(key) }
        switch key {
        case .character(":"): palette = PaletteState(); return (.changed, [])
        case .character("?"): helpVisible = true; helpScroll = 0; return (.changed, [])
        case .character("/"), .character("i"): focus = .query; return (.changed, [])
        case .escape:
            if previewMode == .document { previewMode = .chunk; previewScroll = 0 } else { focus = .query }
            return (.changed, [])
        case .character("+"), .character("="): return applyCommand(.topK(min(50, topK + 1)))
        case .character("-"): return applyCommand(.topK(max(1, topK - 1)))
        case .character("m"):
            let all = RetrievalMode.allCases
            let next = all[((all.firstIndex(of: mode) ?? 0) + 1) % all.count]
            return applyCommand(.mode(next))
        default: break
        }
        switch focus {
        case .hits: return handleHitsKey(key)
        case .documents: return handleDocumentsKey(key)
        case .preview, .answers: return handleScrollKey(key)
        case .query: return (.ignored, [])
        }
    }

    mutating func handleQueryKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        switch key {
        case .enter:
            let text = query.text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return (.handled, []) }
            return (.changed, submit(text))
        case .up:
            if let older = history.older(current: query.text) { query.set(older) }
            return (.changed, [])
        case .down:
            if let newer = history.newer() { query.set(newer) }
            return (.changed, [])
        case .escape:
            focus = .hits
            return (.changed, [])
        case .character(":") where query.isEmpty:
            palette = PaletteState()
            return (.changed, [])
        case .character("?") where query.isEmpty:
            helpVisible = true; helpScroll = 0
            return (.changed, [])
        default:
            return query.handle(key) ? (.changed, []) : (.ignored, [])
        }
    }

    mutating func handleHitsKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        switch key {
        case .down, .character("j"), .control("n"): return (.changed, selectHit(selectedHit + 1))
        case .up, .character("k"), .control("p"): return (.changed, selectHit(selectedHit - 1))
        case .pageDown: return (.changed, selectHit(selectedHit + Layout(width: width, height: height).visibleHits))
        case .pageUp: return (.changed, selectHit(selectedHit - Layout(width: width, height: height).visibleHits))
        case .home, .character("g"): return (.changed, selectHit(0))
        case .end, .character("G"): return (.changed, selectHit(hits.count - 1))
        case .enter: return (.changed, openCurrentHitInDocument())
        case .character("x"): return (.changed, toggleExcludeCurrentHit())
        default: return (.ignored, [])
        }
    }

    mutating func handleDocumentsKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        switch key {
        case .down, .character("j"): documentSelection = min(max(0, documents.count - 1), documentSelection + 1)
        case .up, .character("k"): documentSelection = max(0, documentSelection - 1)
        case .enter:
            guard documents.indices.contains(documentSelection) else { return (.handled, []) }
            let path = documents[documentSelection].path
            previewMode = .document
            previewScroll = 0
            previewDocumentPath = path
            focus = .preview
            return (.changed, documentTexts[path] == nil ? [.loadDocument(path: path)] : [])
        default: return (.ignored, [])
        }
        return (.changed, [])
    }

    mutating func handleScrollKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        let delta: Int
        switch key {
        case .down, .character("j"): delta = 1
        case .up, .character("k"): delta = -1
        case .pageDown, .character(" "): delta = 10
        case .pageUp: delta = -10
        case .home, .character("g"): delta = -100_000
        case .end, .character("G"): delta = 100_000
        default: return (.ignored, [])
        }
        scroll(focus, by: delta)
        return (.changed, [])
    }

    mutating func scroll(_ pane: Focus, by delta: Int) {
        switch pane {
        case .preview:
            let anchor = previewMode == .document ? documentAnchorLine : 0
            previewScroll = max(-anchor, previewScroll + delta)
        case .answers:
            for arm in arms { armStates[arm, default: ArmState()].scrollBack = max(0, (armStates[arm]?.scrollBack ?? 0) - delta) }
        case .hits: _ = selectHit(selectedHit + delta)
        case .documents: documentSelection = min(max(0, documents.count - 1), max(0, documentSelection + delta))
        case .query: break
        }
    }

    mutating func cycleFocus(by step: Int) {
        let order: [Focus] = [.query, .hits, .preview, .answers, .documents]
        let index = order.firstIndex(of: focus) ?? 0
        focus = order[(index + step + order.count) % order.count]
    }

    mutating func handleMouse(_ mouse: MouseEvent) -> (KeyOutcome, [Effect]) {
        if view == .evaluate, palette == nil, !helpVisible, evaluation.page != .setup {
            // The wheel moves through the questions, or scrolls the focused answer pane.
            if mouse.kind == .wheelDown { return handleEvaluateKey(.down) }
            if mouse.kind == .wheelUp { return handleEvaluateKey(.up) }
        }
        guard view == .browse, palette == nil, !helpVisible else {
            if helpVisible, mouse.kind == .wheelDown { helpScroll += 3; return (.changed, []) }
            if helpVisible, mouse.kind == .wheelUp { helpScroll = max(0, helpScroll - 3); return (.changed, []) }
            return (.handled, [])
        }
        let layout = Layout(width: width, height: height)
        guard let pane = layout.pane(atX: mouse.x, y: mouse.y) else { return (.handled, []) }
        switch mouse.kind {
        case .press:
            focus = pane
            if pane == .hits {
                let row = mouse.y - layout.hits.y - 1
                if row >= 0 { return (.changed, selectHit(hitsScroll + row / Layout.rowsPerHit)) }
            }
            if pane == .documents {
                let row = mouse.y - layout.documents.y - 1
                if row >= 0, documents.indices.contains(row) { documentSelection = row }
            }
            return (.changed, [])
        case .wheelUp: scroll(pane, by: pane == .hits ? -1 : -3); return (.changed, pane == .hits ? previewEffects() : [])
        case .wheelDown: scroll(pane, by: pane == .hits ? 1 : 3); return (.changed, pane == .hits ? previewEffects() : [])
        case .release: return (.handled, [])
        }
    }

    /// Keeps scroll offsets inside their content after a resize or a list change.
    mutating func clampScrolls() {
        let visible = Layout(width: width, height: height).visibleHits
        selectedHit = min(max(0, selectedHit), max(0, hits.count - 1))
        if selectedHit < hitsScroll { hitsScroll = selectedHit }
        if selectedHit >= hitsScroll + visible { hitsScroll = selectedHit - visible + 1 }
        hitsScroll = max(0, min(hitsScroll, max(0, hits.count - visible)))
        documentSelection = min(max(0, documentSelection), max(0, documents.count - 1))
    }
}
