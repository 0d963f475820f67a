// The scripted backend's evaluation: a fixed six-question suite with fixed answers and scores per arm,
// one stored run, and stopping between answers. Deterministic, for tests, snapshots and `bench tui`.
import Foundation

extension ScriptedBackend {
    /// The scripted suite: (id, question, gold, format).
    static let scriptedSuite: [(String, String, String, String)] = [
        ("q001", "What is the per diem for domestic travel?", "45 euros", "json"),
        ("q002", "How many days of annual leave do employees get?", "25 days", "none"),
        ("q003", "How long must passwords be?", "14 characters", "json"),
        ("q004", "When must sick leave be reported?", "before 10:00", "xml"),
        ("q005", "Within how many days are travel expenses submitted?", "30 days", "json"),
        ("q006", "When is lost equipment reported to IT?", "within 24 hours", "none"),
    ]

    /// The fixed scored answer of `arm` to scripted question `index` (0-based).
    public static func scriptedAnswer(arm: EvaluationArm, index: Int) -> EvaluationAnswer {
        let (_, _, gold, format) = scriptedSuite[index % scriptedSuite.count]
        // Which questions each arm gets right, and how each keeps the format: fixed patterns, not random.
        let contained: Bool
        let compliant: Bool
        let text: String
        switch arm {
        case .base:
            contained = index == 1
            compliant = false
            text = contained ? "Employees get \(gold) of leave, I think." : "I am not sure; it depends on the company policy."
        case .rag:
            contained = index != 3
            compliant = index == 4
            text = contained ? "According to the handbook, \(gold) [1]." : "The passages do not say exactly; see [2]."
        case .ft:
            contained = index == 1 || index == 5
            compliant = true
            text = "{\"answer\": \"\(contained ? gold : "about two weeks")\"}"
        case .ftrag:
            contained = index != 4
            compliant = index != 2
            text = compliant ? "{\"answer\": \"\(contained ? gold : "unknown")\", \"source\": \"[1]\"}"
                : "The answer is \(gold) [1], as the travel policy says in its section on expenses and receipts, "
                + "which also lists the approvals needed above 500 euros and the deadline for submitting them."
        }
        let hasFormat = format != "none"
        return EvaluationAnswer(
            arm: arm, text: text, goldContained: contained, f1: contained ? (arm == .rag ? 0.62 : 0.8) : 0.1,
            exactMatch: contained && arm.usesAdapter, formatCompliant: hasFormat ? compliant : nil,
            formatViolation: hasFormat && !compliant ? "does not start with a \(format == "xml" ? "<answer> element" : "JSON object")" : nil,
            citationSupport: arm == .rag || arm == .ftrag ? (contained ? 1 : 0) : nil,
            seconds: [EvaluationArm.base: 0.34, .rag: 1.9, .ft: 0.41, .ftrag: 2.35][arm] ?? 1,
            promptTokens: arm == .rag || arm == .ftrag ? 612 + index : 68 + index, generatedTokens: 20 + index)
    }

    static func scriptedQuestion(_ index: Int) -> EvaluationQuestion {
        let (id, question, gold, format) = scriptedSuite[index % scriptedSuite.count]
        return EvaluationQuestion(id: id, question: question, golds: [gold], format: format)
    }

