// Ranked-retrieval metrics as BEIR reports them (pytrec_eval / trec_eval definitions):
// nDCG@k with linear gain (Järvelin & Kekäläinen 2002), Recall@k, and MRR@k.
import Foundation

/// Per-query retrieval metrics.
public enum RetrievalMetrics {
    /// nDCG@k: DCG = Σ_{i=1..k} rel_i / log2(i + 1), divided by the DCG of the ideal ordering of
    /// all judged relevances. 0 when the query has no relevant document.
    public static func ndcg(ranked: [String], relevance: [String: Int], k: Int) -> Double {
        var dcg = 0.0
        for (index, id) in ranked.prefix(k).enumerated() {
            let gain = Double(max(0, relevance[id] ?? 0))
            dcg += gain / log2(Double(index + 2))
        }
        let ideal = relevance.values.filter { $0 > 0 }.sorted(by: >).prefix(k)
        var idcg = 0.0
        for (index, gain) in ideal.enumerated() { idcg += Double(gain) / log2(Double(index + 2)) }
        return idcg > 0 ? dcg / idcg : 0
    }

    /// Recall@k: relevant documents in the top k over all relevant documents (0 if none).
    public static func recall(ranked: [String], relevance: [String: Int], k: Int) -> Double {
        let relevant = Set(relevance.filter { $0.value > 0 }.keys)
        guard !relevant.isEmpty else { return 0 }
        let found = Set(ranked.prefix(k)).intersection(relevant).count
        return Double(found) / Double(relevant.count)
    }

    /// MRR@k: 1 / rank of the first relevant document within the top k, else 0.
    public static func reciprocalRank(ranked: [String], relevance: [String: Int], k: Int) -> Double {
        for (index, id) in ranked.prefix(k).enumerated() where (relevance[id] ?? 0) > 0 {
            return 1 / Double(index + 1)
        }
        return 0
    }

    /// Document ids in first-seen order: chunk hits collapsed to the documents they came from.
    public static func documentRanking(_ hits: [SearchHit]) -> [String] {
        var seen: Set<String> = []
        return hits.compactMap { seen.insert($0.documentKey).inserted ? $0.documentKey : nil }
    }
}

/// Mean metrics of one search mode over a query set.
public struct RetrievalScores: Sendable, Equatable, Codable {
    public var mode: String
    public var queries: Int
    public var ndcgAt10: Double
    public var recallAt10: Double
    public var recallAt100: Double
    public var mrrAt10: Double
    /// Mean search latency in milliseconds (query embedding included).
    public var meanLatencyMs: Double

    enum CodingKeys: String, CodingKey {
        case mode, queries
        case ndcgAt10 = "ndcg@10", recallAt10 = "recall@10", recallAt100 = "recall@100", mrrAt10 = "mrr@10"
        case meanLatencyMs = "mean_latency_ms"
    }
}

/// Scores a searcher on a BEIR query set.
public enum RetrievalEvaluator {
    /// Runs every judged query through `searcher` in `mode` and averages the metrics.
    /// `chunkDepth` chunks are retrieved per query so that 100 distinct documents are usually found.
    public static func evaluate(searcher: HybridSearcher, mode: SearchMode, queries: [(id: String, text: String)],
                                qrels: [String: [String: Int]], chunkDepth: Int = 300) throws -> RetrievalScores {
        var sums = (ndcg: 0.0, r10: 0.0, r100: 0.0, mrr: 0.0, ms: 0.0)
        var count = 0
        for query in queries {
            guard let relevance = qrels[query.id], relevance.values.contains(where: { $0 > 0 }) else { continue }
            if Task.isCancelled { throw IndexingError.cancelled }
            let clock = ContinuousClock()
            var hits: [SearchHit] = []
            let elapsed = try clock.measure { hits = try searcher.search(query.text, mode: mode, topK: chunkDepth) }
            let ranked = RetrievalMetrics.documentRanking(hits)
            sums.ndcg += RetrievalMetrics.ndcg(ranked: ranked, relevance: relevance, k: 10)
            sums.r10 += RetrievalMetrics.recall(ranked: ranked, relevance: relevance, k: 10)
            sums.r100 += RetrievalMetrics.recall(ranked: ranked, relevance: relevance, k: 100)
            sums.mrr += RetrievalMetrics.reciprocalRank(ranked: ranked, relevance: relevance, k: 10)
            sums.ms += Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            count += 1
        }
        let n = Double(max(count, 1))
        return RetrievalScores(mode: mode.rawValue, queries: count, ndcgAt10: sums.ndcg / n, recallAt10: sums.r10 / n,
                               recallAt100: sums.r100 / n, mrrAt10: sums.mrr / n, meanLatencyMs: sums.ms / n)
    }
}
