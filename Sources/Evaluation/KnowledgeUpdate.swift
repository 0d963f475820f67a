// The knowledge-update experiment: some facts of the collection change. RAG absorbs the change
// by re-indexing; fine-tuning by re-training a facts adapter. Both are timed and re-scored on
// the changed facts. Everything happens in a scratch copy: the user's documents, index and
// adapters are never modified.
import Foundation
import Indexing
import Inference
import ModelFiles
import Models
import Tokenizers
import Training

public struct KnowledgeUpdateExperiment: Sendable {
    /// The folder of documents the workspace index was built from (e.g. samples/handbook).
    public var documents: URL
    /// The workspace holding the index of `documents` (and the stale adapter, if any).
    public var workspace: URL
    /// The change set: `documents/` (new versions, same relative paths) and `qa.jsonl` (new golds).
    public var changes: URL
    /// A facts adapter trained before the change, measured on the changed facts (optional).
    public var staleAdapter: String?
    /// Chat JSONL to re-train on; nil builds it from the change set's questions and new answers.
    public var trainingData: URL?
    public var trainingSteps: Int
    public var learningRate: Float
    public var modelURL: URL
    public var settings: ArmSettings

    public init(documents: URL, workspace: URL, changes: URL, staleAdapter: String?, trainingData: URL?,
                trainingSteps: Int = 80, learningRate: Float = 1e-3, modelURL: URL, settings: ArmSettings = ArmSettings(maxTokens: 48)) {
        self.documents = documents
        self.workspace = workspace
        self.changes = changes
        self.staleAdapter = staleAdapter
        self.trainingData = trainingData
        self.trainingSteps = trainingSteps
        self.learningRate = learningRate
        self.modelURL = modelURL
        self.settings = settings
    }

    public enum Progress: Sendable {
        case phase(String)
        case training(step: Int, of: Int, loss: Double)
    }

