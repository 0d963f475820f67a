// Plain values that cross the boundary between the workbench and the core modules (retrieval, arms, training, …).
import Foundation

/// Whether a document in the collection is searchable as it is on disk.
public enum DocumentState: String, Sendable, Equatable {
    /// Indexed and unchanged since.
    case indexed
    /// Indexed, but the file changed since (content hash differs): re-index to pick it up.
    case changed
    /// On disk in a watched folder but never indexed.
    case unindexed
    /// Indexed, but the file is gone.
    case missing
}

/// One document of the collection, as the Documents pane lists it.
public struct DocumentSummary: Sendable, Equatable {
    /// Path relative to the collection root, e.g. "handbook/policies/travel.md".
    public var path: String
    public var chunkCount: Int
    public var state: DocumentState
    public init(path: String, chunkCount: Int, state: DocumentState = .indexed) {
        self.path = path; self.chunkCount = chunkCount; self.state = state
    }
}

/// How retrieval ranks chunks.
public enum RetrievalMode: String, Sendable, CaseIterable, Equatable {
    /// BM25 and dense lists fused with reciprocal rank fusion.
    case hybrid
    case bm25
    case dense
}

/// One retrieved chunk with the evidence of both retrievers.
public struct SearchHit: Sendable, Equatable {
    /// The chunk's id in the index (stable across searches until re-indexing).
    public var chunkID: Int64
    /// Document path relative to the collection root.
    public var documentPath: String
    /// Headings enclosing the chunk, outermost first, e.g. ["Travel", "Per diem"].
    public var headingPath: [String]
    /// The chunk's text.
    public var text: String
    /// The chunk's position in the document text as UTF-8 byte offsets (lower inclusive, upper exclusive).
    public var span: Range<Int>
    /// The fused score (RRF in hybrid mode; the single retriever's score otherwise), higher is better.
    public var fusedScore: Double
    /// 1-based rank in the BM25 list and its BM25 score (higher is better), nil if BM25 did not return it.
    public var bm25Rank: Int?
    public var bm25Score: Double?
    /// 1-based rank in the dense list and its cosine similarity, nil if dense search did not return it.
    public var denseRank: Int?
    public var denseCosine: Double?

    public init(chunkID: Int64, documentPath: String, headingPath: [String], text: String, span: Range<Int>,
                fusedScore: Double, bm25Rank: Int? = nil, bm25Score: Double? = nil,
                denseRank: Int? = nil, denseCosine: Double? = nil) {
        self.chunkID = chunkID; self.documentPath = documentPath; self.headingPath = headingPath
        self.text = text; self.span = span; self.fusedScore = fusedScore
        self.bm25Rank = bm25Rank; self.bm25Score = bm25Score; self.denseRank = denseRank; self.denseCosine = denseCosine
    }
}

/// The answer arms shown side by side.
public enum ArmKind: String, Sendable, CaseIterable, Equatable, Hashable {
    /// Base model + retrieved passages (the RAG prompt), no adapter.
    case rag
    /// Base model + the selected LoRA adapter, no passages.
    case ft
    /// Adapter + passages (the optional third arm).
    case both

    /// The pane title.
    public var title: String {
        switch self {
        case .rag: "RAG · base + passages"
        case .ft: "Fine-tuned · adapter"
        case .both: "Both · adapter + passages"
        }
    }
}

/// What one arm should generate.
public struct ArmRequest: Sendable, Equatable {
    public var arm: ArmKind
    public var question: String
    /// Passages for the RAG prompt, numbered [1]… in this order (empty for `.ft`).
    public var passages: [SearchHit]
    /// Adapter name (from `adapters()`), nil for the base model.
    public var adapter: String?
    /// LoRA scale multiplier (1 = as trained).
    public var adapterScale: Double
    public var maxTokens: Int

    public init(arm: ArmKind, question: String, passages: [SearchHit], adapter: String?, adapterScale: Double, maxTokens: Int = 256) {
        self.arm = arm; self.question = question; self.passages = passages
        self.adapter = adapter; self.adapterScale = adapterScale; self.maxTokens = maxTokens
    }
}

/// Timings and counts of one finished (or stopped) arm.
public struct ArmStats: Sendable, Equatable {
    /// Seconds from request to the first token (prefill included).
    public var timeToFirstToken: Double
    /// Decode speed after the first token.
    public var tokensPerSecond: Double
    public var tokenCount: Int
    public init(timeToFirstToken: Double, tokensPerSecond: Double, tokenCount: Int) {
        self.timeToFirstToken = timeToFirstToken; self.tokensPerSecond = tokensPerSecond; self.tokenCount = tokenCount
    }
}

/// What an arm's stream reports, in order: any number of `token`s, then one `finished` or `failed`.
public enum ArmEvent: Sendable, Equatable {
    /// Decoded text of the next token(s) (already detokenised, may be part of a word).
    case token(String)
    case finished(ArmStats)
    /// A user-facing reason ("model not loaded yet", "adapter file is corrupt: …").
    case failed(String)
}

/// A trained LoRA adapter in the workspace.
public struct AdapterSummary: Sendable, Equatable {
    public var name: String
    public var rank: Int
    public var alpha: Double
    public var targets: [String]
    /// Dataset it was trained on (file name), if known.
    public var dataset: String?
    /// Last validation loss, if known.
    public var validationLoss: Double?
    public init(name: String, rank: Int, alpha: Double, targets: [String], dataset: String? = nil, validationLoss: Double? = nil) {
        self.name = name; self.rank = rank; self.alpha = alpha; self.targets = targets
        self.dataset = dataset; self.validationLoss = validationLoss
    }
}

/// A chat-JSONL training dataset.
public struct DatasetSummary: Sendable, Equatable {
    public var name: String
    /// Absolute path of the `.jsonl` file.
    public var path: String
    /// Number of examples, if counted.
    public var exampleCount: Int?
    public init(name: String, path: String, exampleCount: Int? = nil) {
        self.name = name; self.path = path; self.exampleCount = exampleCount
    }
}
