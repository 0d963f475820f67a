// Stored evaluation runs for the Evaluate view: listing `runs/`, loading one, and turning Evaluation's
// scored answers and summaries into the view's values.
import Evaluation
import Foundation
import Inference

extension LiveBackend {
    public func evaluationRuns() async throws -> [EvaluationRunListing] {
        RunStore(workspace: configuration.workspace).list().map(Self.listing)
    }

    public func evaluationRun(id: String) async throws -> EvaluationRunResult {
        let store = RunStore(workspace: configuration.workspace)
        guard let manifest = store.list().first(where: { $0.id == id }) else {
            throw WorkbenchError.unavailable(feature: "run \(id)", reason: "it is not in \(store.directory.path) (or its manifest is unreadable)")
        }
        let answers: [ScoredAnswer]
        do { answers = try store.answers(of: id) } catch {
            throw WorkbenchError.unavailable(feature: "run \(id)", reason: "its answers.jsonl cannot be read: \(error.localizedDescription)")
        }
        return Self.result(manifest: manifest, answers: answers)
    }

    static func listing(_ manifest: RunManifest) -> EvaluationRunListing {
        let adapter = manifest.settings["adapter"].flatMap { $0 == "none" ? nil : $0 }
        return EvaluationRunListing(id: manifest.id, kind: manifest.kind, createdAt: manifest.createdAt, suite: manifest.suite,
                                    arms: manifest.arms.compactMap(EvaluationArm.init),
                                    questions: Int(manifest.settings["questions"] ?? "") ?? manifest.summaries.first?.questions ?? 0,
                                    adapter: adapter)
    }

    /// A stored run as the view shows it.
    static func result(manifest: RunManifest, answers: [ScoredAnswer]) -> EvaluationRunResult {
        var run = EvaluationRunResult(id: manifest.id, suite: manifest.suite, createdAt: manifest.createdAt,
                                      arms: manifest.arms.compactMap(EvaluationArm.init), topK: topK(of: manifest.settings),
                                      summaries: manifest.summaries.filter { $0.questions > 0 }.compactMap(summary), questions: [],
                                      settings: manifest.settings, partial: manifest.settings["stopped"] != nil)
        for scored in answers {
            guard let answer = answer(scored) else { continue }
            run.add(answer, to: question(scored))
        }
        return run
    }

    /// k of "hybrid, top-5" (5 when absent).
    static func topK(of settings: [String: String]) -> Int {
        guard let retrieval = settings["retrieval"], let range = retrieval.range(of: "top-") else { return 5 }
        return Int(retrieval[range.upperBound...].prefix { $0.isNumber }) ?? 5
    }

    static func summary(_ s: ArmSummary) -> EvaluationArmSummary? {
        guard let arm = EvaluationArm(s.arm) else { return nil }
        return EvaluationArmSummary(arm: arm, questions: s.questions, goldContained: s.goldContained, f1: s.f1,
                                    exactMatch: s.exactMatch, formatCompliance: s.formatCompliance,
                                    citationSupport: s.citationSupport, retrievalRecall: s.retrievalRecall,
                                    secondsPerAnswer: s.meanSeconds, promptTokens: s.meanPromptTokens)
    }

    static func question(_ scored: ScoredAnswer) -> EvaluationQuestion {
        EvaluationQuestion(id: scored.id, question: scored.question, golds: scored.golds, format: scored.format.rawValue)
    }

    static func answer(_ scored: ScoredAnswer) -> EvaluationAnswer? {
        guard let arm = EvaluationArm(scored.arm) else { return nil }
        return EvaluationAnswer(arm: arm, text: scored.answer.text, goldContained: scored.goldContained > 0,
                                f1: scored.f1, exactMatch: scored.exactMatch >= 0.5, formatCompliant: scored.formatCompliant,
                                formatViolation: scored.formatViolation, citationSupport: scored.citationSupport,
                                seconds: scored.answer.seconds, promptTokens: scored.answer.promptTokens,
                                generatedTokens: scored.answer.generatedTokens)
    }
}

extension EvaluationArm {
    /// The view's arm for an inference arm.
    init?(_ arm: Inference.ArmKind) { self.init(rawValue: arm.rawValue) }

    /// The inference arm it runs.
    var inferenceArm: Inference.ArmKind? { Inference.ArmKind(rawValue: rawValue) }
}
