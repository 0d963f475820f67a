// Search over one index: BM25 through FTS5, exact dense cosine over an in-memory matrix (BLAS
// sgemv), and hybrid reciprocal rank fusion of the two candidate lists. Open once, query often.
import CBLAS
import Foundation
import Kernels

/// How to rank chunks.
public enum SearchMode: String, CaseIterable, Sendable, Codable {
    case hybrid, bm25, dense
}

/// One search result, with everything needed to explain why it ranked where it did.
public struct SearchHit: Sendable, Equatable {
    public var chunkID: Int64
    /// Path of the source file, relative to the parent of the indexed folder.
    public var document: String
    /// BEIR `_id` of the record when the source is a corpus file, else nil.
    public var itemID: String?
    /// `Title > Section > Subsection`.
    public var headingPath: String
    public var text: String
    /// Unicode scalar offsets of `text` in the loaded document (item) text.
    public var span: Range<Int>
    /// The score the hit is ranked by: fused RRF score (hybrid), BM25 score (bm25) or cosine (dense).
    public var score: Double
    /// 1-based rank in the BM25 candidate list, if the chunk was in it.
    public var bm25Rank: Int?
    /// BM25 score (SQLite's bm25() negated: higher is better).
    public var bm25Score: Double?
    /// 1-based rank in the dense candidate list, if the chunk was in it.
    public var denseRank: Int?
    public var cosine: Float?

    /// The heading path as a list, outermost first (`headingPath` split at " > ").
    public var headings: [String] { headingPath.isEmpty ? [] : headingPath.components(separatedBy: " > ") }

    /// The document id used for document-level evaluation: the BEIR id, else the path.
    public var documentKey: String { itemID ?? document }
}

/// Searches one index. Loads all chunk vectors once, as a contiguous (N, dimension) matrix, so
/// open it once and reuse it across queries; it is safe to share between tasks. The matrix is a
/// snapshot: after re-indexing, open a new searcher (and after a full rebuild, which swaps the
/// index file, close the old one first).
public final class HybridSearcher: Sendable {
    public let store: IndexStore
    public let embedder: (any TextEmbedder)?
    /// How many candidates each ranker contributes to the fusion.
    public let candidatesPerList: Int
    public let rrfK: Double
    /// OpenBLAS threads for the dense path (query embedding and scan), or nil for the process
    /// setting. One thread avoids waking sleeping BLAS workers once per query: on the busy
    /// 2-core project machine that wake-up cost more than the scan itself.
    public let denseBLASThreads: Int?
    /// Threads that scan the vector matrix when BLAS itself runs on one thread.
    public let scanThreads: Int
    /// Chunk id of each matrix row.
    let ids: [Int64]
    /// (ids.count, dimension), row-major, unit rows.
    let matrix: [Float]
    let dimension: Int
    /// Why dense search is unavailable, if it is.
    let denseProblem: IndexingError?

    /// Opens a searcher over `store`. Without an embedder (or with one that does not match the
    /// index) only BM25 search works; dense and hybrid then throw a clear error.
    public init(store: IndexStore, embedder: (any TextEmbedder)?, candidatesPerList: Int = 100,
                rrfK: Double = ReciprocalRankFusion.defaultK, denseBLASThreads: Int? = 1) throws {
        self.store = store
        self.denseBLASThreads = denseBLASThreads
        self.scanThreads = max(1, min(2, CPUFeatures.activeProcessorCount))
        self.embedder = embedder
        self.candidatesPerList = max(1, candidatesPerList)
        self.rrfK = rrfK
        let meta = try store.meta()
        let indexModel = meta[IndexMetaKey.embedderModel] ?? "unknown"
        let indexDimension = meta[IndexMetaKey.embedderDimension].flatMap(Int.init) ?? 0
        if let embedder {
            if embedder.modelID != indexModel || embedder.dimension != indexDimension {
                denseProblem = .embedderMismatch(index: indexModel, indexDimension: indexDimension,
                                                 current: embedder.modelID, currentDimension: embedder.dimension)
                (ids, matrix, dimension) = ([], [], embedder.dimension)
            } else {
                denseProblem = nil
                dimension = indexDimension
                (ids, matrix) = try store.loadVectors(dimension: indexDimension)
            }
        } else {
            denseProblem = .embedderUnavailable("no embedder was loaded")
            (ids, matrix, dimension) = ([], [], indexDimension)
        }
    }

    /// Opens the index of a workspace.
    public convenience init(workspace: Workspace, embedder: (any TextEmbedder)?) throws {
        try self.init(store: try workspace.openIndex(), embedder: embedder)
    }

    /// Number of chunk vectors in memory.
    public var vectorCount: Int { ids.count }

