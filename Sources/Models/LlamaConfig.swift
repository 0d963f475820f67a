// Hyper-parameters of a llama-architecture model, read from GGUF metadata and checked.
import ModelFiles

/// The shape of a llama model. Names are spelled out; `init(gguf:)` maps the GGUF keys
/// (`llama.block_count`, `llama.embedding_length`, …) onto them and rejects values that
/// cannot describe a working model.
public struct LlamaConfig: Sendable, Equatable {
    public var layerCount: Int
    /// Width of the residual stream.
    public var embeddingLength: Int
    public var feedForwardLength: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDimension: Int
    /// Dimensions of each head that RoPE rotates (≤ headDimension).
    public var ropeDimensions: Int
    public var ropeFrequencyBase: Float
    public var rmsNormEpsilon: Float
    public var vocabularySize: Int
    public var contextLength: Int
    public var bosTokenID: Int?
    public var eosTokenID: Int?

    public init(layerCount: Int, embeddingLength: Int, feedForwardLength: Int, headCount: Int, kvHeadCount: Int,
                ropeDimensions: Int? = nil, ropeFrequencyBase: Float = 10_000, rmsNormEpsilon: Float = 1e-5,
                vocabularySize: Int, contextLength: Int = 2048, bosTokenID: Int? = nil, eosTokenID: Int? = nil) {
        self.layerCount = layerCount
        self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.headDimension = embeddingLength / max(1, headCount)
        self.ropeDimensions = ropeDimensions ?? embeddingLength / max(1, headCount)
        self.ropeFrequencyBase = ropeFrequencyBase
        self.rmsNormEpsilon = rmsNormEpsilon
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
    }

    /// Reads and validates the configuration of a llama-architecture GGUF file.
    public init(gguf: GGUFFile) throws {
        let arch = gguf.string("general.architecture") ?? "(none)"
        guard arch == "llama" else { throw LlamaError.notLlama(architecture: arch) }
        func required(_ key: String) throws -> Int {
            guard let v = gguf.int("llama." + key) else { throw LlamaError.missingMetadata(key: "llama." + key) }
            return v
        }
        let dim = try required("embedding_length")
        let heads = try required("attention.head_count")
        let vocab = gguf.int("llama.vocab_size") ?? gguf.strings("tokenizer.ggml.tokens")?.count
            ?? gguf.tensor(named: "token_embd.weight")?.dimensions.last
        guard let vocab else { throw LlamaError.missingMetadata(key: "llama.vocab_size") }
        self.init(layerCount: try required("block_count"), embeddingLength: dim,
                  feedForwardLength: try required("feed_forward_length"), headCount: heads,
                  kvHeadCount: gguf.int("llama.attention.head_count_kv") ?? heads,
                  ropeDimensions: gguf.int("llama.rope.dimension_count"),
                  ropeFrequencyBase: gguf.float("llama.rope.freq_base") ?? 10_000,
                  rmsNormEpsilon: gguf.float("llama.attention.layer_norm_rms_epsilon") ?? 1e-5,
                  vocabularySize: vocab, contextLength: gguf.int("llama.context_length") ?? 2048,
                  bosTokenID: gguf.int("tokenizer.ggml.bos_token_id"),
                  eosTokenID: gguf.int("tokenizer.ggml.eos_token_id"))
        try validate()
    }

    /// Throws when the numbers cannot describe a working model.
    public func validate() throws {
        func check(_ ok: Bool, _ key: String, _ value: Int, _ reason: String) throws {
            if !ok { throw LlamaError.invalidMetadata(key: key, value: String(value), reason: reason) }
        }
        try check((1...1024).contains(layerCount), "llama.block_count", layerCount, "must be 1…1024")
        try check((1...65_536).contains(embeddingLength), "llama.embedding_length", embeddingLength, "must be 1…65536")
        try check((1...262_144).contains(feedForwardLength), "llama.feed_forward_length", feedForwardLength, "must be 1…262144")
        try check(headCount >= 1 && embeddingLength % headCount == 0, "llama.attention.head_count", headCount,
                  "must divide the embedding length")
        try check(kvHeadCount >= 1 && headCount % kvHeadCount == 0, "llama.attention.head_count_kv", kvHeadCount,
                  "must divide the head count")
        try check(ropeDimensions >= 2 && ropeDimensions <= headDimension && ropeDimensions % 2 == 0,
                  "llama.rope.dimension_count", ropeDimensions, "must be even and at most the head dimension")
        try check((1...1_000_000).contains(vocabularySize), "llama.vocab_size", vocabularySize, "must be 1…1000000")
        try check(contextLength >= 1, "llama.context_length", contextLength, "must be positive")
        guard ropeFrequencyBase.isFinite, ropeFrequencyBase > 1 else {
            throw LlamaError.invalidMetadata(key: "llama.rope.freq_base", value: "\(ropeFrequencyBase)", reason: "must be > 1")
        }
        guard rmsNormEpsilon.isFinite, rmsNormEpsilon > 0, rmsNormEpsilon < 1 else {
            throw LlamaError.invalidMetadata(key: "llama.attention.layer_norm_rms_epsilon", value: "\(rmsNormEpsilon)",
                                             reason: "must be in (0, 1)")
        }
    }

    /// Rows of the fused query|key|value projection.
    public var qkvRows: Int { (headCount + 2 * kvHeadCount) * headDimension }
    /// Width of one position's keys (or values) in the cache.
    public var kvDimension: Int { kvHeadCount * headDimension }
    /// Width of the concatenated attention heads.
    public var attentionDimension: Int { headCount * headDimension }
}
