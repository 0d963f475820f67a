// Queries, hit stepping, exclusion and (re)starting the answer arms.
import Foundation

extension AppState {
    /// Starts a new query: records it, cancels the old search and arms, searches, and starts the arms that need no passages.
    public mutating func submit(_ text: String) -> [Effect] {
        history.record(text)
        lastQuery = text
        query.set("")
        queryID += 1
        searching = true
        hits = []
        excluded = []
        selectedHit = 0
        hitsScroll = 0
        previewMode = .chunk
        previewScroll = 0
        previewDocumentPath = nil
        armStates = [:]
        armRunIDs = [:]
        focus = .hits
        var effects: [Effect] = [.cancelArms, .saveHistory(history.entries),
                                 .search(queryID: queryID, query: text, mode: mode, topK: topK)]
        for arm in arms {
            if arm == .ft { effects.append(startArm(.ft)) } else { armStates[arm] = waitingState(for: arm, detail: "searching…") }
        }
        return effects
    }

    /// Runs the current query again (after a top-k or mode change).
    mutating func rerun() -> [Effect] {
        guard !lastQuery.isEmpty else { return [] }
        let text = lastQuery
        let keepFocus = focus
        let effects = submit(text)
        focus = keepFocus
        return effects
    }

    func waitingState(for arm: ArmKind, detail: String) -> ArmState {
        var state = ArmState()
        state.phase = .waiting
        state.detail = detail
        return state
    }

    /// The effect that (re)starts `arm` for the current query with the current passages and adapter.
    mutating func startArm(_ arm: ArmKind) -> Effect {
        let runID = nextRunID
        nextRunID += 1
        armRunIDs[arm] = runID
        let passages = arm == .ft ? [] : self.passages
        let adapter = arm == .rag ? nil : selectedAdapter
        var detail: String
        switch arm {
        case .rag: detail = "\(passages.count) passages"
        case .ft: detail = adapter.map { "\($0) ×\(Format.fixed(adapterScale, 2))" } ?? "no adapter: base model"
        case .both: detail = "\(adapter ?? "no adapter") + \(passages.count) passages"
        }
        armStates[arm] = waitingState(for: arm, detail: detail)
        return .generate(runID: runID, request: ArmRequest(arm: arm, question: lastQuery, passages: passages,
                                                           adapter: adapter, adapterScale: adapterScale))
    }

    /// Restarts the arms matching `predicate` that are switched on, if there is a query.
    mutating func restartArms(where predicate: (ArmKind) -> Bool) -> [Effect] {
        guard !lastQuery.isEmpty, !searching else { return [] }
        return arms.filter(predicate).map { startArm($0) }
    }

    /// Moves the hit selection (clamped), keeps it visible, and asks for the document it comes from.
    public mutating func selectHit(_ index: Int) -> [Effect] {
        guard !hits.isEmpty else { return [] }
        let clamped = min(max(0, index), hits.count - 1)
        if clamped != selectedHit { previewScroll = 0 }
        selectedHit = clamped
        if previewMode == .document { previewDocumentPath = nil }
        clampScrolls()
        return previewEffects()
    }

    /// Loads the selected hit's document if the preview needs it.
    func previewEffects() -> [Effect] {
        guard let hit = currentHit, documentTexts[hit.documentPath] == nil else { return [] }
        return [.loadDocument(path: hit.documentPath)]
    }

    /// Enter on a hit: show its whole document in the Preview pane, scrolled to the chunk.
    mutating func openCurrentHitInDocument() -> [Effect] {
        guard currentHit != nil else { return [] }
        previewMode = .document
        previewDocumentPath = nil
        previewScroll = 0 // relative to the chunk's first line (see documentAnchorLine)
        focus = .preview
        return previewEffects()
    }

    /// x on a hit: exclude it from (or put it back into) the passages and regenerate the passage arms.
    mutating func toggleExcludeCurrentHit() -> [Effect] {
        guard let hit = currentHit else { return [] }
        if excluded.contains(hit.chunkID) {
            excluded.remove(hit.chunkID)
            message = StatusMessage("hit \(selectedHit + 1) included again; regenerating")
        } else {
            excluded.insert(hit.chunkID)
            message = StatusMessage("hit \(selectedHit + 1) excluded; regenerating the RAG arm")
        }
        return restartArms { $0 != .ft }
    }

    /// In document mode for a hit: the (0-based) source line where the hit's chunk starts, or 0.
    public var documentAnchorLine: Int {
        guard previewDocumentPath == nil, let hit = currentHit, let text = documentTexts[hit.documentPath] else { return 0 }
        let bytes = Array(text.utf8)
        let end = min(max(0, hit.span.lowerBound), bytes.count)
        return bytes[0..<end].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    }
}
