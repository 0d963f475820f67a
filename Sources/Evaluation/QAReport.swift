// The evaluation report: the per-arm figures, the adapter's training cost, the knowledge-update
// costs and the fine-tuning vs RAG comparison, every cell stating the measured figure it rests on.
// `markdown()` (QAReport+Markdown.swift) and the JSON encoding carry the same data.
import Foundation
import Inference
import ModelFiles

public struct QAReport: Sendable, Codable {
    public var title: String
    public var summaries: [ArmSummary]
    public var topK: Int
    public var training: TrainingCost?
    public var update: UpdateCost?
    public var settings: [String: String]

    public init(title: String, summaries: [ArmSummary], topK: Int, training: TrainingCost? = nil,
                update: UpdateCost? = nil, settings: [String: String] = [:]) {
        self.title = title
        self.summaries = summaries
        self.topK = topK
        self.training = training
        self.update = update
        self.settings = settings
    }

    func summary(_ arm: ArmKind) -> ArmSummary? { summaries.first { $0.arm == arm } }

    public struct ComparisonRow: Sendable, Codable, Equatable {
        public var dimension: String
        public var fineTuning: String
        public var rag: String
    }

    /// The comparison table of issue #6, derived from the measured figures only.
    public func comparisonRows() -> [ComparisonRow] {
        let base = summary(.base), rag = summary(.rag), ft = summary(.ft)
        return [
            ComparisonRow(dimension: "Primary use",
                          fineTuning: "output format: " + formatCell(ft, others: [base, rag]),
                          rag: "facts from the documents: " + factsCell(rag, others: [base, ft]) + recallNote(rag)),
            updateRow(),
            ComparisonRow(dimension: "Cost structure",
                          fineTuning: "training once: " + trainingText() + "; per answer: " + perAnswer(ft),
                          rag: "no training; index built once (re-index cost under Knowledge updates); per answer: " + perAnswer(rag)),
            ComparisonRow(dimension: "Accuracy for facts", fineTuning: accuracy(ft), rag: accuracy(rag)),
            idealApplication(),
        ]
    }

    /// The report as one JSON object (sorted keys): `run` (the run folder, when kept), `report`
    /// (title, settings, summaries, training, update, topK) and `comparison` (the rows above).
    public func jsonData(run: String? = nil, pretty: Bool = true) throws -> Data {
        struct Document: Encodable {
            let run: String?
            let report: QAReport
            let comparison: [ComparisonRow]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        return try encoder.encode(Document(run: run, report: self, comparison: comparisonRows()))
    }

    // MARK: cells

    private func formatCell(_ s: ArmSummary?, others: [ArmSummary?]) -> String {
        guard let s else { return "not run" }
        guard let c = s.formatCompliance else { return "no format questions (\(s.arm.title))" }
        let rest = others.compactMap { $0 }.map { o in "\(o.arm.title) \(o.formatCompliance.map(pct) ?? "–")" }
        return "\(pct(c)) compliance (\(s.arm.title), \(s.formatQuestions) format questions)"
            + (rest.isEmpty ? "" : " vs " + rest.joined(separator: ", "))
    }

    private func factsCell(_ s: ArmSummary?, others: [ArmSummary?]) -> String {
        guard let s else { return "not run" }
        let rest = others.compactMap { $0 }.map { "\($0.arm.title) \(pct($0.goldContained))" }
        return "gold-contained \(pct(s.goldContained)) (\(s.arm.title), \(s.questions) questions)"
            + (rest.isEmpty ? "" : " vs " + rest.joined(separator: ", "))
    }

    private func recallNote(_ s: ArmSummary?) -> String {
        guard let s, s.arm.usesRetrieval else { return "" }
        return "; retrieval recall@\(topK) \(pct(s.retrievalRecall))"
    }

    private func updateRow() -> ComparisonRow {
        guard let u = update else {
            let missing = "not measured (add `--update-changes DIR` or `--update-run ID` to `eval qa`)"
            return ComparisonRow(dimension: "Knowledge updates", fineTuning: missing, rag: missing)
        }
        let source = u.runID.map { ", run \($0)" } ?? ""
        let stale = u.staleAdapterAccuracy.map { "\(pct($0)) before (stale adapter), " } ?? ""
        let steps = u.retrainSteps.map { ", \($0) steps" } ?? ""
        let seen = u.retrainedOnScoredQuestions == true ? ", the pairs it was trained on" : ""
        let reindexed = u.reindexSummary.map { " (\($0))" } ?? ""
        return ComparisonRow(
            dimension: "Knowledge updates",
            fineTuning: "re-train \(fmt(u.retrainSeconds, 1)) s, \(fmt(u.retrainCPUSeconds, 1)) CPU-s\(steps); changed facts "
                + "\(stale)\(pct(u.retrainedAdapterAccuracy)) after (gold-contained, \(u.changedQuestions) questions\(seen)\(source))",
            rag: "re-index \(fmt(u.reindexSeconds, 1)) s, \(fmt(u.reindexCPUSeconds, 1)) CPU-s\(reindexed); changed facts "
                + "\(pct(u.ragAccuracyAfter)) after (gold-contained, \(u.changedQuestions) questions\(source))")
    }

    func trainingText() -> String {
        guard let t = training else { return "unknown (no adapter, or its training log is missing)" }
        var parts = ["\(fmt(t.seconds, 0)) s"]
        parts.append(t.cpuSeconds.map { "\(fmt($0, 0)) CPU-s" } ?? "CPU-s not logged")
        parts.append("\(t.steps) steps")
        if let examples = t.examples { parts.append("\(examples) examples" + (t.epochs.map { " × \($0) epochs" } ?? "")) }
        parts.append(t.tokens.map { "\($0) tokens" } ?? "tokens not logged")
        return parts.joined(separator: ", ") + " (adapter \(t.adapter))"
    }

    private func perAnswer(_ s: ArmSummary?) -> String {
        guard let s else { return "not run" }
        return "\(fmt(s.meanSeconds, 2)) s (first token \(fmt(s.meanTimeToFirstToken, 2)) s), "
            + "\(fmt(s.meanPromptTokens, 0)) prompt + \(fmt(s.meanGeneratedTokens, 0)) generated tokens, "
            + "\(fmt(s.meanCPUSeconds, 2)) CPU-s (\(s.arm.title))"
    }

    private func accuracy(_ s: ArmSummary?) -> String {
        guard let s else { return "not run" }
        var text = "gold-contained \(pct(s.goldContained)), F1 \(fmt(s.f1, 3)), exact match \(pct(s.exactMatch)) (\(s.arm.title))"
        if s.arm.usesRetrieval {
            text += "; cites a passage in \(pct(s.citationRate))"
            if let support = s.citationSupport { text += ", the cited passage holds the gold in \(pct(support)) of those" }
        }
        if s.arm == .ft, let both = summary(.ftrag) {
            text += "; with passages (FT+RAG) gold-contained \(pct(both.goldContained))"
        }
        return text
    }
}

func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
func fmt(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
