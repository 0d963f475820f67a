// The palette's keys and the commands it (and shortcut keys) run.
import Foundation

extension AppState {
    /// What completion can use right now.
    public var paletteContext: PaletteContext {
        PaletteContext(adapters: adapters.map(\.name), themes: themeNames)
    }

    mutating func handlePaletteKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        guard var state = palette else { return (.ignored, []) }
        switch key {
        case .escape:
            palette = nil
            return (.changed, [])
        case .enter:
            let line = state.selected.flatMap { state.completions.indices.contains($0) ? state.completions[$0] : nil }
                ?? state.editor.text
            palette = nil
            do {
                return applyCommand(try CommandPalette.parse(line))
            } catch {
                message = StatusMessage(String(describing: error), isError: true)
                return (.changed, [])
            }
        case .tab, .right:
            if key == .right && state.editor.cursor < state.editor.characters.count {
                state.editor.handle(key)
                break
            }
            let candidates = CommandPalette.completions(for: state.editor.text, context: paletteContext)
            if let selected = state.selected, state.completions.indices.contains(selected) {
                state.editor.set(state.completions[selected])
                state.selected = nil
                state.completions = CommandPalette.completions(for: state.editor.text, context: paletteContext)
            } else if candidates.count == 1, let only = candidates.first {
                state.editor.set(only)
                state.completions = CommandPalette.completions(for: only, context: paletteContext)
            } else {
                let common = CommandPalette.commonPrefix(candidates)
                if common.count > state.editor.text.count {
                    state.editor.set(common)
                } else if !candidates.isEmpty, state.completions == candidates {
                    state.selected = 0 // a second Tab with nothing left to complete picks from the list
                }
                state.completions = candidates
            }
        case .down, .control("n"):
            if state.completions.isEmpty { state.completions = CommandPalette.completions(for: state.editor.text, context: paletteContext) }
            guard !state.completions.isEmpty else { break }
            state.selected = state.selected.map { ($0 + 1) % state.completions.count } ?? 0
        case .up, .control("p"):
            guard !state.completions.isEmpty else { break }
            state.selected = state.selected.map { ($0 - 1 + state.completions.count) % state.completions.count } ?? state.completions.count - 1
        case .backspace where state.editor.isEmpty:
            palette = nil
            return (.changed, [])
        default:
            guard state.editor.handle(key) else { return (.handled, []) }
            state.selected = nil
            state.completions = CommandPalette.completions(for: state.editor.text, context: paletteContext)
        }
        palette = state
        return (.changed, [])
    }

    /// Runs a palette command (also used by shortcut keys such as + and m).
    public mutating func applyCommand(_ command: PaletteCommand) -> (KeyOutcome, [Effect]) {
        switch command {
        case .topK(let k):
            topK = k
            message = StatusMessage("top-k \(k)")
            return (.changed, rerun())
        case .mode(let m):
            mode = m
            message = StatusMessage("retrieval mode \(m.rawValue)")
            return (.changed, rerun())
        case .adapter(let name):
            return (.changed, selectAdapter(name))
        case .scale(let s):
            adapterScale = s
            message = StatusMessage("adapter scale \(Format.fixed(s, 2))")
            return (.changed, restartArms { $0 != .rag })
        case .arms(let list):
            let added = list.filter { !arms.contains($0) }
            arms = list
            message = StatusMessage("arms: \(list.map(\.rawValue).joined(separator: ", "))")
            return (.changed, restartArms { added.contains($0) })
        case .theme(let name):
            return (.changed, [.setTheme(name)])
        case .reindex:
            guard indexJob?.phase != .running else {
                message = StatusMessage("indexing is already running", isError: true)
                return (.changed, [])
            }
            indexJob = IndexJobState()
            message = StatusMessage("re-indexing…")
            return (.changed, [.reindex(addingFolders: [])])
        case .export:
            return (.changed, [.export(markdown: exportMarkdown())])
        case .open(let target):
            if view == target { return (.changed, []) }
            return switchView(target)
        case .help:
            helpVisible = true
            helpScroll = 0
            return (.changed, [])
        case .quit:
            quitRequested = true
            return ([.handled, .quit], [])
        }
    }

    /// Selects an adapter by name (nil: none) and regenerates the adapter arms.
    mutating func selectAdapter(_ name: String?) -> [Effect] {
        if let name, !adapters.contains(where: { $0.name == name }) {
            let known = adapters.map(\.name)
            message = StatusMessage("no adapter named '\(name)'" + (known.isEmpty ? "; train one with F3" : "; available: \(known.joined(separator: ", "))"), isError: true)
            return []
        }
        selectedAdapter = name
        message = StatusMessage(name.map { "adapter \($0) selected" } ?? "no adapter: the fine-tuned arm uses the base model")
        return restartArms { $0 != .rag }
    }

    /// The current query, hits and answers as Markdown (for :export).
    public func exportMarkdown() -> String {
        var lines = ["# Parallax: \(lastQuery.isEmpty ? "(no query)" : lastQuery)", "",
                     "mode \(mode.rawValue), top-k \(topK), adapter \(selectedAdapter ?? "none") ×\(Format.fixed(adapterScale, 2))", "",
                     "## Hits", ""]
        for (index, hit) in hits.enumerated() {
            let mark = excluded.contains(hit.chunkID) ? " (excluded)" : ""
            lines.append("\(index + 1). `\(hit.documentPath)` › \(hit.headingPath.joined(separator: " › ")) — score \(Format.score(hit.fusedScore)), BM25 #\(hit.bm25Rank.map(String.init) ?? "–"), dense #\(hit.denseRank.map(String.init) ?? "–")\(mark)")
        }
        for arm in arms {
            let state = armStates[arm] ?? ArmState()
            lines += ["", "## \(arm.title) (\(state.detail))", "", state.text.isEmpty ? "(no answer)" : state.text]
            if let stats = state.stats {
                lines.append("")
                lines.append("TTFT \(Format.fixed(stats.timeToFirstToken, 2)) s · \(Format.fixed(stats.tokensPerSecond, 1)) tok/s · \(stats.tokenCount) tokens")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
