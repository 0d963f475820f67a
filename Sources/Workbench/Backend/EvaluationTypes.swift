// Plain values of the Evaluate view (F5): what to run, the live progress, and a run's scored answers and summaries.
import Synchronization

/// The four answer arms of an evaluation run (the arms of `parallax eval qa`).
public enum EvaluationArm: String, Sendable, CaseIterable, Equatable, Hashable {
    /// Base model alone.
    case base
    /// Base model reading retrieved passages.
    case rag
    /// Base model plus the LoRA adapter, no passages.
    case ft
    /// Adapter plus passages.
    case ftrag

    /// A short label for tables and charts (at most 6 columns).
    public var label: String {
        switch self {
        case .base: "Base"
        case .rag: "RAG"
        case .ft: "FT"
        case .ftrag: "FT+RAG"
        }
    }

    /// Whether the arm needs an adapter.
    public var usesAdapter: Bool { self == .ft || self == .ftrag }

    /// The arm's colour role.
    public var role: StyleRole {
        switch self {
        case .base: .armBase
        case .rag: .armRAG
        case .ft: .armFT
        case .ftrag: .armFTRAG
        }
    }
}

/// Which answer format the questions are asked in: each question's own, or one for all (as `eval qa --format`).
public enum EvaluationFormatChoice: String, Sendable, CaseIterable, Equatable {
    case perQuestion = "per question"
    case none, json, xml
}

/// What the Evaluate view asks the backend to run.
public struct EvaluationRequest: Sendable, Equatable {
    /// Path of the QA suite (JSONL).
    public var suite: String
    public var arms: [EvaluationArm]
    /// Adapter for the FT arms (nil: no FT arms can run).
    public var adapter: String?
    public var adapterScale: Double
    /// Only the first N questions (nil: all).
    public var limit: Int?
    public var format: EvaluationFormatChoice
    public var mode: RetrievalMode
    public var topK: Int

    public init(suite: String, arms: [EvaluationArm], adapter: String?, adapterScale: Double = 1, limit: Int? = 20,
                format: EvaluationFormatChoice = .perQuestion, mode: RetrievalMode = .hybrid, topK: Int = 5) {
        self.suite = suite; self.arms = arms; self.adapter = adapter; self.adapterScale = adapterScale
        self.limit = limit; self.format = format; self.mode = mode; self.topK = topK
    }
}

/// Averages over one arm's answers (the fields of `Evaluation.ArmSummary` the view shows).
public struct EvaluationArmSummary: Sendable, Equatable {
    public var arm: EvaluationArm
    public var questions: Int
    public var goldContained: Double
    public var f1: Double
    public var exactMatch: Double
    /// Share of format-bearing answers in the right format (nil when no question asked for a format).
    public var formatCompliance: Double?
    /// Share of cited answers whose citation holds a gold string (nil when nothing was cited).
    public var citationSupport: Double?
    /// Share of questions whose retrieved passages hold a gold string.
    public var retrievalRecall: Double
    public var secondsPerAnswer: Double
    public var promptTokens: Double

    public init(arm: EvaluationArm, questions: Int, goldContained: Double, f1: Double, exactMatch: Double,
                formatCompliance: Double?, citationSupport: Double?, retrievalRecall: Double,
                secondsPerAnswer: Double, promptTokens: Double) {
        self.arm = arm; self.questions = questions; self.goldContained = goldContained; self.f1 = f1
        self.exactMatch = exactMatch; self.formatCompliance = formatCompliance; self.citationSupport = citationSupport
        self.retrievalRecall = retrievalRecall; self.secondsPerAnswer = secondsPerAnswer; self.promptTokens = promptTokens
    }
}

/// One arm's scored answer to one question.
public struct EvaluationAnswer: Sendable, Equatable {
    public var arm: EvaluationArm
    public var text: String
    public var goldContained: Bool
    public var f1: Double
    public var exactMatch: Bool
    /// nil when the question asked for no format.
    public var formatCompliant: Bool?
    public var formatViolation: String?
    public var citationSupport: Double?
    public var seconds: Double
    public var promptTokens: Int
    public var generatedTokens: Int

    public init(arm: EvaluationArm, text: String, goldContained: Bool, f1: Double, exactMatch: Bool,
                formatCompliant: Bool? = nil, formatViolation: String? = nil, citationSupport: Double? = nil,
                seconds: Double, promptTokens: Int, generatedTokens: Int) {
        self.arm = arm; self.text = text; self.goldContained = goldContained; self.f1 = f1; self.exactMatch = exactMatch
        self.formatCompliant = formatCompliant; self.formatViolation = formatViolation; self.citationSupport = citationSupport
        self.seconds = seconds; self.promptTokens = promptTokens; self.generatedTokens = generatedTokens
    }
}

/// One question of a run with its gold answers and every arm's answer so far.
public struct EvaluationQuestion: Sendable, Equatable {
    public var id: String
    public var question: String
    public var golds: [String]
    /// "none", "json" or "xml".
    public var format: String
    public var answers: [EvaluationAnswer]

    public init(id: String, question: String, golds: [String], format: String, answers: [EvaluationAnswer] = []) {
        self.id = id; self.question = question; self.golds = golds; self.format = format; self.answers = answers
    }

