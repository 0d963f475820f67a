// Search: FTS5 query escaping, RRF arithmetic, dense top-k, hybrid hits, retrieval metrics.
import Foundation
import Kernels
import Testing
@testable import Indexing

@Suite struct SearchTests {
    @Test func fusionMatchesHandComputedScores() {
        let fused = ReciprocalRankFusion.fuse([["a", "b", "c"], ["c", "a", "d"]], k: 60)
        let expected: [String: Double] = ["a": 1.0 / 61 + 1.0 / 62, "c": 1.0 / 63 + 1.0 / 61, "b": 1.0 / 62, "d": 1.0 / 63]
        #expect(fused.map(\.id) == ["a", "c", "b", "d"])
        for entry in fused { #expect(abs(entry.score - expected[entry.id]!) < 1e-12) }
        // Equal fused scores: the better best rank wins, then the smaller id.
        #expect(ReciprocalRankFusion.fuse([["x", "y"], ["y", "x"]]).map(\.id) == ["x", "y"])
    }

    @Test func topIndicesIsAPartialSort() {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<5000).map { _ in Float.random(in: -1...1, using: &generator) }
        let top = values.withUnsafeBufferPointer { topIndices(of: $0, k: 25) }
        let expected = values.enumerated().sorted { $0.element > $1.element }.prefix(25).map(\.offset)
        #expect(top.map(\.index) == expected)
        #expect([Float]().withUnsafeBufferPointer { topIndices(of: $0, k: 3) }.isEmpty)
        #expect([Float(1), 3, 2].withUnsafeBufferPointer { topIndices(of: $0, k: 10) }.map(\.index) == [1, 2, 0])
    }

    @Test func ftsTermsAreQuotedAndOrdered() {
        #expect(FTSQuery.matchExpression("Per-diem rates: \"NEAR\" abroad*") == "\"per\" OR \"diem\" OR \"rates\" OR \"near\" OR \"abroad\"")
        #expect(FTSQuery.matchExpression("  ***  --- ") == "")
        #expect(FTSQuery.terms("Café café CAFÉ") == ["café"])
    }

    static let hostileQueries = [
        "\"", "\"\"\"", "*", "-", "a - b", "NEAR(a b, 2)", "NEAR", "heading:travel", "text : x", "(", ")", "((a OR b)",
        "AND", "OR OR OR", "NOT x", "^start", "a AND", "'; DROP TABLE chunks; --", "{col1 col2}: x", "x*", "+", "\u{0}",
        "🙂 emoji ✈️", "日本語の質問", String(repeating: "term ", count: 500), "",
    ]

