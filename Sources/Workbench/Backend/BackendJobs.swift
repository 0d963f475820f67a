// Values describing the workbench's long jobs: training, indexing, evaluation, and the backend's own state.

/// Settings for one LoRA training run, as the Train view edits them.
public struct TrainingConfig: Sendable, Equatable {
    /// Path of the chat-JSONL dataset.
    public var datasetPath: String
    /// Name of the adapter to create under `<workspace>/adapters/NAME/`.
    public var adapterName: String
    public var rank: Int
    public var alpha: Double
    /// Projections to adapt, as `LlamaProjection` raw values: q, k, v, o, gate, up, down.
    public var targets: [String]
    public var learningRate: Double
    public var steps: Int
    public init(datasetPath: String, adapterName: String, rank: Int = 8, alpha: Double = 16,
                targets: [String] = ["q", "v"], learningRate: Double = 2e-4, steps: Int = 100) {
        self.datasetPath = datasetPath; self.adapterName = adapterName; self.rank = rank; self.alpha = alpha
        self.targets = targets; self.learningRate = learningRate; self.steps = steps
    }
}

/// One training progress report.
public struct TrainingProgress: Sendable, Equatable {
    public var step: Int
    public var totalSteps: Int
    /// Training loss at this step (assistant tokens only).
    public var loss: Double
    /// Validation loss when it was measured at this step.
    public var validationLoss: Double?
    public var learningRate: Double
    public var tokensPerSecond: Double
    /// Estimated seconds left.
    public var secondsRemaining: Double?
    public init(step: Int, totalSteps: Int, loss: Double, validationLoss: Double? = nil, learningRate: Double,
                tokensPerSecond: Double, secondsRemaining: Double? = nil) {
        self.step = step; self.totalSteps = totalSteps; self.loss = loss; self.validationLoss = validationLoss
        self.learningRate = learningRate; self.tokensPerSecond = tokensPerSecond; self.secondsRemaining = secondsRemaining
    }
}

/// What a training stream reports: `progress` events, then one `finished`, `failed` or `cancelled`.
public enum TrainingEvent: Sendable, Equatable {
    case progress(TrainingProgress)
    /// The adapter is saved and selectable at once.
    case finished(AdapterSummary)
    case failed(String)
    case cancelled
}

/// One indexing progress report.
public struct IndexProgress: Sendable, Equatable {
    /// What is happening, e.g. "reading", "chunking", "embedding", "writing".
    public var phase: String
    public var done: Int
    public var total: Int
    /// The file being worked on, if any.
    public var currentPath: String?
    public init(phase: String, done: Int, total: Int, currentPath: String? = nil) {
        self.phase = phase; self.done = done; self.total = total; self.currentPath = currentPath
    }
}

/// The outcome of an indexing run.
public struct IndexSummary: Sendable, Equatable {
    public var documents: Int
    public var chunks: Int
    public var added: Int
    public var changed: Int
    public var removed: Int
    public var seconds: Double
    public init(documents: Int, chunks: Int, added: Int, changed: Int, removed: Int, seconds: Double) {
        self.documents = documents; self.chunks = chunks; self.added = added
        self.changed = changed; self.removed = removed; self.seconds = seconds
    }
}

/// What an indexing stream reports: `progress` events, then one `finished` or `failed`.
public enum IndexEvent: Sendable, Equatable {
    case progress(IndexProgress)
    case finished(IndexSummary)
    case failed(String)
}

/// The generator model's readiness.
public enum ModelState: Sendable, Equatable {
    case loading
    case ready(name: String)
    /// Missing or unusable, with a user-facing reason.
    case unavailable(String)
}

/// The index's readiness.
public enum IndexState: Sendable, Equatable {
    /// No index in the workspace yet.
    case none
    case ready(documents: Int, chunks: Int)
    case unavailable(String)
}

/// The backend's state, shown in the status line and used to explain why something is not possible.
public struct BackendStatus: Sendable, Equatable {
    public var model: ModelState
    public var index: IndexState
    /// Nil when evaluation works; otherwise why not (the Evaluate view shows it).
    public var evaluationUnavailableReason: String?
    /// Nil when training works; otherwise why not.
    public var trainingUnavailableReason: String?
    public init(model: ModelState, index: IndexState, evaluationUnavailableReason: String? = nil,
                trainingUnavailableReason: String? = nil) {
        self.model = model; self.index = index
        self.evaluationUnavailableReason = evaluationUnavailableReason
        self.trainingUnavailableReason = trainingUnavailableReason
    }
}
