// The real embedder for indexing and search: all-MiniLM-L6-v2 (Models.SentenceEmbedder) behind
// the `TextEmbedder` and `TokenCounter` protocols, loaded from the model cache.
import Foundation
import Kernels
import ModelFiles
import Models
import Tokenizers

/// all-MiniLM-L6-v2 sentence embeddings (384 dimensions, mean pooled, unit length).
public struct MiniLMEmbedder: TextEmbedder, TokenCounter {
    public let sentenceEmbedder: SentenceEmbedder
    public let modelID: String
    /// OpenBLAS threads for a single text (a search query), or nil (default) to keep the process
    /// setting. `HybridSearcher` sets this itself around its whole dense path.
    public let queryBLASThreads: Int?

    /// Loads the model from `directory` (default: the model cache's all-MiniLM-L6-v2 folder).
    /// Throws `IndexingError.embedderUnavailable` (pointing to `make models`) when files are missing.
    public init(directory: URL = ModelCache().embedderDirectory, batchSize: Int = 32, queryBLASThreads: Int? = nil) throws {
        let model = directory.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: model.path) else {
            throw IndexingError.embedderUnavailable("\(model.path) is missing")
        }
        do {
            sentenceEmbedder = try SentenceEmbedder(directory: directory, batchSize: batchSize)
        } catch {
            throw IndexingError.embedderUnavailable("cannot load \(directory.path): \(error)")
        }
        modelID = "\(directory.lastPathComponent)/mean-norm/max\(sentenceEmbedder.maxLength)"
        self.queryBLASThreads = queryBLASThreads
    }

    public var dimension: Int { sentenceEmbedder.dimension }

    public func embed(_ texts: [String]) throws -> [[Float]] {
        if texts.count == 1, let text = texts.first {
            guard let queryBLASThreads else { return [try sentenceEmbedder.embedQuery(text)] }
            return try BLAS.withThreads(queryBLASThreads) { [try sentenceEmbedder.embedQuery(text)] }
        }
        return try sentenceEmbedder.embed(texts)
    }

    public func tokenCount(_ text: Substring) -> Int {
        sentenceEmbedder.tokenCount(String(text))
    }
}
