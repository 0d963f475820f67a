// The backend the real binary uses until the core modules are wired in: honest "not available" states, real file lists.
import Foundation
import ModelFiles

/// Reports the model and index honestly, lists adapters and datasets from disk, and answers every request that
/// needs the core (search, generation, training, indexing, evaluation) with a clear "not available" reason.
/// It never makes up answers.
public struct OfflineBackend: WorkbenchBackend {
    public var workspace: URL
    /// Where the generator model should be, and whether it is there.
    public var modelPath: String
    public var modelPresent: Bool
    /// Folders searched for `*.jsonl` datasets.
    public var datasetFolders: [URL]
    static let reason = "this build does not wire the core modules into the workbench yet"

    public init(workspace: URL, modelPath: String, modelPresent: Bool, datasetFolders: [URL]) {
        self.workspace = workspace
        self.modelPath = modelPath
        self.modelPresent = modelPresent
        self.datasetFolders = datasetFolders
    }

    var status: BackendStatus {
        let model: ModelState = modelPresent
            ? .unavailable("model found at \(modelPath), but \(OfflineBackend.reason)")
            : .unavailable("model missing at \(modelPath): run `make models`")
        let indexFile = workspace.appendingPathComponent("index.sqlite")
        let index: IndexState = FileManager.default.fileExists(atPath: indexFile.path)
            ? .unavailable("index found, but \(OfflineBackend.reason)") : .none
        return BackendStatus(model: model, index: index, evaluationUnavailableReason: OfflineBackend.reason,
                             trainingUnavailableReason: OfflineBackend.reason)
    }

    public func statusUpdates() -> AsyncStream<BackendStatus> {
        let status = self.status
        return AsyncStream { $0.yield(status) }
    }

    public func documents() async throws -> [DocumentSummary] { [] }

    public func documentText(path: String) async throws -> String {
        throw WorkbenchError.unavailable(feature: "documents", reason: OfflineBackend.reason)
    }

    public func search(_ query: String, mode: RetrievalMode, topK: Int) async throws -> [SearchHit] {
        throw WorkbenchError.unavailable(feature: "search", reason: OfflineBackend.reason)
    }

    public func generate(_ request: ArmRequest) -> AsyncStream<ArmEvent> {
        let why = modelPresent ? "generation is not available: \(OfflineBackend.reason)" : "model missing at \(modelPath): run `make models`"
        return AsyncStream { continuation in
            continuation.yield(.failed(why))
            continuation.finish()
        }
    }

    /// Adapters are folders under `<workspace>/adapters/`; PEFT `adapter_config.json` fills rank, alpha and targets.
    public func adapters() async throws -> [AdapterSummary] {
        let folder = workspace.appendingPathComponent("adapters")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.map { name in
            let config = folder.appendingPathComponent(name).appendingPathComponent("adapter_config.json")
            let object = (try? Data(contentsOf: config)).flatMap { try? JSONGuard.object(from: $0) } as? [String: Any]
            return AdapterSummary(name: name, rank: object?["r"] as? Int ?? 0, alpha: object?["lora_alpha"] as? Double ?? 0,
                                  targets: object?["target_modules"] as? [String] ?? [])
        }
    }

    public func datasets() async throws -> [DatasetSummary] {
        var found: [DatasetSummary] = []
        var seen = Set<String>()
        for folder in datasetFolders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".jsonl") && seen.insert(file).inserted {
                let url = folder.appendingPathComponent(file)
                let lines = LineReader.countNewlines(in: url)
                found.append(DatasetSummary(name: file, path: url.path, exampleCount: lines))
            }
        }
        return found
    }

    public func train(_ config: TrainingConfig) -> AsyncStream<TrainingEvent> {
        AsyncStream { $0.yield(.failed(OfflineBackend.reason)); $0.finish() }
    }

    public func reindex(addingFolders: [String]) -> AsyncStream<IndexEvent> {
        AsyncStream { $0.yield(.failed(OfflineBackend.reason)); $0.finish() }
    }

    public func evaluationSuites() async throws -> [String] { [] }

    public func evaluate(_ request: EvaluationRequest, stop: EvaluationStopSignal) -> AsyncStream<EvaluationEvent> {
        AsyncStream { $0.yield(.failed(OfflineBackend.reason)); $0.finish() }
    }

    public func evaluationRuns() async throws -> [EvaluationRunListing] { [] }

    public func evaluationRun(id: String) async throws -> EvaluationRunResult {
        throw WorkbenchError.unavailable(feature: "run \(id)", reason: OfflineBackend.reason)
    }
}