    public struct Result: Sendable, Codable {
        public var cost: UpdateCost
        public var answers: [ScoredAnswer]
        public var reindexSummary: String
    }

    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> Result {
        let fm = FileManager.default
        let suite = try QASuite(contentsOf: changes.appendingPathComponent("qa.jsonl"))
        let items = suite.items.map { var item = $0; item.format = AnswerFormat.none; return item }
        let changedDocuments = changes.appendingPathComponent("documents")
        guard fm.fileExists(atPath: changedDocuments.path) else {
            throw EvaluationError.cannotRead(path: changedDocuments.path, reason: "the change set has no documents/ folder")
        }
        guard Workspace(directory: workspace).hasIndex else {
            throw EvaluationError.cannotRead(path: workspace.path, reason: "no index: run `parallax index` on the documents first")
        }

        // 1. A scratch copy of the collection and its index, with the changed documents laid over it.
        progress(.phase("copying the collection and its index"))
        let scratch = fm.temporaryDirectory.appendingPathComponent("parallax-update-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: scratch) }
        let root = scratch.appendingPathComponent(documents.lastPathComponent)
        let scratchWorkspace = scratch.appendingPathComponent("workspace")
        try fm.createDirectory(at: scratchWorkspace, withIntermediateDirectories: true)
        try fm.copyItem(at: documents, to: root)
        try? fm.removeItem(at: root.appendingPathComponent(Workspace.folderName))
        for suffix in ["", "-wal", "-shm"] {
            let source = URL(fileURLWithPath: Workspace(directory: workspace).indexURL.path + suffix)
            if fm.fileExists(atPath: source.path) {
                try fm.copyItem(at: source, to: URL(fileURLWithPath: Workspace(directory: scratchWorkspace).indexURL.path + suffix))
            }
        }
        try overlay(changedDocuments, onto: root)

        // 2. RAG: re-index the changed collection (timed), then answer the changed questions.
        progress(.phase("re-indexing the changed documents"))
        let embedder = try MiniLMEmbedder()
        let indexer = Indexer(workspace: Workspace(directory: scratchWorkspace), embedder: embedder,
                              chunker: try Chunker(counter: embedder))
        let (summary, reindexSeconds, reindexCPU) = try measure { try indexer.run(paths: [root]) }
        let generator = try Generator(url: modelURL)
        let arms = AnswerArms(generator: generator)
        let searcher = try HybridSearcher(store: try Workspace(directory: scratchWorkspace).openIndex(), embedder: embedder)
        progress(.phase("answering the changed questions with RAG"))
        let ragAnswers = try await QAEvaluator(arms: [.rag]).run(
            items, answerer: LiveAnswerer(arms: arms, searcher: searcher, adapter: nil, settings: settings))

        // 3. Fine-tuning: the stale adapter, then a facts adapter re-trained on the new pairs (timed).
        let trainingConfig = try LlamaTrainingConfig(gguf: generator.model.file)
        var answers = ragAnswers
        var staleAccuracy: Double?
        if let name = staleAdapter {
            progress(.phase("answering with the stale adapter \(name)"))
            let weights = try AdapterFiles.load(from: try AdapterStore(workspace: workspace).directory(named: name), config: trainingConfig)
            let stale = try await QAEvaluator(arms: [.ft]).run(
                items, answerer: LiveAnswerer(arms: arms, searcher: nil, adapter: weights, settings: settings))
            staleAccuracy = ArmSummary(arm: .ft, answers: stale).goldContained
            answers += stale.map { var a = $0; a.id = "stale:" + a.id; return a }
        }
        let data = try trainingData ?? writeTrainingPairs(items, to: scratch.appendingPathComponent("facts-updated.jsonl"))
        let adapterDirectory = scratchWorkspace.appendingPathComponent("adapters/facts-updated")
        progress(.phase("re-training a facts adapter"))
        let (_, retrainSeconds, retrainCPU) = try await measureAsync {
            try await retrain(data: data, into: adapterDirectory, generator: generator, progress: progress)
        }
        let retrained = try AdapterFiles.load(from: adapterDirectory, config: trainingConfig)
        progress(.phase("answering with the re-trained adapter"))
        let after = try await QAEvaluator(arms: [.ft]).run(
            items, answerer: LiveAnswerer(arms: arms, searcher: nil, adapter: retrained, settings: settings))
        answers += after

        let reindexText = "\(summary.changed.count) changed, \(summary.unchanged) unchanged, \(summary.chunksWritten) chunks embedded"
        let cost = UpdateCost(
            reindexSeconds: reindexSeconds, reindexCPUSeconds: reindexCPU, retrainSeconds: retrainSeconds,
            retrainCPUSeconds: retrainCPU, ragAccuracyAfter: ArmSummary(arm: .rag, answers: ragAnswers).goldContained,
            staleAdapterAccuracy: staleAccuracy, retrainedAdapterAccuracy: ArmSummary(arm: .ft, answers: after).goldContained,
            changedQuestions: items.count, reindexSummary: reindexText, retrainSteps: trainingSteps,
            retrainData: trainingData.map { $0.lastPathComponent } ?? "the \(items.count) changed questions and their new answers",
            retrainedOnScoredQuestions: trainingData == nil)
        return Result(cost: cost, answers: answers, reindexSummary: reindexText)
    }

    /// Copies every file under `source` to the same relative path under `destination`.
    private func overlay(_ source: URL, onto destination: URL) throws {
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: source, includingPropertiesForKeys: [.isRegularFileKey]) else { return }
        for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let relative = String(file.standardizedFileURL.path.dropFirst(source.standardizedFileURL.path.count + 1))
            let target = destination.appendingPathComponent(relative)
            // A link in the copied collection must not carry the overlay out of the scratch copy.
            try ConfinedPath.check(target, inside: destination, what: "changed document \(relative)")
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.copyItem(at: file, to: target)
        }
    }

    /// The new question/answer pairs as chat JSONL (first gold answer as the reply).
    private func writeTrainingPairs(_ items: [QAItem], to url: URL) throws -> URL {
        var lines = Data()
        for item in items {
            let messages: [[String: String]] = [["role": "system", "content": RAGPrompt.plainSystem],
                                                ["role": "user", "content": item.question],
                                                ["role": "assistant", "content": item.answers[0]]]
            lines.append(try JSONSerialization.data(withJSONObject: ["messages": messages], options: [.sortedKeys]))
            lines.append(UInt8(ascii: "\n"))
        }
        try lines.write(to: url)
        return url
    }

    private func retrain(data: URL, into directory: URL, generator: Generator,
                         progress: @escaping @Sendable (Progress) -> Void) async throws {
        var training = TrainingSettings()
        training.maxSteps = trainingSteps
        training.learningRate = learningRate
        training.validationFraction = 0
        training.checkpointEvery = trainingSteps
        training.warmupSteps = max(1, trainingSteps / 10)
        let pad = Int32(generator.tokenizer.vocabulary.paddingID ?? generator.tokenizer.eosID ?? 0)
        let job = TrainingJob(settings: training, dataURL: data, model: .gguf(modelURL), encoder: generator.template,
                              padToken: pad, adapterDirectory: directory)
        let (events, _) = LoRATrainer.start(job)
        for await event in events {
            switch event {
            case .step(let s): progress(.training(step: s.step, of: s.totalSteps, loss: s.loss))
            case .failed(let message): throw EvaluationError.cannotRead(path: data.path, reason: "re-training failed: \(message)")
            case .cancelled: throw CancellationError()
            default: break
            }
        }
    }
}

/// Wall seconds and process CPU-seconds of `body`.
func measure<T>(_ body: () throws -> T) rethrows -> (T, Double, Double) {
    let cpu = ProcessCPU.seconds(), start = Date()
    let value = try body()
    return (value, Date().timeIntervalSince(start), ProcessCPU.seconds() - cpu)
}

func measureAsync<T>(_ body: () async throws -> T) async rethrows -> (T, Double, Double) {
    let cpu = ProcessCPU.seconds(), start = Date()
    let value = try await body()
    return (value, Date().timeIntervalSince(start), ProcessCPU.seconds() - cpu)
}