    /// The best `topK` chunks for `query`.
    public func search(_ query: String, mode: SearchMode = .hybrid, topK: Int = 10) throws -> [SearchHit] {
        guard topK > 0 else { return [] }
        let depth = max(topK, candidatesPerList)
        var lexical: [(id: Int64, score: Double)] = []
        var dense: [(id: Int64, cosine: Float)] = []
        if mode != .dense { lexical = try bm25Candidates(query, limit: mode == .bm25 ? topK : depth) }
        if mode != .bm25 { dense = try denseCandidates(query, limit: mode == .dense ? topK : depth) }

        var bm25Info: [Int64: (rank: Int, score: Double)] = [:]
        for (index, hit) in lexical.enumerated() { bm25Info[hit.id] = (index + 1, hit.score) }
        var denseInfo: [Int64: (rank: Int, cosine: Float)] = [:]
        for (index, hit) in dense.enumerated() { denseInfo[hit.id] = (index + 1, hit.cosine) }

        let ranked: [(id: Int64, score: Double)]
        switch mode {
        case .bm25: ranked = lexical
        case .dense: ranked = dense.map { ($0.id, Double($0.cosine)) }
        case .hybrid:
            ranked = Array(ReciprocalRankFusion.fuse([lexical.map(\.id), dense.map(\.id)], k: rrfK).prefix(topK))
        }
        let details = try store.chunks(ids: ranked.map(\.id))
        return ranked.compactMap { entry in
            guard let chunk = details[entry.id] else { return nil }
            return SearchHit(chunkID: entry.id, document: chunk.documentPath, itemID: chunk.itemID,
                             headingPath: chunk.headingPath, text: chunk.text, span: chunk.span, score: entry.score,
                             bm25Rank: bm25Info[entry.id]?.rank, bm25Score: bm25Info[entry.id]?.score,
                             denseRank: denseInfo[entry.id]?.rank, cosine: denseInfo[entry.id]?.cosine)
        }
    }

    /// BM25 candidates, best first.
    public func bm25Candidates(_ query: String, limit: Int) throws -> [(id: Int64, score: Double)] {
        try store.bm25(match: FTSQuery.matchExpression(query), limit: limit)
    }

    /// Dense candidates by exact cosine, best first.
    public func denseCandidates(_ query: String, limit: Int) throws -> [(id: Int64, cosine: Float)] {
        if let denseProblem { throw denseProblem }
        guard let embedder else { throw IndexingError.embedderUnavailable("no embedder was loaded") }
        let dense = { () throws -> [(id: Int64, cosine: Float)] in
            guard let vector = try embedder.embed([query]).first else { return [] }
            guard vector.count == self.dimension else { throw IndexingError.badEmbedding(expected: self.dimension, got: vector.count) }
            return self.denseCandidates(vector: vector, limit: limit)
        }
        guard let denseBLASThreads else { return try dense() }
        return try BLAS.withThreads(denseBLASThreads, dense)
    }

    /// Dense candidates for a query vector already embedded (unit length, `dimension` floats).
    /// `threads` overrides `scanThreads` (for benchmarks).
    public func denseCandidates(vector: [Float], limit: Int, threads: Int? = nil) -> [(id: Int64, cosine: Float)] {
        precondition(vector.count == dimension, "query vector has the wrong dimension")
        let n = ids.count
        guard n > 0, limit > 0 else { return [] }
        var scores = [Float](repeating: 0, count: n)  // (n)
        // With single-threaded BLAS (the search path), large matrices are cut into row blocks
        // scanned side by side: the scan is memory-bound and one core does not saturate memory.
        let parts = BLAS.threads == 1 && n >= 16_384 ? max(1, threads ?? scanThreads) : 1
        let dimension = self.dimension
        matrix.withUnsafeBufferPointer { m in
            vector.withUnsafeBufferPointer { q in
                scores.withUnsafeMutableBufferPointer { s in
                    let buffers = ScanBuffers(matrix: m.baseAddress!, query: q.baseAddress!, scores: s.baseAddress!)
                    let scan: @Sendable (Int) -> Void = { part in
                        let lower = n * part / parts, upper = n * (part + 1) / parts
                        // scores[lower..<upper] (rows) = matrix[lower..<upper] (rows, d) · query (d)
                        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(upper - lower), Int32(dimension), 1,
                                    buffers.matrix + lower * dimension, Int32(dimension), buffers.query, 1, 0,
                                    buffers.scores + lower, 1)
                    }
                    if parts == 1 { scan(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: scan) }
                }
            }
        }
        return scores.withUnsafeBufferPointer { topIndices(of: $0, k: limit) }.map { (ids[$0.index], $0.value) }
    }
}

/// Raw pointers handed to the scan workers; each worker writes only its own rows of `scores`.
private struct ScanBuffers: @unchecked Sendable {
    let matrix: UnsafePointer<Float>
    let query: UnsafePointer<Float>
    let scores: UnsafeMutablePointer<Float>
}

/// Keys of the index's meta table.
public enum IndexMetaKey {
    public static let embedderModel = "embedder_model"
    public static let embedderDimension = "embedder_dimension"
    public static let chunkTokens = "chunk_tokens"
    public static let overlapTokens = "overlap_tokens"
    public static let tokenCounter = "token_counter"
}