    /// Means over the answers so far, per arm (the scripted stand-in for `Evaluation.ArmSummary`).
    static func scriptedSummaries(_ questions: [EvaluationQuestion], arms: [EvaluationArm]) -> [EvaluationArmSummary] {
        arms.compactMap { arm in
            let answers = questions.compactMap { $0.answer(of: arm) }
            guard !answers.isEmpty else { return nil }
            func mean(_ values: [Double]) -> Double? { values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
            return EvaluationArmSummary(
                arm: arm, questions: answers.count,
                goldContained: mean(answers.map { $0.goldContained ? 1 : 0 }) ?? 0, f1: mean(answers.map(\.f1)) ?? 0,
                exactMatch: mean(answers.map { $0.exactMatch ? 1 : 0 }) ?? 0,
                formatCompliance: mean(answers.compactMap(\.formatCompliant).map { $0 ? 1 : 0 }),
                citationSupport: mean(answers.compactMap(\.citationSupport)),
                retrievalRecall: 5.0 / 6.0, secondsPerAnswer: mean(answers.map(\.seconds)) ?? 0,
                promptTokens: mean(answers.map { Double($0.promptTokens) }) ?? 0)
        }
    }

    /// The whole scripted run for `arms` over the first `count` questions.
    public static func scriptedRun(id: String?, arms: [EvaluationArm], count: Int = 6) -> EvaluationRunResult {
        var run = EvaluationRunResult(id: id, suite: "samples/qa/handbook_qa.jsonl", createdAt: "2026-11-24T22:25:24Z", arms: arms,
                                      summaries: [], questions: [],
                                      settings: ["adapter": arms.contains(.ft) ? "concise-json" : "none", "format": "per question"])
        for index in 0..<min(count, scriptedSuite.count) {
            for arm in arms { run.add(scriptedAnswer(arm: arm, index: index), to: scriptedQuestion(index)) }
        }
        run.summaries = scriptedSummaries(run.questions, arms: arms)
        return run
    }

    public func evaluate(_ request: EvaluationRequest, stop: EvaluationStopSignal) -> AsyncStream<EvaluationEvent> {
        let timing = self.timing
        let arms = request.adapter == nil ? request.arms.filter { !$0.usesAdapter } : request.arms
        let count = min(request.limit ?? Self.scriptedSuite.count, Self.scriptedSuite.count)
        return AsyncStream { continuation in
            let task = Task {
                continuation.yield(.started(arms: arms, questions: count, total: count * arms.count))
                var run = EvaluationRunResult(id: nil, suite: request.suite, createdAt: "2026-11-24T23:00:00Z", arms: arms,
                                              topK: request.topK, summaries: [], questions: [])
                var done = 0
                outer: for index in 0..<count {
                    for arm in arms {
                        if stop.isStopped { break outer }
                        if timing.token > .zero { try? await Task.sleep(for: timing.token * 20) }
                        if Task.isCancelled { continuation.finish(); return }
                        let answer = Self.scriptedAnswer(arm: arm, index: index)
                        run.add(answer, to: Self.scriptedQuestion(index))
                        done += 1
                        run.summaries = Self.scriptedSummaries(run.questions, arms: arms)
                        continuation.yield(.progress(EvaluationProgress(
                            done: done, total: count * arms.count, elapsed: Double(done) * 1.5,
                            question: Self.scriptedQuestion(index), answer: answer, summaries: run.summaries)))
                    }
                }
                if done < count * arms.count {
                    run.partial = true
                    run.id = done > 0 ? "20261124-230000-partial" : nil
                    continuation.yield(.stopped(run, storeError: nil))
                } else {
                    run.id = "20261124-230000-scripted"
                    continuation.yield(.finished(run, storeError: nil))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func evaluationRuns() async throws -> [EvaluationRunListing] {
        [EvaluationRunListing(id: "20261124-222524-55f535d0", kind: "qa", createdAt: "2026-11-24T22:25:24Z",
                              suite: "samples/qa/handbook_qa.jsonl", arms: EvaluationArm.allCases,
                              questions: Self.scriptedSuite.count, adapter: "concise-json"),
         EvaluationRunListing(id: "20261124-212349-b36578e3", kind: "update", createdAt: "2026-11-24T21:23:49Z",
                              suite: "samples/qa/handbook_qa.jsonl", arms: [.rag, .ft], questions: 3, adapter: nil)]
    }

    public func evaluationRun(id: String) async throws -> EvaluationRunResult {
        switch id {
        case "20261124-222524-55f535d0": return Self.scriptedRun(id: id, arms: EvaluationArm.allCases)
        case "20261124-212349-b36578e3": return Self.scriptedRun(id: id, arms: [.rag, .ft], count: 3)
        default: throw WorkbenchError.unavailable(feature: "run \(id)", reason: "no such run in the scripted workspace")
        }
    }
}
