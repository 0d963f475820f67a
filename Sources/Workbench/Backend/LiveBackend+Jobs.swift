// The long jobs of the live backend: training an adapter and re-indexing (evaluation: LiveBackend+Evaluation).
// Each runs off the UI's path, reports typed progress and stops when its consumer goes away.
import Foundation
import Indexing
import Inference
import ModelFiles
import Models
import Tokenizers
import Training

extension LiveBackend {
    /// Projections from the names the train form uses: "q", "q_proj", "gate_proj", "all linear", …
    static func projections(_ names: [String]) throws -> [LlamaProjection] {
        var result: [LlamaProjection] = []
        for raw in names.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !raw.isEmpty {
            if raw == "all linear" || raw == "all" { return LlamaProjection.allCases }
            let short = raw.hasSuffix("_proj") ? String(raw.dropLast(5)) : raw
            guard let projection = LlamaProjection(rawValue: short) else {
                throw WorkbenchError.unavailable(feature: "training", reason: "unknown target \"\(raw)\" (use q, k, v, o, gate, up, down)")
            }
            if !result.contains(projection) { result.append(projection) }
        }
        guard !result.isEmpty else { throw WorkbenchError.unavailable(feature: "training", reason: "choose at least one target projection") }
        return result
    }

    public func train(_ config: TrainingConfig) -> AsyncStream<TrainingEvent> {
        let workspaceURL = configuration.workspace
        let modelURL = configuration.modelURL
        let state = self.state
        return AsyncStream { continuation in
            let task = Task {
                do {
                    var settings = TrainingSettings()
                    settings.rank = config.rank
                    settings.alpha = Float(config.alpha)
                    settings.targets = try Self.projections(config.targets)
                    settings.learningRate = Float(config.learningRate)
                    settings.maxSteps = config.steps
                    settings.warmupSteps = min(settings.warmupSteps, max(1, config.steps / 10))
                    settings.validationEvery = max(1, min(settings.validationEvery, config.steps / 4))
                    settings.checkpointEvery = max(1, min(settings.checkpointEvery, config.steps))
                    let gguf = try GGUFFile(url: modelURL)
                    let tokenizer = try BPETokenizer(gguf: gguf)
                    let template = try ChatTemplate(tokenizer: tokenizer)
                    let pad = Int32(tokenizer.vocabulary.paddingID ?? tokenizer.eosID ?? 0)
                    let directory = try AdapterStore(workspace: workspaceURL).directory(named: config.adapterName)
                    let job = TrainingJob(settings: settings, dataURL: URL(fileURLWithPath: config.datasetPath),
                                          model: .gguf(modelURL), encoder: template, padToken: pad, adapterDirectory: directory)
                    let (events, trainingTask) = LoRATrainer.start(job)
                    await withTaskCancellationHandler {
                        var validationLoss: Double?
                        for await event in events {
                            switch event {
                            case .step(let s):
                                continuation.yield(.progress(TrainingProgress(
                                    step: s.step, totalSteps: s.totalSteps, loss: s.loss, validationLoss: validationLoss,
                                    learningRate: Double(s.learningRate), tokensPerSecond: s.tokensPerSecond,
                                    secondsRemaining: s.etaSeconds)))
                            case .validation(_, let loss):
                                validationLoss = loss
                            case .finished:
                                await state.forgetAdapter(named: config.adapterName)
                                continuation.yield(.finished(AdapterSummary(
                                    name: config.adapterName, rank: config.rank, alpha: config.alpha, targets: config.targets,
                                    dataset: URL(fileURLWithPath: config.datasetPath).lastPathComponent, validationLoss: validationLoss)))
                            case .cancelled:
                                continuation.yield(.cancelled)
                            case .failed(let message):
                                continuation.yield(.failed(message))
                            default:
                                break
                            }
                        }
                    } onCancel: {
                        trainingTask.cancel()
                    }
                } catch {
                    continuation.yield(.failed(String(describing: error)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func reindex(addingFolders: [String]) -> AsyncStream<IndexEvent> {
        let workspace = Workspace(directory: configuration.workspace)
        let roots = configuration.documentRoots + addingFolders.map {
            URL(fileURLWithPath: $0, relativeTo: configuration.workspace.deletingLastPathComponent()).standardizedFileURL
        }
        let state = self.state
        return AsyncStream { continuation in
            let task = Task.detached {
                await state.setBusy("re-indexing")
                do {
                    let embedder = try await state.embedderForIndexing()
                    let chunker = try Chunker(counter: embedder)
                    let indexer = Indexer(workspace: workspace, embedder: embedder, chunker: chunker)
                    var done = 0, total = 0
                    let summary = try indexer.run(paths: roots) { event in
                        if Task.isCancelled { return .stop }
                        switch event {
                        case .scanned(let files):
                            continuation.yield(.progress(IndexProgress(phase: "scanning", done: 0, total: files)))
                        case .planned(_, _, _, _, let chunks):
                            total = chunks
                        case .embedding(let path, let file, let files):
                            continuation.yield(.progress(IndexProgress(phase: "embedding", done: file, total: files, currentPath: path)))
                        case .chunksEmbedded(let d, let t):
                            done = d
                            total = t
                            continuation.yield(.progress(IndexProgress(phase: "embedding chunks", done: done, total: total)))
                        default:
                            break
                        }
                        return .proceed
                    }
                    await state.reopenIndex()
                    continuation.yield(.finished(IndexSummary(
                        documents: summary.totalDocuments, chunks: summary.totalChunks, added: summary.added.count,
                        changed: summary.changed.count, removed: summary.removed.count, seconds: summary.seconds)))
                } catch {
                    continuation.yield(.failed(String(describing: error)))
                }
                await state.setBusy(nil)
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
