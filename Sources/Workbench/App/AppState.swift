// The workbench's whole state as a plain value: keys and backend messages update it, views paint it.

/// Which pane has the keyboard in the browse view.
public enum Focus: String, Equatable, Sendable, CaseIterable {
    case query, documents, hits, preview, answers
}

/// The full-screen view in the main area.
public enum MainView: String, Equatable, Sendable {
    case browse, index, train, adapters, evaluate
}

/// What an arm is doing.
public enum ArmPhase: Equatable, Sendable {
    case idle, waiting, streaming, done, cancelled
    case failed(String)
}

/// One answer arm's output so far.
public struct ArmState: Equatable, Sendable {
    public var text = ""
    public var phase: ArmPhase = .idle
    public var stats: ArmStats?
    /// Token events received so far.
    public var tokensReceived = 0
    /// Lines scrolled up from the bottom (0 follows the stream).
    public var scrollBack = 0
    /// Adapter and passages used, for the title.
    public var detail = ""
    public init() {}
}

/// An informational or error line under the panes.
public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) { self.text = text; self.isError = isError }
}

/// The `:` palette while open.
public struct PaletteState: Equatable, Sendable {
    public var editor = LineEditor()
    public var completions: [String] = []
    public var selected: Int?
    public init() {}
}

/// Whether the Preview pane shows the chunk with a little context or the whole document.
public enum PreviewMode: Equatable, Sendable { case chunk, document }

/// A background job's lifecycle.
public enum JobPhase: Equatable, Sendable {
    case running, finished, cancelled
    case failed(String)
}

/// The training job shown in the Train view (and in the status line while it runs).
public struct TrainingJobState: Equatable, Sendable {
    public var config: TrainingConfig
    public var phase: JobPhase = .running
    public var latest: TrainingProgress?
    /// (step, loss) and (step, validation loss) points for the chart.
    public var losses: [ChartPoint] = []
    public var validationLosses: [ChartPoint] = []
    public init(config: TrainingConfig) { self.config = config }
}

/// A point on the loss chart.
public struct ChartPoint: Equatable, Sendable {
    public var x: Double, y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// The Train view's form.
public struct TrainForm: Equatable, Sendable {
    public enum Row: Int, CaseIterable, Sendable { case dataset, name, rank, alpha, targets, learningRate, steps, start, cancel }
    public static let targetPresets = ["q,v", "q,k,v,o", "q,k,v,o,gate,up,down"]
    public var datasetIndex = 0
    public var row: Row = .dataset
    public var name = LineEditor("my-adapter")
    public var rank = LineEditor("8")
    public var alpha = LineEditor("16")
    public var targetPreset = 0
    public var learningRate = LineEditor("0.0002")
    public var steps = LineEditor("100")
    public init() {}
}

/// The indexing job shown in the Index view and the status line.
public struct IndexJobState: Equatable, Sendable {
    public var phase: JobPhase = .running
    public var latest: IndexProgress?
    public var summary: IndexSummary?
    public init() {}
}

/// The Evaluate view's state: the run form and past runs, a run's results, and one question's answers.
public struct EvaluationState: Equatable, Sendable {
    /// Which page of the view is showing.
    public enum Page: Equatable, Sendable {
        /// Suite, number of questions, format, Run, and the list of past runs.
        case setup
        /// Progress, the per-arm table, bar charts and the question list.
        case results
        /// One question's answers of every arm side by side.
        case answers
    }

    /// The rows of the setup page.
    public enum SetupRow: Int, CaseIterable, Sendable { case suite, questions, format, run, runs }

    /// What the results page shows below the table when both do not fit.
    public enum Section: Equatable, Sendable { case charts, questions }

    /// The question counts ←/→ step through (nil: all).
    public static let limitChoices: [Int?] = [1, 2, 5, 10, 20, 50, 100, nil]

    public var suites: [String] = []
    public var suiteIndex = 0
    public var limit: Int? = 20
    public var format: EvaluationFormatChoice = .perQuestion
    public var row: SetupRow = .suite
    public var runs: [EvaluationRunListing] = []
    public var runIndex = 0
    public var page: Page = .setup

    /// The live run's phase (nil: no run started in this session).
    public var phase: JobPhase?
    public var progress: EvaluationProgress?
    /// Answers due in the live run.
    public var total = 0
    /// Whether a stop was asked for and not yet confirmed.
    public var stopRequested = false
    /// The run shown on the results and answers pages (live, finished, stopped or loaded).
    public var result: EvaluationRunResult?
    /// A past run being loaded.
    public var loadingRunID: String?

    public var section: Section = .charts
    public var questionIndex = 0
    /// The focused answer pane (index into the run's arms) and each pane's scroll offset from the top.
    public var paneFocus = 0
    public var paneScroll: [EvaluationArm: Int] = [:]

    public init() {}

    public var isRunning: Bool { phase == .running }

    /// The question the answers page shows.
    public var currentQuestion: EvaluationQuestion? { result?.questions[safe: questionIndex] }
}

/// Everything on screen and everything the workbench remembers, as one value.
public struct AppState: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var workspacePath: String

    public var status: BackendStatus?
    public var documents: [DocumentSummary] = []
    public var documentSelection = 0

    public var query = LineEditor()
    public var history = QueryHistory()
    /// The query the hits and arms belong to.
    public var lastQuery = ""
    /// Increases with every query; backend messages for older ids are dropped.
    public var queryID = 0
    public var searching = false

    public var hits: [SearchHit] = []
    public var selectedHit = 0
    public var hitsScroll = 0
    public var excluded: Set<Int64> = []

    public var previewMode: PreviewMode = .chunk
    public var previewScroll = 0
    /// The document shown in document mode when it was opened from the Documents pane (nil: the selected hit's).
    public var previewDocumentPath: String?
    /// Source of fresh run ids for arms.
    public var nextRunID = 1
    public var documentTexts: [String: String] = [:]

    public var arms: [ArmKind] = [.rag, .ft]
    public var armStates: [ArmKind: ArmState] = [:]
    /// Increases whenever an arm is restarted (e.g. after excluding a hit).
    public var armRunIDs: [ArmKind: Int] = [:]

    public var adapters: [AdapterSummary] = []
    public var selectedAdapter: String?
    public var adapterScale = 1.0
    public var adaptersSelection = 0
    public var mode: RetrievalMode = .hybrid
    public var topK = 5

    public var focus: Focus = .query
    public var view: MainView = .browse
    public var helpVisible = false
    public var helpScroll = 0
    public var palette: PaletteState?
    public var message: StatusMessage?

    public var themeName = "dark"
    public var themeNames: [String] = []

    public var datasets: [DatasetSummary] = []
    public var trainForm = TrainForm()
    public var training: TrainingJobState?
    public var indexFolder = LineEditor()
    public var indexFocusOnFolder = false
    public var indexJob: IndexJobState?
    public var evaluation = EvaluationState()

    public var quitRequested = false

    /// The smallest terminal the layout works in.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public init(width: Int, height: Int, workspacePath: String) {
        self.width = width
        self.height = height
        self.workspacePath = workspacePath
    }

    /// The hits that are passed to the RAG prompt (excluded ones removed), in order: [1] is the first.
    public var passages: [SearchHit] { hits.filter { !excluded.contains($0.chunkID) } }

    /// The selected hit, if any.
    public var currentHit: SearchHit? { hits.indices.contains(selectedHit) ? hits[selectedHit] : nil }

    public var isTooSmall: Bool { width < AppState.minimumWidth || height < AppState.minimumHeight }
}
