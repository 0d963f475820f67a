// The fine-tuning vs RAG report from fixed figures: every row names its numbers, the update and
// training costs appear, JSON carries the same data, and "Ideal application" follows the figures.
import Foundation
import Testing
@testable import Evaluation
import Inference

/// Scored answers with chosen outcomes, so summaries have exact, known figures.
func fixedAnswers(arm: ArmKind, count: Int = 10, contained: Int, compliant: Int?, cited: Int = 0, supported: Int = 0,
                  seconds: Double, promptTokens: Int, generatedTokens: Int = 20) -> [ScoredAnswer] {
    (0..<count).map { i in
        ScoredAnswer(
            id: "q\(i)", arm: arm, question: "Q\(i)?", golds: ["gold"], format: compliant == nil ? .none : .json,
            answer: ArmAnswer(text: "a", promptTokens: promptTokens, generatedTokens: generatedTokens,
                              timeToFirstToken: seconds / 4, seconds: seconds, cpuSeconds: seconds * 2),
            exactMatch: 0, f1: i < contained ? 0.5 : 0, goldContained: i < contained ? 1 : 0,
            formatCompliant: compliant.map { i < $0 }, formatViolation: nil,
            citationSupport: arm.usesRetrieval && i < cited ? (i < supported ? 1 : 0) : nil, retrievalHit: 1)
    }
}

@Suite struct QAReportTests {
    /// The shape the sample suite shows: FT holds the format, RAG the facts, FT+RAG both.
    func typicalSummaries(ftCompliant: Int = 10, ragContained: Int = 5, ragCited: Int = 4, ragSupported: Int = 3) -> [ArmSummary] {
        [ArmSummary(arm: .base, answers: fixedAnswers(arm: .base, contained: 0, compliant: 0, seconds: 1.5, promptTokens: 40)),
         ArmSummary(arm: .rag, answers: fixedAnswers(arm: .rag, contained: ragContained, compliant: 1, cited: ragCited, supported: ragSupported,
                                                    seconds: 4.0, promptTokens: 560)),
         ArmSummary(arm: .ft, answers: fixedAnswers(arm: .ft, contained: 0, compliant: ftCompliant, seconds: 1.0, promptTokens: 30)),
         ArmSummary(arm: .ftrag, answers: fixedAnswers(arm: .ftrag, contained: 4, compliant: 10, cited: 9, supported: 7,
                                                      seconds: 4.5, promptTokens: 550))]
    }

    let training = TrainingCost(adapter: "json-answers", seconds: 412, cpuSeconds: 801, steps: 168, tokens: 95_000,
                                examples: 224, epochs: 3)
    let update = UpdateCost(reindexSeconds: 2.1, reindexCPUSeconds: 0.7, retrainSeconds: 85.6, retrainCPUSeconds: 31,
                            ragAccuracyAfter: 0.35, staleAdapterAccuracy: nil, retrainedAdapterAccuracy: 0.1, changedQuestions: 20,
                            runID: "20261124-212349-b36578e3", reindexSummary: "7 changed, 32 unchanged, 45 chunks embedded",
                            retrainSteps: 30, retrainData: "the 20 changed questions and their new answers",
                            retrainedOnScoredQuestions: true)

    func row(_ report: QAReport, _ dimension: String) throws -> QAReport.ComparisonRow {
        try #require(report.comparisonRows().first { $0.dimension == dimension })
    }

    @Test func everyRowNamesItsFigures() throws {
        let report = QAReport(title: "t", summaries: typicalSummaries(), topK: 5, training: training, update: update)
        #expect(report.comparisonRows().map(\.dimension)
                == ["Primary use", "Knowledge updates", "Cost structure", "Accuracy for facts", "Ideal application"])
        let primary = try row(report, "Primary use")
        #expect(primary.fineTuning.contains("100.0% compliance (Fine-tuned, 10 format questions) vs Base 0.0%, RAG 10.0%"))
        #expect(primary.rag.contains("gold-contained 50.0% (RAG, 10 questions) vs Base 0.0%, Fine-tuned 0.0%"))
        #expect(primary.rag.contains("recall@5 100.0%"))

