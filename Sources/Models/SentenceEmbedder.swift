// Sentence embeddings with all-MiniLM-L6-v2: WordPiece ids → BERT encoder → mean pooling → L2
// normalisation, as sentence-transformers' (Transformer, Pooling(mean), Normalize) pipeline does.
import Foundation
import Kernels
import Tokenizers

/// Turns texts into unit-length 384-dimensional vectors (cosine similarity = dot product).
public final class SentenceEmbedder: Sendable {
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder
    /// Longest input in word-pieces, [CLS] and [SEP] included; longer texts are truncated.
    public let maxLength: Int
    /// Texts encoded together in one forward pass.
    public let batchSize: Int
    /// Threads a multi-batch `embed` uses (each runs whole batches on single-threaded BLAS).
    public let threads: Int

    /// Loads `model.safetensors`, `vocab.txt` and (if present) `config.json` from a model folder,
    /// e.g. `ModelCache().embedderDirectory`.
    public init(directory: URL, maxLength: Int = WordPieceTokenizer.defaultMaxLength, batchSize: Int = 32,
                threads: Int = 2) throws {
        let configURL = directory.appendingPathComponent("config.json")
        let config = FileManager.default.fileExists(atPath: configURL.path) ? try BertConfig(contentsOf: configURL) : .miniLM
        let vocabURL = directory.appendingPathComponent("vocab.txt")
        guard FileManager.default.fileExists(atPath: vocabURL.path) else { throw BertError.missingFile(path: vocabURL.path) }
        tokenizer = try WordPieceTokenizer(vocabularyURL: vocabURL)
        encoder = try BertEncoder(safetensors: directory.appendingPathComponent("model.safetensors"), config: config)
        guard tokenizer.vocabularySize <= config.vocabularySize else {
            throw BertError.weights("vocab.txt has \(tokenizer.vocabularySize) tokens but the model only \(config.vocabularySize)")
        }
        self.maxLength = min(max(2, maxLength), config.maxPositions)
        self.batchSize = max(1, batchSize)
        self.threads = max(1, threads)
    }

    /// Length of the vectors.
    public var dimension: Int { encoder.config.hiddenSize }

    /// Word-pieces in `text` (without [CLS]/[SEP], not truncated): what the chunker budgets.
    public func tokenCount(_ text: String) -> Int { tokenizer.tokenCount(text) }

    /// One unit vector per text, in input order. Empty texts get the embedding of "[CLS] [SEP]".
    public func embed(_ texts: [String]) throws -> [[Float]] {
        try embed(texts) { _, _ in true }
    }

    /// Like `embed(_:)`, calling `progress(done, total)` after each batch; returning false (or
    /// cancelling the surrounding task) stops with `BertError.cancelled`.
    public func embed(_ texts: [String], progress: (_ done: Int, _ total: Int) -> Bool) throws -> [[Float]] {
        let ids = texts.map { tokenizer.encode($0, maxLength: maxLength) }
        return try embed(tokenIDs: ids, progress: progress)
    }

    /// Embeds already-tokenised inputs ([CLS] … [SEP], each at most `maxLength` ids).
    ///
    /// Texts are sorted by length (longest first) and cut into batches; each batch is packed
    /// without padding into one (tokens, 384) matrix. With several batches and `threads` ≥ 2,
    /// batches run side by side, each on single-threaded OpenBLAS: while that happens the
    /// process-wide OpenBLAS thread count is 1 (restored afterwards). That beats one batch at a
    /// time on multithreaded BLAS, whose hand-offs leave the cores idle during attention and norms.
    public func embed(tokenIDs ids: [[Int32]], progress: (_ done: Int, _ total: Int) -> Bool = { _, _ in true }) throws -> [[Float]] {
        let vocabularySize = encoder.config.vocabularySize
        for (index, sequence) in ids.enumerated() {
            guard sequence.count <= maxLength else {
                throw BertError.badInput("input \(index) has \(sequence.count) ids; at most \(maxLength) fit (truncate it)")
            }
            guard sequence.allSatisfy({ $0 >= 0 && Int($0) < vocabularySize }) else {
                throw BertError.badInput("input \(index) has an id outside the vocabulary (0..<\(vocabularySize))")
            }
        }
        let order = ids.indices.sorted { ids[$0].count > ids[$1].count }
        let batches = stride(from: 0, to: order.count, by: batchSize).map {
            order[$0..<min($0 + batchSize, order.count)].map { ids[$0] }
        }
        let streams = min(threads, batches.count)
        var pooled: [[Float]] = []
        pooled.reserveCapacity(ids.count)
        if streams <= 1 {
            let workspace = BertWorkspace(config: encoder.config)
            for batch in batches {
                if Task.isCancelled { throw BertError.cancelled }
                pooled += encoder.pooledHiddenStates(batch, attentionThreads: threads, workspace: workspace)
                guard progress(pooled.count, ids.count) else { throw BertError.cancelled }
            }
        } else {
            // One OpenBLAS thread per stream: the streams are the parallelism.
            try BLAS.singleThreaded {
                let encoder = self.encoder
                let workspaces = (0..<streams).map { _ in BertWorkspace(config: encoder.config) }  // one per stream
                var next = 0
                while next < batches.count {
                    if Task.isCancelled { throw BertError.cancelled }
                    let group = Array(batches[next..<min(next + streams, batches.count)])
                    let slots = ResultSlots(count: group.count)
                    DispatchQueue.concurrentPerform(iterations: group.count) { k in
                        slots.set(k, encoder.pooledHiddenStates(group[k], attentionThreads: 1, workspace: workspaces[k]))
                    }
                    pooled += slots.joined()
                    next += group.count
                    guard progress(pooled.count, ids.count) else { throw BertError.cancelled }
                }
            }
        }
        var vectors = [[Float]](repeating: [], count: ids.count)
        for (index, vector) in zip(order, pooled) { vectors[index] = Self.normalized(vector) }
        return vectors
    }

    /// The vector of one search query.
    public func embedQuery(_ text: String) throws -> [Float] {
        let ids = tokenizer.encode(text, maxLength: maxLength)
        return Self.normalized(encoder.pooledHiddenStates([ids], attentionThreads: threads)[0])
    }

    /// v / max(‖v‖, 1e-12), as torch.nn.functional.normalize.
    static func normalized(_ v: [Float]) -> [Float] {
        var sum: Float = 0
        for x in v { sum += x * x }
        let scale = 1 / max(sum.squareRoot(), 1e-12)
        return v.map { $0 * scale }
    }
}

/// One result per concurrent batch; each worker writes only its own slot.
private final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<[[Float]]>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: [], count: count)
    }

    deinit { slots.deinitialize(count: count); slots.deallocate() }

    func set(_ index: Int, _ value: [[Float]]) { slots[index] = value }

    func joined() -> [[Float]] { (0..<count).flatMap { slots[$0] } }
}
