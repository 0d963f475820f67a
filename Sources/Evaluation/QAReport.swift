// The evaluation report: a table per arm and the fine-tuning vs RAG comparison, every cell
// stating the measured figure it rests on.
import Foundation
import Inference
import ModelFiles

/// What absorbing a knowledge change cost each approach (from `eval update`).
public struct UpdateCost: Sendable, Codable, Equatable {
    public var reindexSeconds: Double
    public var reindexCPUSeconds: Double
    public var retrainSeconds: Double
    public var retrainCPUSeconds: Double
    /// Gold-contained on the changed facts: RAG after re-index; adapter before and after re-training.
    public var ragAccuracyAfter: Double
    /// nil when no stale adapter was given.
    public var staleAdapterAccuracy: Double?
    public var retrainedAdapterAccuracy: Double
    public var changedQuestions: Int

    public init(reindexSeconds: Double, reindexCPUSeconds: Double, retrainSeconds: Double, retrainCPUSeconds: Double,
                ragAccuracyAfter: Double, staleAdapterAccuracy: Double?, retrainedAdapterAccuracy: Double, changedQuestions: Int) {
        self.reindexSeconds = reindexSeconds
        self.reindexCPUSeconds = reindexCPUSeconds
        self.retrainSeconds = retrainSeconds
        self.retrainCPUSeconds = retrainCPUSeconds
        self.ragAccuracyAfter = ragAccuracyAfter
        self.staleAdapterAccuracy = staleAdapterAccuracy
        self.retrainedAdapterAccuracy = retrainedAdapterAccuracy
        self.changedQuestions = changedQuestions
    }
}

/// What training the adapter cost once (from its training log).
public struct TrainingCost: Sendable, Codable, Equatable {
    public var adapter: String
    public var seconds: Double
    public var cpuSeconds: Double?
    public var steps: Int
    public var tokens: Int?

    public init(adapter: String, seconds: Double, cpuSeconds: Double?, steps: Int, tokens: Int?) {
        self.adapter = adapter
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
        self.steps = steps
        self.tokens = tokens
    }
}

extension TrainingCost {
    /// Reads the "finished" record of an adapter's `training_log.jsonl` (seconds, steps,
    /// and CPU-seconds when the trainer logged them).
    public static func fromTrainingLog(_ url: URL, adapter: String) -> TrainingCost? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        var cost: TrainingCost?
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = (try? JSONGuard.object(from: Data(line))) as? [String: Any],
                  object["event"] as? String == "finished",
                  let seconds = (object["seconds"] as? NSNumber)?.doubleValue else { continue }
            cost = TrainingCost(adapter: adapter, seconds: seconds,
                                cpuSeconds: (object["cpu_seconds"] as? NSNumber)?.doubleValue,
                                steps: (object["steps"] as? NSNumber)?.intValue ?? 0,
                                tokens: (object["tokens"] as? NSNumber)?.intValue)
        }
        return cost
    }
}

public struct QAReport: Sendable {
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