        let updates = try row(report, "Knowledge updates")
        #expect(updates.rag.contains("re-index 2.1 s, 0.7 CPU-s (7 changed, 32 unchanged, 45 chunks embedded)"))
        #expect(updates.rag.contains("35.0% after") && updates.rag.contains("run 20261124-212349-b36578e3"))
        #expect(updates.fineTuning.contains("re-train 85.6 s, 31.0 CPU-s, 30 steps"))
        #expect(updates.fineTuning.contains("10.0% after (gold-contained, 20 questions, the pairs it was trained on, run 2026"))

        let cost = try row(report, "Cost structure")
        #expect(cost.fineTuning.contains("412 s, 801 CPU-s, 168 steps, 224 examples × 3 epochs, 95000 tokens (adapter json-answers)"))
        #expect(cost.fineTuning.contains("per answer: 1.00 s (first token 0.25 s), 30 prompt + 20 generated tokens, 2.00 CPU-s"))
        #expect(cost.rag.contains("per answer: 4.00 s (first token 1.00 s), 560 prompt + 20 generated tokens"))

        let facts = try row(report, "Accuracy for facts")
        #expect(facts.rag.contains("gold-contained 50.0%, F1 0.250") && facts.rag.contains("cites a passage in 40.0%"))
        #expect(facts.rag.contains("holds the gold in 75.0% of those"))
        #expect(facts.fineTuning.contains("with passages (FT+RAG) gold-contained 40.0%"))
    }

    @Test func missingFiguresSaySoInsteadOfInventing() throws {
        let report = QAReport(title: "t", summaries: typicalSummaries(), topK: 5)
        #expect(try row(report, "Knowledge updates").rag.contains("not measured (add `--update-changes DIR`"))
        #expect(try row(report, "Cost structure").fineTuning.contains("unknown (no adapter, or its training log is missing)"))
        let untimed = QAReport(title: "t", summaries: typicalSummaries(), topK: 5,
                               training: TrainingCost(adapter: "a", seconds: 60, cpuSeconds: nil, steps: 10, tokens: nil))
        #expect(try row(untimed, "Cost structure").fineTuning.contains("60 s, CPU-s not logged, 10 steps, tokens not logged"))
    }

    @Test func idealApplicationFollowsTheFigures() throws {
        let report = QAReport(title: "t", summaries: typicalSummaries(), topK: 5, update: update)
        let ideal = try row(report, "Ideal application")
        #expect(ideal.fineTuning.contains("must follow a format (compliance 100.0% vs 10.0% for RAG)"))
        #expect(ideal.fineTuning.contains("low latency (1.00 s and 30 prompt tokens per answer vs 4.00 s and 560)"))
        #expect(ideal.rag.contains("questions about your documents (gold-contained 50.0% vs 0.0% for Base)"))
        #expect(ideal.rag.contains("facts that change (re-index 2.1 s vs re-train 85.6 s"))
        #expect(ideal.rag.contains("both at once (format and facts): FT+RAG 100.0% compliance, 40.0% gold-contained"))
        #expect(ideal.rag.contains("but few checkable citations (cites a passage in 40.0% of answers, 75.0% of those hold the gold)"))
        #expect(ideal.fineTuning.contains(
            "teaching a behaviour such as citing (FT+RAG cites a passage in 90.0% of answers vs RAG's 40.0%, 77.8% of those hold the gold)"))

        // Flip the figures: the adapter no longer wins the format, RAG no longer wins the facts,
        // and re-training is cheaper and better: the row says so.
        var flipped = typicalSummaries(ftCompliant: 0, ragContained: 0, ragCited: 10, ragSupported: 8)
        flipped[0] = ArmSummary(arm: .base, answers: fixedAnswers(arm: .base, contained: 2, compliant: 0, seconds: 1.5, promptTokens: 40))
        var cheapRetrain = update
        cheapRetrain.retrainCPUSeconds = 0.1
        cheapRetrain.retrainedAdapterAccuracy = 0.9
        let other = try row(QAReport(title: "t", summaries: flipped, topK: 5, update: cheapRetrain), "Ideal application")
        #expect(!other.fineTuning.contains("must follow a format"))
        #expect(other.fineTuning.contains("no format gain measured (0.0% vs 10.0% for RAG)"))
        #expect(other.fineTuning.contains("facts that change (re-train 0.1 CPU-s vs re-index 0.7 CPU-s)"))
        var accurateRetrain = update
        accurateRetrain.retrainedAdapterAccuracy = 1
        let mixed = try row(QAReport(title: "t", summaries: typicalSummaries(), topK: 5, update: accurateRetrain), "Ideal application")
        #expect(mixed.rag.contains("updates: re-indexing is cheaper (0.7 vs 31.0 CPU-s) but the re-trained adapter is more accurate after "
                                   + "(35.0% vs 100.0% on the questions it was trained on)"))
        #expect(other.rag.contains("no fact gain measured (0.0% vs 20.0% for Base)"))
        #expect(other.rag.contains("combined keeps the format but") == false)
        #expect(!other.rag.contains("facts that change"))
        #expect(other.rag.contains("answers a reader can check (cites a passage in 100.0% of answers, 80.0% of those hold the gold)"))
        #expect(!other.rag.contains("few checkable citations"))
        #expect(!other.fineTuning.contains("citing"))
    }

    @Test func markdownHasEverySectionAndJSONTheSameData() throws {
        let report = QAReport(title: "Parallax QA evaluation", summaries: typicalSummaries(), topK: 5, training: training,
                              update: update, settings: ["suite": "s.jsonl"])
        let md = report.markdown()
        for heading in ["## Answer quality per arm", "## Cost per answer", "## Adapter training (once)", "## Knowledge update",
                        "## Fine-tuning vs RAG"] {
            #expect(md.contains(heading), "missing \(heading)")
        }
        #expect(md.contains("| RAG | 10 | 0.0% | 0.250 | 50.0% | 10.0% of 10 | 40.0% (4) | 75.0% of 4 | 100.0% |"))
        #expect(md.contains("| Fine-tuned | 1.00 | 1.00 | 30 | 20 | 2.00 | 20.0 |") == false)
        #expect(md.contains("| Fine-tuned | 0.25 | 1.00 | 30 | 20 | 2.00 | 20.0 |"))
        #expect(md.contains("| RAG | re-index (7 changed, 32 unchanged, 45 chunks embedded) | 2.1 | 0.7 | – | 35.0% |"))
        #expect(md.contains(
            "| Fine-tuning | re-train a facts adapter on the 20 changed questions and their new answers (30 steps) | 85.6 | 31.0 | no stale adapter | 10.0% |"))
        #expect(md.contains("scored on the question/answer pairs it was trained on"))
        // Every table row has the same number of cells as its header.
        for line in md.split(separator: "\n") where line.hasPrefix("| Knowledge updates") {
            #expect(line.filter { $0 == "|" }.count == 4)
        }

        struct Document: Decodable {
            struct Report: Decodable { let update: UpdateCost?; let training: TrainingCost?; let summaries: [ArmSummary] }
            let run: String?
            let report: Report
            let comparison: [QAReport.ComparisonRow]
        }
        let document = try JSONDecoder().decode(Document.self, from: report.jsonData(run: "r1"))
        #expect(document.run == "r1")
        #expect(document.report.update == update && document.report.training == training)
        #expect(document.report.summaries == report.summaries)
        #expect(document.comparison == report.comparisonRows())
    }
}