    /// This question's answer from `arm`, if it has one.
    public func answer(of arm: EvaluationArm) -> EvaluationAnswer? { answers.first { $0.arm == arm } }
}

/// A run as the view shows it: live (growing), finished, stopped part-way, or loaded from `runs/ID/`.
public struct EvaluationRunResult: Sendable, Equatable {
    /// The stored run's id (nil while it runs or when it could not be stored).
    public var id: String?
    public var suite: String
    public var createdAt: String
    public var arms: [EvaluationArm]
    public var topK: Int
    public var summaries: [EvaluationArmSummary]
    public var questions: [EvaluationQuestion]
    /// Settings as stored in the manifest (adapter, format, questions, …).
    public var settings: [String: String]
    /// True when the run was stopped before every question was answered.
    public var partial: Bool

    public init(id: String?, suite: String, createdAt: String, arms: [EvaluationArm], topK: Int = 5,
                summaries: [EvaluationArmSummary], questions: [EvaluationQuestion], settings: [String: String] = [:],
                partial: Bool = false) {
        self.id = id; self.suite = suite; self.createdAt = createdAt; self.arms = arms; self.topK = topK
        self.summaries = summaries; self.questions = questions; self.settings = settings; self.partial = partial
    }

    /// Adds (or replaces) one answer, keeping questions in the order they first appear.
    public mutating func add(_ answer: EvaluationAnswer, to question: EvaluationQuestion) {
        if let index = questions.firstIndex(where: { $0.id == question.id }) {
            questions[index].answers.removeAll { $0.arm == answer.arm }
            questions[index].answers.append(answer)
        } else {
            var fresh = question
            fresh.answers = [answer]
            questions.append(fresh)
        }
    }
}

/// A stored run in the list of past runs.
public struct EvaluationRunListing: Sendable, Equatable {
    public var id: String
    /// "qa" for `parallax eval qa` and the Evaluate view; other kinds (e.g. "update") are listed too.
    public var kind: String
    public var createdAt: String
    public var suite: String
    public var arms: [EvaluationArm]
    public var questions: Int
    public var adapter: String?

    public init(id: String, kind: String, createdAt: String, suite: String, arms: [EvaluationArm], questions: Int, adapter: String?) {
        self.id = id; self.kind = kind; self.createdAt = createdAt; self.suite = suite
        self.arms = arms; self.questions = questions; self.adapter = adapter
    }
}

/// One answered (question, arm) of a running evaluation.
public struct EvaluationProgress: Sendable, Equatable {
    public var done: Int
    public var total: Int
    /// Seconds since the run started.
    public var elapsed: Double
    public var question: EvaluationQuestion
    public var answer: EvaluationAnswer
    /// Per-arm summaries over everything answered so far.
    public var summaries: [EvaluationArmSummary]

    public init(done: Int, total: Int, elapsed: Double, question: EvaluationQuestion, answer: EvaluationAnswer,
                summaries: [EvaluationArmSummary]) {
        self.done = done; self.total = total; self.elapsed = elapsed
        self.question = question; self.answer = answer; self.summaries = summaries
    }

    /// Estimated seconds left, from the mean time per answer so far.
    public var secondsRemaining: Double? {
        guard done > 0, total >= done else { return nil }
        return elapsed / Double(done) * Double(total - done)
    }
}

/// What an evaluation stream reports: `started`, any number of `progress`, then one `finished`, `stopped` or `failed`.
public enum EvaluationEvent: Sendable, Equatable {
    /// The run began: the arms that will run (FT arms drop out without an adapter) and the number of answers due.
    case started(arms: [EvaluationArm], questions: Int, total: Int)
    case progress(EvaluationProgress)
    /// Every question answered; the run is stored (its `id` is set unless storing failed, then `storeError` says why).
    case finished(EvaluationRunResult, storeError: String?)
    /// Stopped by the user: the partial results (also stored, marked partial, when anything was answered).
    case stopped(EvaluationRunResult, storeError: String?)
    case failed(String)
}

/// Lets the workbench ask a running evaluation to stop (the answer being generated is dropped) while its stream stays open,
/// so the partial results still arrive (`EvaluationEvent.stopped`). Thread-safe.
public final class EvaluationStopSignal: Sendable {
    private let state = Mutex<(stopped: Bool, handlers: [@Sendable () -> Void])>((false, []))

    public init() {}

    public var isStopped: Bool { state.withLock { $0.stopped } }

    /// Asks the run to stop; runs the registered handlers once.
    public func stop() {
        let handlers = state.withLock { value -> [@Sendable () -> Void] in
            guard !value.stopped else { return [] }
            value.stopped = true
            let taken = value.handlers
            value.handlers = []
            return taken
        }
        for handler in handlers { handler() }
    }

    /// Runs `handler` when `stop()` is called (at once if it already was).
    public func onStop(_ handler: @escaping @Sendable () -> Void) {
        let already = state.withLock { value -> Bool in
            if value.stopped { return true }
            value.handlers.append(handler)
            return false
        }
        if already { handler() }
    }
}
