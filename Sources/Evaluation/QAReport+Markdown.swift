// The report as Markdown: settings, answer quality and cost per arm, the adapter's training,
// the knowledge update, then the fine-tuning vs RAG comparison.
import Foundation
import Inference

extension QAReport {
    public func markdown() -> String {
        var out = "# \(title)\n\n"
        if !settings.isEmpty {
            out += settings.sorted { $0.key < $1.key }.map { "- \($0.key): \($0.value)" }.joined(separator: "\n") + "\n\n"
        }
        if !summaries.isEmpty {
            out += qualityTable() + "\n" + costTable() + "\n"
        }
        if let training {
            out += "## Adapter training (once)\n\n- \(training.adapter): \(trainingText())\n\n"
        }
        if let update { out += updateTable(update) + "\n" }
        out += "## Fine-tuning vs RAG\n\n| Dimension | Fine-tuning | RAG |\n|---|---|---|\n"
        for row in comparisonRows() { out += "| \(row.dimension) | \(cell(row.fineTuning)) | \(cell(row.rag)) |\n" }
        return out
    }

    private func qualityTable() -> String {
        var out = "## Answer quality per arm\n\n"
        out += "| arm | questions | exact match | token F1 | gold-contained | format compliance | cites a passage | citation support | recall@\(topK) |\n"
        out += "|---|--:|--:|--:|--:|--:|--:|--:|--:|\n"
        for s in summaries {
            let retrieval = s.arm.usesRetrieval
            let cells: [String] = [
                s.arm.title, "\(s.questions)", pct(s.exactMatch), fmt(s.f1, 3), pct(s.goldContained),
                s.formatCompliance.map { "\(pct($0)) of \(s.formatQuestions)" } ?? "–",
                retrieval ? "\(pct(s.citationRate)) (\(s.citedAnswers))" : "–",
                retrieval ? (s.citationSupport.map { "\(pct($0)) of \(s.citedAnswers)" } ?? "no citations") : "–",
                retrieval ? pct(s.retrievalRecall) : "–",
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\nCitation support: of the answers that cite a passage, the share whose cited passage holds a gold answer. "
        out += "Recall@\(topK): a retrieved passage holds a gold answer.\n"
        return out
    }

    private func costTable() -> String {
        var out = "## Cost per answer\n\n"
        out += "| arm | first token s | s/answer | prompt tokens | generated tokens | CPU-s/answer | CPU-s total |\n"
        out += "|---|--:|--:|--:|--:|--:|--:|\n"
        for s in summaries {
            let cells = [s.arm.title, fmt(s.meanTimeToFirstToken, 2), fmt(s.meanSeconds, 2), fmt(s.meanPromptTokens, 0),
                         fmt(s.meanGeneratedTokens, 0), fmt(s.meanCPUSeconds, 2), fmt(s.totalCPUSeconds, 1)]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    private func updateTable(_ u: UpdateCost) -> String {
        var out = "## Knowledge update\n\n"
        out += "\(u.changedQuestions) questions about changed facts"
        if let id = u.runID { out += ", from `eval update` run \(id)" }
        out += ".\n\n| approach | how | wall s | CPU-s | changed facts before | changed facts after |\n|---|---|--:|--:|--:|--:|\n"
        out += "| RAG | re-index\(u.reindexSummary.map { " (\($0))" } ?? "") | \(fmt(u.reindexSeconds, 1)) | \(fmt(u.reindexCPUSeconds, 1)) | – | \(pct(u.ragAccuracyAfter)) |\n"
        let on = u.retrainData.map { " on \($0)" } ?? ""
        out += "| Fine-tuning | re-train a facts adapter\(on)\(u.retrainSteps.map { " (\($0) steps)" } ?? "") | \(fmt(u.retrainSeconds, 1)) | "
        out += "\(fmt(u.retrainCPUSeconds, 1)) | \(u.staleAdapterAccuracy.map(pct) ?? "no stale adapter") | \(pct(u.retrainedAdapterAccuracy)) |\n"
        if u.retrainedOnScoredQuestions == true {
            out += "\nThe re-trained adapter is scored on the question/answer pairs it was trained on: its figure shows the "
            out += "facts were absorbed, not that they generalise to other wordings.\n"
        }
        return out
    }

    /// Table cells cannot hold a raw "|" or a line break.
    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
