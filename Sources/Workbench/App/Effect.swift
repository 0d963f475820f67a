// What state updates ask the runtime to do (effects), and what comes back from the backend (messages).

/// Work the reducer asks for; the runtime runs it against the backend and reports back with `BackendMessage`s.
public enum Effect: Equatable, Sendable {
    case search(queryID: Int, query: String, mode: RetrievalMode, topK: Int)
    /// Starts (or restarts) one arm; any running stream for that arm is cancelled first.
    case generate(runID: Int, request: ArmRequest)
    /// Cancels every running arm and search (a new query).
    case cancelArms
    case loadDocument(path: String)
    case refreshDocuments
    case refreshAdapters
    case refreshDatasets
    case refreshEvaluationSuites
    case startTraining(TrainingConfig)
    case cancelTraining
    case reindex(addingFolders: [String])
    /// Starts an evaluation run (any running one is abandoned first).
    case evaluate(EvaluationRequest)
    /// Asks the running evaluation to stop promptly, keeping the answers finished so far.
    case stopEvaluation
    case refreshEvaluationRuns
    case loadEvaluationRun(id: String)
    case saveHistory([String])
    case export(markdown: String)
    case setTheme(String)
}

/// Results and stream events from the backend, delivered to the state one at a time.
public enum BackendMessage: Equatable, Sendable {
    case status(BackendStatus)
    case documents([DocumentSummary])
    case documentText(path: String, text: String)
    case searchFinished(queryID: Int, hits: [SearchHit])
    case searchFailed(queryID: Int, reason: String)
    case arm(ArmKind, runID: Int, ArmEvent)
    case adapters([AdapterSummary])
    case datasets([DatasetSummary])
    case evaluationSuites([String])
    case training(TrainingEvent)
    case index(IndexEvent)
    case evaluation(EvaluationEvent)
    case evaluationRuns([EvaluationRunListing])
    case evaluationRun(EvaluationRunResult)
    /// A failed request or file operation, shown as an error line.
    case failure(String)
    /// An informational line (e.g. "exported to …").
    case notice(String)
    /// Ask the app to quit (signals).
    case quit
}

/// What a key handler did: whether the key was used, whether the screen must be redrawn, whether to quit.
public struct KeyOutcome: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let handled = KeyOutcome(rawValue: 1)
    public static let redraw = KeyOutcome(rawValue: 2)
    public static let quit = KeyOutcome(rawValue: 4)
    public static let ignored: KeyOutcome = []
    public static let changed: KeyOutcome = [.handled, .redraw]
}
