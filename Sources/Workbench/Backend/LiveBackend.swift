// The backend of the real binary: the workbench's requests served by the core modules
// (Indexing for documents and search, Inference for the arms, Training, Evaluation).
import Foundation
import Indexing
import Inference
import ModelFiles
import Models
import Training

/// Serves the workbench from a workspace and the model cache. Models load in the background:
/// the first status says "loading" at once and the UI never waits for them.
public final class LiveBackend: WorkbenchBackend {
    public struct Configuration: Sendable {
        public var workspace: URL
        /// Folders whose documents the index holds (re-indexed by F2 / `:reindex`).
        public var documentRoots: [URL]
        public var modelURL: URL
        public var datasetFolders: [URL]
        public var suiteFolders: [URL]

        public init(workspace: URL, documentRoots: [URL], modelURL: URL, datasetFolders: [URL], suiteFolders: [URL]) {
            self.workspace = workspace
            self.documentRoots = documentRoots
            self.modelURL = modelURL
            self.datasetFolders = datasetFolders
            self.suiteFolders = suiteFolders
        }
    }

    public let configuration: Configuration
    let state: LiveState
    private let listing: OfflineBackend

    public init(configuration: Configuration) {
        self.configuration = configuration
        state = LiveState(configuration: configuration)
        listing = OfflineBackend(workspace: configuration.workspace, modelPath: configuration.modelURL.path,
                                 modelPresent: true, datasetFolders: configuration.datasetFolders)
        let state = self.state
        Task.detached(priority: .userInitiated) { await state.loadEverything() }
    }

    var workspace: Workspace { Workspace(directory: configuration.workspace) }

    public func statusUpdates() -> AsyncStream<BackendStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: BackendStatus.self, bufferingPolicy: .bufferingNewest(8))
        let state = self.state
        Task { await state.subscribe(continuation) }
        return stream
    }

    public func documents() async throws -> [DocumentSummary] {
        guard workspace.hasIndex else { return [] }
        let store = try workspace.openIndex()
        defer { try? store.close() }
        let stored = try store.documents()
        let chunkCounts = try store.chunkCounts()
        var result: [DocumentSummary] = []
        for (path, document) in stored.sorted(by: { $0.key < $1.key }) {
            let chunks = chunkCounts[path] ?? 0
            var documentState = DocumentState.indexed
            if let url = state.fileURL(forDocument: path) {
                let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
                let size = (attributes?[.size] as? NSNumber)?.intValue
                let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970
                if attributes == nil { documentState = .missing }
                else if size != document.size || modified.map({ abs($0 - document.modified) > 0.001 }) == true { documentState = .changed }
            }
            result.append(DocumentSummary(path: path, chunkCount: chunks, state: documentState))
        }
        let known = Set(stored.keys)
        for path in state.filesOnDisk() where !known.contains(path) {
            result.append(DocumentSummary(path: path, chunkCount: 0, state: .unindexed))
        }
        return result
    }

    public func documentText(path: String) async throws -> String {
        try await state.documentText(path: path).text
    }

    public func search(_ query: String, mode: RetrievalMode, topK: Int) async throws -> [SearchHit] {
        let searcher = try await state.requireSearcher()
        let searchMode = SearchMode(rawValue: mode.rawValue) ?? .hybrid
        let hits = try searcher.search(query, mode: searchMode, topK: topK)
        var result: [SearchHit] = []
        for hit in hits {
            // The index keeps spans in Unicode scalars; the workbench works in UTF-8 bytes.
            let span = (try? await state.documentText(path: hit.document).utf8Span(scalars: hit.span)) ?? 0..<0
            result.append(SearchHit(
                chunkID: hit.chunkID, documentPath: hit.documentKey,
                headingPath: hit.headingPath.isEmpty ? [] : hit.headingPath.components(separatedBy: " > "),
                text: hit.text, span: span, fusedScore: hit.score, bm25Rank: hit.bm25Rank, bm25Score: hit.bm25Score,
                denseRank: hit.denseRank, denseCosine: hit.cosine.map(Double.init)))
        }
        return result
    }

    public func generate(_ request: ArmRequest) -> AsyncStream<ArmEvent> {
        let state = self.state
        return AsyncStream { continuation in
            let task = Task {
                do {
                    let arms = try await state.requireArms()
                    var adapter: LoRAWeights?
                    if let name = request.adapter { adapter = try await state.adapter(named: name) }
                    let arm: Inference.ArmKind = switch request.arm {
                    case .rag: .rag
                    case .ft: .ft
                    case .both: .ftrag
                    }
                    let passages = request.passages.map { hit in
                        PromptPassage(document: hit.documentPath, headingPath: hit.headingPath.joined(separator: " > "), text: hit.text)
                    }
                    let settings = ArmSettings(maxTokens: request.maxTokens, adapterScale: Float(request.adapterScale))
                    let stream = try arms.stream(question: request.question, arm: arm, format: .none, passages: passages,
                                                 adapter: adapter, settings: settings)
                    for await event in stream {
                        switch event {
                        case .token(_, let text): if !text.isEmpty { continuation.yield(.token(text)) }
                        case .finished(let stats):
                            continuation.yield(.finished(ArmStats(timeToFirstToken: stats.timeToFirstToken,
                                                                  tokensPerSecond: stats.decodeTokensPerSecond,
                                                                  tokenCount: stats.generatedTokens)))
                        }
                    }
                } catch ArmError.adapterRequired {
                    continuation.yield(.failed("no adapter selected: pick one with F4 or :adapter NAME, or train one with F3"))
                } catch {
                    continuation.yield(.failed(String(describing: error)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func adapters() async throws -> [AdapterSummary] { try await listing.adapters() }

    public func datasets() async throws -> [DatasetSummary] {
        // Dataset folders hold one folder per dataset (train.jsonl, test.jsonl) or loose .jsonl files.
        var found = try await listing.datasets()
        for folder in configuration.datasetFolders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() {
                let train = folder.appendingPathComponent(name).appendingPathComponent("train.jsonl")
                guard FileManager.default.fileExists(atPath: train.path), !found.contains(where: { $0.path == train.path }) else { continue }
                let lines = LineReader.countNewlines(in: train)
                found.append(DatasetSummary(name: name, path: train.path, exampleCount: lines))
            }
        }
        return found
    }

    public func evaluationSuites() async throws -> [String] {
        var suites: [String] = []
        for folder in configuration.suiteFolders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            suites += names.filter { $0.hasSuffix(".jsonl") }.sorted().map { folder.appendingPathComponent($0).path }
        }
        return suites
    }
}
