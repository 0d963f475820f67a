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

    /// Loads `model.safetensors`, `vocab.txt` and (if present) `config.json` from a model folder,
    /// e.g. `ModelCache().embedderDirectory`.
    public init(directory: URL, maxLength: Int = WordPieceTokenizer.defaultMaxLength, batchSize: Int = 32) throws {
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
    public func embed(tokenIDs ids: [[Int32]], progress: (_ done: Int, _ total: Int) -> Bool = { _, _ in true }) throws -> [[Float]] {
        // Longest first, so batches hold similar lengths and attention work is balanced.
        let order = ids.indices.sorted { ids[$0].count > ids[$1].count }
        var vectors = [[Float]](repeating: [], count: ids.count)
        var done = 0
        while done < order.count {
            if Task.isCancelled { throw BertError.cancelled }
            let slice = order[done..<min(done + batchSize, order.count)]
            let pooled = encoder.pooledHiddenStates(slice.map { ids[$0] })
            for (index, vector) in zip(slice, pooled) { vectors[index] = Self.normalized(vector) }
            done += slice.count
            guard progress(done, order.count) else { throw BertError.cancelled }
        }
        return vectors
    }

    /// The vector of one search query.
    public func embedQuery(_ text: String) throws -> [Float] {
        let ids = tokenizer.encode(text, maxLength: maxLength)
        return Self.normalized(encoder.pooledHiddenStates([ids])[0])
    }

    /// v / max(‖v‖, 1e-12), as torch.nn.functional.normalize.
    static func normalized(_ v: [Float]) -> [Float] {
        var sum: Float = 0
        for x in v { sum += x * x }
        let scale = 1 / max(sum.squareRoot(), 1e-12)
        return v.map { $0 * scale }
    }
}
