// One sequence over a shared LlamaModel: its KV cache, scratch buffers and optional LoRA adapter.
import Kernels

/// The per-sequence state of a llama model: the positions seen so far (KV cache), the decode
/// buffers and an optional LoRA adapter with its run-time strength. Use a session from one task
/// at a time; make one session per concurrent sequence (the model itself is shared).
public final class LlamaSession: @unchecked Sendable {
    public let model: LlamaModel
    /// Positions in the cache: the next token is written at this position.
    public internal(set) var count = 0
    let cache: LlamaKVCache
    var lora: ResolvedLoRA?

    // Decode buffers (one position).
    let x: UnsafeMutablePointer<Float>        // (dim) residual stream
    let xn: UnsafeMutablePointer<Float>       // (max(dim, attn)) normalised input of a projection
    let qkv: UnsafeMutablePointer<Float>      // (attn + 2·kv) fused q|k|v
    let attention: UnsafeMutablePointer<Float> // (attn) concatenated head outputs
    let projected: UnsafeMutablePointer<Float> // (dim)
    let gateUp: UnsafeMutablePointer<Float>   // (2·ffn) gate | up, then SwiGLU in the first ffn
    let logits: UnsafeMutablePointer<Float>   // (vocab)
    let ropeTable: UnsafeMutablePointer<Float> // (ropeDims)
    let loraScratch: UnsafeMutablePointer<Float> // (256) A·x of one position
    var scores: UnsafeMutablePointer<Float>   // (heads, cache capacity)
    var scoresCapacity: Int
    /// Scratch of the batched prompt pass, kept between calls.
    let prefillBuffers = PrefillBuffers()

    init(model: LlamaModel, capacity: Int) {
        self.model = model
        let c = model.config
        let initial = min(max(16, capacity), c.contextLength)
        cache = LlamaKVCache(layers: c.layerCount, rowWidth: c.kvDimension, capacity: initial)
        x = .allocate(capacity: c.embeddingLength)
        xn = .allocate(capacity: max(c.embeddingLength, c.attentionDimension, c.feedForwardLength))
        qkv = .allocate(capacity: c.qkvRows)
        attention = .allocate(capacity: c.attentionDimension)
        projected = .allocate(capacity: c.embeddingLength)
        gateUp = .allocate(capacity: 2 * c.feedForwardLength)
        logits = .allocate(capacity: c.vocabularySize)
        ropeTable = .allocate(capacity: c.ropeDimensions)
        loraScratch = .allocate(capacity: 256)
        scoresCapacity = initial
        scores = .allocate(capacity: c.headCount * initial)
    }

    deinit {
        for p in [x, xn, qkv, attention, projected, gateUp, logits, ropeTable, loraScratch, scores] { p.deallocate() }
    }

    /// Forgets every position (the adapter stays).
    public func reset() { count = 0 }

    /// Forgets positions from `newCount` on, keeping a shared prefix (e.g. a system prompt).
    public func truncate(to newCount: Int) {
        count = max(0, min(count, newCount))
    }

    /// Uses `adapter` for every following position, its delta multiplied by `strength`
    /// (0 = base model, 1 = the adapter as trained); nil removes it. Throws when the adapter's
    /// shapes do not match the model.
    public func setAdapter(_ adapter: LoRAWeights?, strength: Float = 1) throws {
        guard let adapter, !adapter.pairs.isEmpty else { lora = nil; return }
        guard adapter.pairs.values.allSatisfy({ $0.rank <= 256 }) else {
            throw LlamaError.adapterMismatch("ranks above 256 are not supported")
        }
        lora = try ResolvedLoRA(adapter, strength: min(max(strength, 0), 1), model: model)
    }

    /// Frees the batched prompt pass's scratch (tens of MB); the next prefill allocates again.
    /// Worth calling when many sessions stay alive after their prompts.
    public func releasePrefillScratch() { prefillBuffers.release() }

    /// Bytes the KV cache holds now.
    public var cacheBytes: Int { cache.byteCount }

    /// Grows the cache and scratch to hold `needed` positions, or throws past the context length.
    func reserve(_ needed: Int) throws {
        let c = model.config
        guard needed <= c.contextLength else { throw LlamaError.contextFull(needed: needed, contextLength: c.contextLength) }
        cache.reserve(min(needed, c.contextLength), keep: count)
        if cache.capacity > scoresCapacity {
            scores.deallocate()
            scoresCapacity = cache.capacity
            scores = .allocate(capacity: c.headCount * scoresCapacity)
        }
    }

    func checkToken(_ token: Int) throws {
        guard token >= 0 && token < model.config.vocabularySize else {
            throw LlamaError.tokenOutOfRange(token: token, vocabularySize: model.config.vocabularySize)
        }
    }
}