    @Test func hostileQueriesNeverBreakSearch() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("docs/a.md", "# Travel\n\nNEAR the office, per diem is 40 EUR. Café rules: no pets.")
        let embedder = HashingEmbedder()
        let indexer = Indexer(workspace: Workspace(directory: folder.url.appendingPathComponent("ws")), embedder: embedder,
                              chunker: try Chunker(maxTokens: 50, overlapTokens: 5))
        _ = try indexer.run(paths: [folder.url.appendingPathComponent("docs")])
        let searcher = try HybridSearcher(workspace: indexer.workspace, embedder: embedder)
        for query in Self.hostileQueries {
            for mode in SearchMode.allCases {
                _ = try searcher.search(query, mode: mode, topK: 5)
            }
        }
        #expect(try searcher.search("near", mode: .bm25).count == 1)
        #expect(try searcher.search("cafe", mode: .bm25).count == 1)  // remove_diacritics 2
        #expect(try searcher.search("heading:travel", mode: .bm25).count == 1)
    }

    @Test func hybridHitsCarryBothRankings() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("docs/kettle.md", "# Kettle\n\nThe Zephyr kettle boils water in ninety seconds.")
        try folder.write("docs/lamp.md", "# Lamp\n\nThe Orbit lamp dims to five percent brightness.")
        try folder.write("docs/desk.md", "# Desk\n\nThe Atlas desk rises to 120 centimetres.")
        let embedder = HashingEmbedder()
        let indexer = Indexer(workspace: Workspace(directory: folder.url.appendingPathComponent("ws")), embedder: embedder,
                              chunker: try Chunker(maxTokens: 50, overlapTokens: 5))
        _ = try indexer.run(paths: [folder.url.appendingPathComponent("docs")])
        let searcher = try HybridSearcher(workspace: indexer.workspace, embedder: embedder)
        #expect(searcher.vectorCount == 3)

        let hybrid = try searcher.search("zephyr kettle boils", mode: .hybrid, topK: 3)
        let top = try #require(hybrid.first)
        #expect(top.document == "docs/kettle.md")
        #expect(top.headingPath == "Kettle" && top.headings == ["Kettle"])
        #expect(top.bm25Rank == 1 && top.denseRank == 1)
        #expect(abs(top.score - 2.0 / 61) < 1e-12)
        #expect((top.cosine ?? 0) > 0.5 && (top.bm25Score ?? 0) > 0)
        #expect(top.span == 10..<(10 + top.text.unicodeScalars.count))

        let dense = try searcher.search("zephyr kettle boils", mode: .dense, topK: 2)
        #expect(dense.count == 2 && dense[0].bm25Rank == nil && dense[0].denseRank == 1)
        #expect(dense[0].score >= dense[1].score)
        let lexical = try searcher.search("zephyr", mode: .bm25, topK: 5)
        #expect(lexical.count == 1 && lexical[0].denseRank == nil && lexical[0].bm25Rank == 1)

        let noEmbedder = try HybridSearcher(workspace: indexer.workspace, embedder: nil)
        #expect(throws: IndexingError.self) { try noEmbedder.search("kettle", mode: .hybrid) }
        #expect(try noEmbedder.search("kettle", mode: .bm25).count == 1)
    }

    @Test func splitDenseScanMatchesBruteForce() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let embedder = HashingEmbedder()
        let store = try IndexStore(url: folder.url.appendingPathComponent("index.sqlite"), create: true)
        var generator = SplitMix64(seed: 91)
        var vectors: [[Float]] = []
        var batch = IndexBatch()
        batch.meta = [IndexMetaKey.embedderModel: embedder.modelID, IndexMetaKey.embedderDimension: String(embedder.dimension)]
        var records: [ChunkRecord] = []
        for index in 0..<20_000 {
            var v = (0..<embedder.dimension).map { _ in Float.random(in: -1...1, using: &generator) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / norm }
            vectors.append(v)
            records.append(ChunkRecord(itemID: nil, chunk: Chunk(headingPath: [], text: "w\(index)", span: 0..<1, tokenCount: 1), vector: v))
        }
        batch.replacements = [DocumentReplacement(path: "d.txt", sha256: "-", modified: 0, size: 0, chunks: records)]
        try store.apply(batch)
        let searcher = try HybridSearcher(store: store, embedder: embedder)
        let query = vectors[123]
        // Exact scores in double precision. sgemv sums in another order than a loop, so two rows
        // whose scores differ in the last bits may swap: compare scores, not tie order.
        let exact = vectors.map { v in zip(v, query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
        let ranked = exact.indices.sorted { exact[$0] > exact[$1] }
        let tolerance = 1e-5
        for threads in [1, 2, 3] {
            let hits = BLAS.withThreads(1) { searcher.denseCandidates(vector: query, limit: 50, threads: threads) }
            // Chunk ids are assigned in insertion order from 1.
            let found = hits.map { Int($0.id) - 1 }
            #expect(hits.count == 50 && Set(found).count == 50)
            #expect(found.first == 123 && abs((hits.first?.cosine ?? 0) - 1) < 1e-5)
            for (hit, index) in zip(hits, found) {
                #expect(abs(Double(hit.cosine) - exact[index]) <= tolerance, "row \(index): \(hit.cosine) vs \(exact[index])")
            }
            // Best first, and the k-th exact score matches the brute-force k-th: nothing better was missed.
            #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.cosine >= $1.cosine })
            for (k, index) in found.enumerated() {
                #expect(abs(exact[index] - exact[ranked[k]]) <= tolerance, "rank \(k): row \(index) vs \(ranked[k])")
            }
        }
    }

    @Test func metricsMatchHandComputedValues() {
        let relevance = ["d1": 2, "d2": 1, "d9": 1, "d0": 0]
        let ranked = ["d3", "d1", "d0", "d2"]
        // DCG = 2/log2(3) + 1/log2(5); IDCG = 2/log2(2) + 1/log2(3) + 1/log2(4)
        let dcg = 2 / log2(3.0) + 1 / log2(5.0)
        let idcg = 2.0 + 1 / log2(3.0) + 0.5
        #expect(abs(RetrievalMetrics.ndcg(ranked: ranked, relevance: relevance, k: 10) - dcg / idcg) < 1e-12)
        #expect(abs(RetrievalMetrics.ndcg(ranked: ranked, relevance: relevance, k: 2) - (2 / log2(3.0)) / (2.0 + 1 / log2(3.0))) < 1e-12)
        #expect(RetrievalMetrics.recall(ranked: ranked, relevance: relevance, k: 10) == 2.0 / 3)
        #expect(RetrievalMetrics.recall(ranked: ranked, relevance: relevance, k: 1) == 0)
        #expect(RetrievalMetrics.reciprocalRank(ranked: ranked, relevance: relevance, k: 10) == 0.5)
        #expect(RetrievalMetrics.reciprocalRank(ranked: ranked, relevance: relevance, k: 1) == 0)
        #expect(RetrievalMetrics.ndcg(ranked: ranked, relevance: ["d0": 0], k: 10) == 0)
        #expect(RetrievalMetrics.ndcg(ranked: ["d1", "d2", "d9"], relevance: relevance, k: 10) == 1)
    }

    @Test func qrelsAndQueriesParse() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t2\nq2\td3\t0\n")
        try folder.write("trec.txt", "q1 0 d1 1\n")
        try folder.write("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"where?\"}\n{\"_id\": 2, \"text\": \"when?\"}\n")
        let qrels = try BEIRCorpusReader.qrels(at: folder.url.appendingPathComponent("qrels.tsv"))
        #expect(qrels == ["q1": ["d1": 1, "d2": 2], "q2": ["d3": 0]])
        #expect(try BEIRCorpusReader.qrels(at: folder.url.appendingPathComponent("trec.txt")) == ["q1": ["d1": 1]])
        let queries = try BEIRCorpusReader.queries(at: folder.url.appendingPathComponent("queries.jsonl"))
        #expect(queries.map(\.id) == ["q1", "2"])
        try folder.write("bad.tsv", "q1\td1\tmany\nq2\td2\tx\n")
        #expect(throws: IndexingError.self) { try BEIRCorpusReader.qrels(at: folder.url.appendingPathComponent("bad.tsv")) }
        // Found by FuzzBEIR: a score that overflows Double used to trap converting to Int.
        for score in ["1e30805", "-1e400", "nan", "inf", "1e300"] {
            try folder.write("huge.tsv", "q1\td1\t1\nq2\td2\t\(score)\n")
            #expect(throws: IndexingError.self) { try BEIRCorpusReader.qrels(at: folder.url.appendingPathComponent("huge.tsv")) }
        }
        try folder.write("fraction.tsv", "q1\td1\t1\nq2\td2\t2.7\n")
        #expect(try BEIRCorpusReader.qrels(at: folder.url.appendingPathComponent("fraction.tsv")) == ["q1": ["d1": 1], "q2": ["d2": 2]])
    }
}