    public func markdown() -> String {
        var out = "# \(title)\n\n"
        if !settings.isEmpty {
            out += settings.sorted { $0.key < $1.key }.map { "- \($0.key): \($0.value)" }.joined(separator: "\n") + "\n\n"
        }
        out += "## Per arm\n\n"
        out += "| arm | questions | exact match | token F1 | gold-contained | format compliance | citation support | recall@\(topK) | TTFT s | s/answer | prompt tok | generated tok | CPU-s |\n"
        out += "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        for s in summaries {
            let cells: [String] = [
                s.arm.title, "\(s.questions)", pct(s.exactMatch), fmt(s.f1, 3), pct(s.goldContained),
                s.formatCompliance.map { "\(pct($0)) of \(s.formatQuestions)" } ?? "–",
                s.citationSupport.map { "\(pct($0)) of \(s.citedAnswers) cited" } ?? "–",
                pct(s.retrievalRecall), fmt(s.meanTimeToFirstToken, 2), fmt(s.meanSeconds, 2),
                fmt(s.meanPromptTokens, 0), fmt(s.meanGeneratedTokens, 0), fmt(s.totalCPUSeconds, 1),
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\n## Fine-tuning vs RAG\n\n| Dimension | Fine-tuning | RAG |\n|---|---|---|\n"
        for row in comparisonRows() { out += "| \(row.dimension) | \(row.fineTuning) | \(row.rag) |\n" }
        return out
    }

    public struct ComparisonRow: Sendable, Codable, Equatable {
        public var dimension: String
        public var fineTuning: String
        public var rag: String
    }

    /// The comparison table, derived from the measured figures only.
    public func comparisonRows() -> [ComparisonRow] {
        let base = summary(.base), rag = summary(.rag), ft = summary(.ft), both = summary(.ftrag)
        func compliance(_ s: ArmSummary?) -> String {
            guard let s else { return "not run" }
            return s.formatCompliance.map { "\(pct($0)) format compliance (\(s.arm.title))" } ?? "no format questions (\(s.arm.title))"
        }
        func facts(_ s: ArmSummary?) -> String {
            guard let s else { return "not run" }
            return "gold-contained \(pct(s.goldContained)), F1 \(fmt(s.f1, 3)) (\(s.arm.title))"
        }
        var rows: [ComparisonRow] = []
        rows.append(ComparisonRow(
            dimension: "Primary use",
            fineTuning: "\(compliance(ft)); base \(compliance(base).components(separatedBy: " (").first ?? "–")",
            rag: "\(facts(rag)); base gold-contained \(base.map { pct($0.goldContained) } ?? "–")"))
        if let u = update {
            rows.append(ComparisonRow(
                dimension: "Knowledge updates",
                fineTuning: "re-train \(fmt(u.retrainSeconds, 1)) s, \(fmt(u.retrainCPUSeconds, 1)) CPU-s; changed facts \(u.staleAdapterAccuracy.map(pct) ?? "(no stale adapter)") stale → \(pct(u.retrainedAdapterAccuracy)) after (\(u.changedQuestions) questions)",
                rag: "re-index \(fmt(u.reindexSeconds, 1)) s, \(fmt(u.reindexCPUSeconds, 1)) CPU-s; changed facts \(pct(u.ragAccuracyAfter)) after (\(u.changedQuestions) questions)"))
        } else {
            rows.append(ComparisonRow(dimension: "Knowledge updates",
                                      fineTuning: "not measured (run `parallax eval update`)", rag: "not measured (run `parallax eval update`)"))
        }
        let trainingText = training.map { t in
            "training once: \(fmt(t.seconds, 0)) s\(t.cpuSeconds.map { ", \(fmt($0, 0)) CPU-s" } ?? ""), \(t.steps) steps\(t.tokens.map { ", \($0) tokens" } ?? "") (\(t.adapter))"
        } ?? "training cost unknown"
        rows.append(ComparisonRow(
            dimension: "Cost structure",
            fineTuning: "\(trainingText); per answer \(ft.map { "\(fmt($0.meanSeconds, 2)) s, \(fmt($0.meanPromptTokens, 0)) prompt tokens" } ?? "–")",
            rag: "no training; per answer \(rag.map { "\(fmt($0.meanSeconds, 2)) s, \(fmt($0.meanPromptTokens, 0)) prompt tokens" } ?? "–")"))
        rows.append(ComparisonRow(dimension: "Accuracy for facts", fineTuning: facts(ft), rag: facts(rag)))
        rows.append(idealApplication(base: base, rag: rag, ft: ft, both: both))
        return rows
    }

    private func idealApplication(base: ArmSummary?, rag: ArmSummary?, ft: ArmSummary?, both: ArmSummary?) -> ComparisonRow {
        var ftText = "insufficient data", ragText = "insufficient data"
        if let ft, let rag {
            let ftFormat = ft.formatCompliance ?? 0, ragFormat = rag.formatCompliance ?? 0
            if ft.formatCompliance != nil, ftFormat > ragFormat {
                ftText = "enforcing an output format or behaviour: \(pct(ftFormat)) vs RAG's \(pct(ragFormat)) compliance"
            } else {
                ftText = "no measured advantage on format here (\(pct(ftFormat)) vs RAG's \(pct(ragFormat)))"
            }
            if rag.goldContained > ft.goldContained {
                ragText = "answering from facts that change: gold-contained \(pct(rag.goldContained)) vs FT's \(pct(ft.goldContained))"
                if let u = update { ragText += ", absorbed an update in \(fmt(u.reindexSeconds, 1)) s vs \(fmt(u.retrainSeconds, 1)) s" }
            } else {
                ragText = "no measured advantage on facts here (\(pct(rag.goldContained)) vs FT's \(pct(ft.goldContained)))"
            }
            if let both {
                ragText += "; both together (FT+RAG): \(pct(both.goldContained)) gold-contained, \(both.formatCompliance.map(pct) ?? "–") compliance"
            }
        }
        return ComparisonRow(dimension: "Ideal application", fineTuning: ftText, rag: ragText)
    }
}

func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
func fmt(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
