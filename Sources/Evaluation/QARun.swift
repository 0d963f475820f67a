// Running a QA suite through the answer arms and scoring every answer.
import Foundation
import Inference

/// What one arm produced for one question, with its costs.
public struct ArmAnswer: Sendable, Codable {
    public var text: String
    /// Passages shown to the model (RAG arms), in citation order [1], [2], …
    public var passages: [String]
    public var promptTokens: Int
    public var generatedTokens: Int
    public var timeToFirstToken: Double
    public var seconds: Double
    public var cpuSeconds: Double

    public init(text: String, passages: [String] = [], promptTokens: Int, generatedTokens: Int,
                timeToFirstToken: Double, seconds: Double, cpuSeconds: Double) {
        self.text = text
        self.passages = passages
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.timeToFirstToken = timeToFirstToken
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
    }
}

/// Produces answers; the inference layer implements it with the real model and retriever.
public protocol QAAnswerer: Sendable {
    /// Retrieved passages for a question, best first (for the RAG arms and recall@k).
    func retrieve(_ question: String, topK: Int) async throws -> [PromptPassage]
    func answer(_ item: QAItem, arm: ArmKind, format: AnswerFormat, passages: [PromptPassage]) async throws -> ArmAnswer
}

/// One question's answer from one arm, scored.
public struct ScoredAnswer: Sendable, Codable {
    public var id: String
    public var arm: ArmKind
    public var question: String
    public var golds: [String]
    public var format: AnswerFormat
    public var answer: ArmAnswer
    public var exactMatch: Double
    public var f1: Double
    public var goldContained: Double
    public var formatCompliant: Bool?
    public var formatViolation: String?
    public var citationSupport: Double?
    public var retrievalHit: Double
}

/// Scores one answer.
public func score(item: QAItem, arm: ArmKind, format: AnswerFormat, answer: ArmAnswer, retrieved: [PromptPassage]) -> ScoredAnswer {
    let content = FormatValidator.answerText(of: answer.text, format: format)
    let verdict = format == .none ? nil : FormatValidator.check(answer.text, format: format)
    return ScoredAnswer(
        id: item.id, arm: arm, question: item.question, golds: item.answers, format: format, answer: answer,
        exactMatch: AnswerMetrics.exactMatch(content, golds: item.answers),
        f1: AnswerMetrics.f1(content, golds: item.answers),
        goldContained: AnswerMetrics.goldContained(content, golds: item.answers),
        formatCompliant: verdict?.compliant, formatViolation: verdict?.reason,
        citationSupport: arm.usesRetrieval
            ? AnswerMetrics.citationSupport(answer: answer.text, passages: answer.passages, golds: item.answers) : nil,
        retrievalHit: AnswerMetrics.retrievalHit(passages: retrieved.map(\.text), golds: item.answers))
}

/// Averages over one arm's answers.
public struct ArmSummary: Sendable, Codable, Equatable {
    public var arm: ArmKind
    public var questions: Int
    public var exactMatch: Double
    public var f1: Double
    public var goldContained: Double
    /// Share of format-bearing questions answered in the right format (nil when none had a format).
    public var formatCompliance: Double?
    public var formatQuestions: Int
    /// Share of cited answers whose citation holds a gold string (nil when nothing was cited).
    public var citationSupport: Double?
    public var citedAnswers: Int
    public var retrievalRecall: Double
    public var meanTimeToFirstToken: Double
    public var meanSeconds: Double
    public var meanPromptTokens: Double
    public var meanGeneratedTokens: Double
    public var totalCPUSeconds: Double

    public init(arm: ArmKind, answers: [ScoredAnswer]) {
        func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
        self.arm = arm
        questions = answers.count
        exactMatch = mean(answers.map(\.exactMatch))
        f1 = mean(answers.map(\.f1))
        goldContained = mean(answers.map(\.goldContained))
        let formatted = answers.compactMap(\.formatCompliant)
        formatQuestions = formatted.count
        formatCompliance = formatted.isEmpty ? nil : mean(formatted.map { $0 ? 1 : 0 })
        let cited = answers.compactMap(\.citationSupport)
        citedAnswers = cited.count
        citationSupport = cited.isEmpty ? nil : mean(cited)
        retrievalRecall = mean(answers.map(\.retrievalHit))
        meanTimeToFirstToken = mean(answers.map(\.answer.timeToFirstToken))
        meanSeconds = mean(answers.map(\.answer.seconds))
        meanPromptTokens = mean(answers.map { Double($0.answer.promptTokens) })
        meanGeneratedTokens = mean(answers.map { Double($0.answer.generatedTokens) })
        totalCPUSeconds = answers.map(\.answer.cpuSeconds).reduce(0, +)
    }

    /// Share of the answers that cite at least one shown passage.
    public var citationRate: Double { questions == 0 ? 0 : Double(citedAnswers) / Double(questions) }

    /// Process CPU-seconds per answer.
    public var meanCPUSeconds: Double { questions == 0 ? 0 : totalCPUSeconds / Double(questions) }
}

/// Progress of a QA run.
public enum QAProgress: Sendable {
    case answered(done: Int, total: Int, scored: ScoredAnswer)
}

/// Runs every question through every arm. The format of a question is its own `format` when
/// set, else `defaultFormat`.
public struct QAEvaluator: Sendable {
    public var arms: [ArmKind]
    public var defaultFormat: AnswerFormat
    public var topK: Int

    public init(arms: [ArmKind], defaultFormat: AnswerFormat = .none, topK: Int = 5) {
        self.arms = arms
        self.defaultFormat = defaultFormat
        self.topK = topK
    }

    public func run(_ items: [QAItem], answerer: some QAAnswerer,
                    progress: @Sendable (QAProgress) -> Void = { _ in }) async throws -> [ScoredAnswer] {
        var results: [ScoredAnswer] = []
        let total = items.count * arms.count
        for item in items {
            try Task.checkCancellation()
            let retrieved = try await answerer.retrieve(item.question, topK: topK)
            let format = item.format ?? defaultFormat
            for arm in arms {
                try Task.checkCancellation()
                let passages = arm.usesRetrieval ? retrieved : []
                let answer = try await answerer.answer(item, arm: arm, format: format, passages: passages)
                let scored = score(item: item, arm: arm, format: format, answer: answer, retrieved: retrieved)
                results.append(scored)
                progress(.answered(done: results.count, total: total, scored: scored))
            }
        }
        return results
    }

    /// Per-arm summaries in the order of `arms`.
    public func summaries(of results: [ScoredAnswer]) -> [ArmSummary] {
        arms.map { arm in ArmSummary(arm: arm, answers: results.filter { $0.arm == arm }) }
    }
}
