// The one interface between the workbench and the core modules: retrieval, arms, adapters, training, indexing, evaluation.

/// Everything the workbench asks of the core. All methods are safe to call from any task and must not block
/// the caller: `async` methods honour task cancellation (a new query cancels the old search and arms);
/// stream methods start their work when iterated and stop it when the consumer stops iterating
/// (implement with `AsyncStream`'s `onTermination` cancelling the producing task).
///
/// The real implementation lives with the executable's wiring (Indexing + Inference + Training + Evaluation);
/// `ScriptedBackend` is the scripted fake used by tests and `parallax bench tui`; `OfflineBackend` is what runs
/// when the core is not wired in.
public protocol WorkbenchBackend: Sendable {
    /// The backend's state now, then each change (model finished loading, index built, …). Never finishes
    /// while the backend lives; the first element should arrive at once (the UI does not wait for models).
    func statusUpdates() -> AsyncStream<BackendStatus>

    /// The collection's documents with chunk counts and changed/unindexed markers.
    func documents() async throws -> [DocumentSummary]

    /// The full text of a document (for the Preview pane and "open in document"); hit spans index into it.
    func documentText(path: String) async throws -> String

    /// The top `topK` chunks for `query` under `mode`, best first.
    func search(_ query: String, mode: RetrievalMode, topK: Int) async throws -> [SearchHit]

    /// Streams one arm's answer: `.token` events, then `.finished(stats)` or `.failed(reason)`.
    /// Stopping iteration (task cancellation) must stop generation promptly.
    func generate(_ request: ArmRequest) -> AsyncStream<ArmEvent>

    /// Adapters in the workspace, selectable in the fine-tuned arm.
    func adapters() async throws -> [AdapterSummary]

    /// Training datasets (bundled `samples/datasets` and the workspace's).
    func datasets() async throws -> [DatasetSummary]

    /// Trains an adapter; cancelling the consuming task cancels training (ending with `.cancelled` if it can).
    func train(_ config: TrainingConfig) -> AsyncStream<TrainingEvent>

    /// Re-indexes the collection plus `addingFolders` (absolute or workspace-relative paths), incrementally.
    func reindex(addingFolders: [String]) -> AsyncStream<IndexEvent>

    /// Names of the evaluation suites that can be run (e.g. files in `samples/qa`).
    func evaluationSuites() async throws -> [String]

    /// Runs one suite across the arms and stores the run in `<workspace>/runs/ID/` (as `parallax eval qa` does).
    /// `stop` asks it to stop promptly and report `.stopped` with the answers finished so far;
    /// ending the iteration instead abandons the run.
    func evaluate(_ request: EvaluationRequest, stop: EvaluationStopSignal) -> AsyncStream<EvaluationEvent>

    /// Stored evaluation runs, newest first (made here or by `parallax eval qa`).
    func evaluationRuns() async throws -> [EvaluationRunListing]

    /// A stored run with its per-question answers.
    func evaluationRun(id: String) async throws -> EvaluationRunResult
}
