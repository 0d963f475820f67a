// The "Ideal application" row of the comparison: which job each approach is measured to be good
// at, derived from the figures in the rows above it (never canned text).
import Inference

extension QAReport {
    /// Percentage points within which the combined arm counts as keeping an arm's strength.
    static let keepTolerance = 0.10

    /// What each approach is for, judged from format compliance, fact accuracy, update cost and
    /// cost per answer. A claim appears only when the figures behind it were measured and favour it.
    func idealApplication() -> ComparisonRow {
        let base = summary(.base), rag = summary(.rag), ft = summary(.ft), both = summary(.ftrag)
        var ftUses: [String] = [], ragUses: [String] = []
        var ftAgainst: [String] = [], ragAgainst: [String] = []

        // Format: the adapter's compliance against the best arm without it.
        if let ft, let ftFormat = ft.formatCompliance {
            let rivals = [base, rag].compactMap { $0 }.compactMap { s in s.formatCompliance.map { (s.arm.title, $0) } }
            if let best = rivals.max(by: { $0.1 < $1.1 }) {
                if ftFormat > best.1 {
                    ftUses.append("answers that must follow a format (compliance \(pct(ftFormat)) vs \(pct(best.1)) for \(best.0))")
                } else {
                    ftAgainst.append("no format gain measured (\(pct(ftFormat)) vs \(pct(best.1)) for \(best.0))")
                }
            }
        }
        // Facts: RAG's gold-contained against the arms without passages.
        if let rag {
            let rivals = [base, ft].compactMap { $0 }
            if let best = rivals.max(by: { $0.goldContained < $1.goldContained }) {
                if rag.goldContained > best.goldContained {
                    ragUses.append("questions about your documents (gold-contained \(pct(rag.goldContained)) vs \(pct(best.goldContained)) for \(best.arm.title))")
                } else {
                    ragAgainst.append("no fact gain measured (\(pct(rag.goldContained)) vs \(pct(best.goldContained)) for \(best.arm.title))")
                }
            }
            if let support = rag.citationSupport, rag.citationRate >= 0.5, support >= 0.5 {
                ragUses.append("answers a reader can check (cites a passage in \(pct(rag.citationRate)) of answers, \(pct(support)) of those hold the gold)")
            } else {
                ragAgainst.append("few checkable citations (cites a passage in \(pct(rag.citationRate)) of answers"
                                  + (rag.citationSupport.map { ", \(pct($0)) of those hold the gold)" } ?? ")"))
            }
            if let both, both.citationRate > rag.citationRate, (both.citationSupport ?? 0) >= 0.5 {
                ftUses.append("teaching a behaviour such as citing (FT+RAG cites a passage in \(pct(both.citationRate)) of answers vs RAG's \(pct(rag.citationRate)), \(both.citationSupport.map(pct) ?? "–") of those hold the gold)")
            }
        }
        // Updates: cheaper and at least as accurate wins.
        if let u = update {
            let ragCheaper = u.reindexCPUSeconds < u.retrainCPUSeconds
            if ragCheaper, u.ragAccuracyAfter >= u.retrainedAdapterAccuracy {
                ragUses.append("facts that change (re-index \(fmt(u.reindexSeconds, 1)) s vs re-train \(fmt(u.retrainSeconds, 1)) s; \(pct(u.ragAccuracyAfter)) vs \(pct(u.retrainedAdapterAccuracy)) of changed facts after)")
            } else if !ragCheaper, u.retrainedAdapterAccuracy >= u.ragAccuracyAfter {
                ftUses.append("facts that change (re-train \(fmt(u.retrainCPUSeconds, 1)) CPU-s vs re-index \(fmt(u.reindexCPUSeconds, 1)) CPU-s)")
            } else {
                let cheaper = ragCheaper ? "re-indexing" : "re-training"
                let better = u.ragAccuracyAfter > u.retrainedAdapterAccuracy ? "RAG" : "the re-trained adapter"
                let seen = u.retrainedOnScoredQuestions == true ? " on the questions it was trained on" : ""
                let note = "updates: \(cheaper) is cheaper (\(fmt(u.reindexCPUSeconds, 1)) vs \(fmt(u.retrainCPUSeconds, 1)) CPU-s) "
                    + "but \(better) is more accurate after (\(pct(u.ragAccuracyAfter)) vs \(pct(u.retrainedAdapterAccuracy))\(seen))"
                if ragCheaper { ragAgainst.append(note) } else { ftAgainst.append(note) }
            }
        }
        // Cost per answer: the shorter prompt is the faster answer.
        if let ft, let rag, ft.questions > 0, rag.questions > 0 {
            if ft.meanSeconds < rag.meanSeconds {
                ftUses.append("high volume or low latency (\(fmt(ft.meanSeconds, 2)) s and \(fmt(ft.meanPromptTokens, 0)) prompt tokens per answer vs \(fmt(rag.meanSeconds, 2)) s and \(fmt(rag.meanPromptTokens, 0)))")
            } else if rag.meanSeconds < ft.meanSeconds {
                ragUses.append("low latency (\(fmt(rag.meanSeconds, 2)) s per answer vs \(fmt(ft.meanSeconds, 2)) s)")
            }
        }
        var ragText = sentence(ragUses, against: ragAgainst)
        if let both, let ft, let rag { ragText += "; " + combined(both, ft: ft, rag: rag) }
        return ComparisonRow(dimension: "Ideal application", fineTuning: sentence(ftUses, against: ftAgainst), rag: ragText)
    }

    private func sentence(_ uses: [String], against: [String]) -> String {
        if uses.isEmpty && against.isEmpty { return "insufficient data (run the base, RAG and fine-tuned arms)" }
        var parts: [String] = []
        if !uses.isEmpty { parts.append(uses.joined(separator: "; ")) }
        if !against.isEmpty { parts.append("but " + against.joined(separator: "; ")) }
        return parts.joined(separator: "; ")
    }

    /// Whether adapter + passages keeps the adapter's format and RAG's facts.
    private func combined(_ both: ArmSummary, ft: ArmSummary, rag: ArmSummary) -> String {
        let slack = Self.keepTolerance + 1e-9  // shares are ratios of counts: compare without rounding noise
        let keepsFormat = both.formatCompliance.map { c in ft.formatCompliance.map { c >= $0 - slack } ?? false } ?? false
        let keepsFacts = both.goldContained >= rag.goldContained - slack
        let figures = "FT+RAG \(both.formatCompliance.map(pct) ?? "–") compliance, \(pct(both.goldContained)) gold-contained"
        switch (keepsFormat, keepsFacts) {
        case (true, true): return "both at once (format and facts): \(figures)"
        case (true, false): return "combined keeps the format but loses facts: \(figures) vs RAG \(pct(rag.goldContained))"
        case (false, true): return "combined keeps the facts but loses the format: \(figures) vs FT \(ft.formatCompliance.map(pct) ?? "–")"
        case (false, false): return "combined keeps neither: \(figures)"
        }
    }
}
