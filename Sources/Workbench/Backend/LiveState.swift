// The loaded models, index and adapters behind `LiveBackend`, and the status they report.
import Foundation
import Indexing
import Inference
import Models
import Training

/// A document's text as indexed, with a map from Unicode-scalar offsets to UTF-8 offsets.
struct IndexedText: Sendable {
    let text: String
    /// utf8Offsets[i] is the UTF-8 offset of scalar i (one extra entry for the end).
    let utf8Offsets: [Int]

    init(_ text: String) {
        self.text = text
        var offsets: [Int] = []
        offsets.reserveCapacity(text.unicodeScalars.count + 1)
        var position = 0
        for scalar in text.unicodeScalars {
            offsets.append(position)
            position += UTF8.width(scalar)
        }
        offsets.append(position)
        utf8Offsets = offsets
    }

    func utf8Span(scalars span: Range<Int>) -> Range<Int> {
        let lower = min(max(span.lowerBound, 0), utf8Offsets.count - 1)
        let upper = min(max(span.upperBound, lower), utf8Offsets.count - 1)
        return utf8Offsets[lower]..<utf8Offsets[upper]
    }
}

actor LiveState {
    let configuration: LiveBackend.Configuration
    private var model: ModelState = .loading
    private var index: IndexState = .none
    private var arms: AnswerArms?
    private var searcher: HybridSearcher?
    private var embedder: MiniLMEmbedder?
    /// Re-indexing's own embedder (searches may run meanwhile), loaded on the first re-index and kept.
    private var indexingEmbedder: MiniLMEmbedder?
    private var adapters: [String: LoRAWeights] = [:]
    private var texts: [String: IndexedText] = [:]
    private var subscribers: [UUID: AsyncStream<BackendStatus>.Continuation] = [:]
    private var busyReason: String?

    init(configuration: LiveBackend.Configuration) { self.configuration = configuration }

    /// The embedder for re-indexing: loaded once, not per F2.
    func embedderForIndexing() throws -> MiniLMEmbedder {
        if let indexingEmbedder { return indexingEmbedder }
        let loaded = try MiniLMEmbedder()
        indexingEmbedder = loaded
        return loaded
    }

    var status: BackendStatus {
        BackendStatus(model: model, index: index, evaluationUnavailableReason: busyReason, trainingUnavailableReason: nil)
    }

    func subscribe(_ continuation: AsyncStream<BackendStatus>.Continuation) {
        let id = UUID()
        subscribers[id] = continuation
        continuation.yield(status)
        continuation.onTermination = { [weak self] _ in Task { await self?.unsubscribe(id) } }
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    private func publish() {
        let current = status
        for continuation in subscribers.values { continuation.yield(current) }
    }

    /// Loads the generator, then the embedder and index.
    func loadEverything() async {
        let url = configuration.modelURL
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                let generator = try Generator(url: url)
                arms = AnswerArms(generator: generator)
                model = .ready(name: url.deletingPathExtension().lastPathComponent)
            } catch {
                model = .unavailable("cannot load \(url.lastPathComponent): \(error)")
            }
        } else {
            model = .unavailable("model missing at \(url.path): run `make models`")
        }
        publish()
        await reopenIndex()
    }

    /// Opens (or re-opens, after indexing) the index and its searcher.
    func reopenIndex() async {
        let workspace = Workspace(directory: configuration.workspace)
        guard workspace.hasIndex else {
            index = .none
            searcher = nil
            publish()
            return
        }
        do {
            if embedder == nil { embedder = try MiniLMEmbedder() }
            let store = try workspace.openIndex()
            let counts = try store.counts()
            searcher = try HybridSearcher(store: store, embedder: embedder)
            texts = [:]
            index = .ready(documents: counts.documents, chunks: counts.chunks)
        } catch {
            searcher = nil
            index = .unavailable("cannot open the index: \(error)")
        }
        publish()
    }

    func setBusy(_ reason: String?) {
        busyReason = reason
        publish()
    }

    func requireArms() throws -> AnswerArms {
        guard let arms else {
            if case .unavailable(let why) = model { throw WorkbenchError.unavailable(feature: "generation", reason: why) }
            throw WorkbenchError.unavailable(feature: "generation", reason: "the model is still loading")
        }
        return arms
    }

    func requireSearcher() throws -> HybridSearcher {
        guard let searcher else {
            switch index {
            case .none: throw WorkbenchError.unavailable(feature: "search", reason: "no index yet: press F2 to index the documents")
            case .unavailable(let why): throw WorkbenchError.unavailable(feature: "search", reason: why)
            default: throw WorkbenchError.unavailable(feature: "search", reason: "the index is still opening")
            }
        }
        return searcher
    }

    /// An adapter from the workspace, loaded once and kept.
    func adapter(named name: String) throws -> LoRAWeights {
        if let cached = adapters[name] { return cached }
        let arms = try requireArms()
        let directory = try AdapterStore(workspace: configuration.workspace).directory(named: name)
        let weights = try AdapterFiles.load(from: directory, config: LlamaTrainingConfig(gguf: arms.generator.model.file))
        adapters[name] = weights
        return weights
    }

    func forgetAdapter(named name: String) { adapters[name] = nil }

    /// The text of a document as the index saw it (loader output, e.g. HTML without tags).
    func documentText(path: String) throws -> IndexedText {
        if let cached = texts[path] { return cached }
        guard let url = fileURL(forDocument: path) else {
            throw WorkbenchError.unavailable(feature: "preview", reason: "\(path) is not under the indexed folders")
        }
        switch DocumentLoader().load(url: url) {
        case .loaded(let items):
            let text = IndexedText(items.map(\.text).joined(separator: "\n\n"))
            texts[path] = text
            return text
        case .skipped(let reason):
            throw WorkbenchError.unavailable(feature: "preview", reason: "\(path): \(reason.category)")
        }
    }

    /// Documents are named relative to the parent of the folder they were indexed from.
    nonisolated func fileURL(forDocument path: String) -> URL? {
        for root in configuration.documentRoots {
            let candidate = root.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
            if candidate.path.hasPrefix(root.standardizedFileURL.path + "/"),
               FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Indexable files under the document roots, named as the index names them.
    nonisolated func filesOnDisk() -> [String] {
        var paths: [String] = []
        for root in configuration.documentRoots {
            let base = root.deletingLastPathComponent().standardizedFileURL.path
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else { continue }
            for case let url as URL in walker where DocumentLoader.isCandidate(extension: url.pathExtension) {
                let full = url.standardizedFileURL.path
                if full.hasPrefix(base + "/") { paths.append(String(full.dropFirst(base.count + 1))) }
            }
        }
        return paths.sorted()
    }
}
