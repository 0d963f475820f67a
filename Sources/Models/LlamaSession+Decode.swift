// Decoding one token: quantised mat-vec products on the worker pool, attention over the cache.
// The block is the Llama one (Touvron et al. 2023): pre-RMSNorm, RoPE attention with grouped
// KV heads, SwiGLU feed-forward, tied or separate output head.
import Kernels

extension LlamaSession {
    /// Feeds one token at the next position and returns the logits for the position after it.
    public func decode(_ token: Int) throws -> [Float] {
        try checkToken(token)
        try reserve(count + 1)
        forwardOne(token)
        count += 1
        return Array(UnsafeBufferPointer(start: logits, count: model.config.vocabularySize))
    }

    /// The forward pass of one position (`count`), leaving the logits in `logits`.
    func forwardOne(_ token: Int) {
        let c = model.config, w = model.weights, pool = model.pool
        let dim = c.embeddingLength, attn = c.attentionDimension, kv = c.kvDimension, ffn = c.feedForwardLength
        let position = count
        w.embedding.dequantizeRow(token, into: x)                       // x (dim)
        model.rope.angles(position: position, into: ropeTable)
        let q = qkv, k = qkv + attn, v = qkv + attn + kv
        for l in 0..<c.layerCount {
            let b = w.blocks[l]
            // Attention: xn = norm(x); q|k|v = W xn; rotate; cache; attend; x += Wo·attention.
            b.attentionNorm.withUnsafeBufferPointer { rmsNorm(x, weight: $0.baseAddress!, eps: c.rmsNormEpsilon, out: xn, count: dim) }
            pool.matVec(MatVecPart(b.q, q), MatVecPart(b.k, k), MatVecPart(b.v, v), x: xn)
            if let lora {
                lora.addDelta(l, .q, x: xn, y: q, scratch: loraScratch)
                lora.addDelta(l, .k, x: xn, y: k, scratch: loraScratch)
                lora.addDelta(l, .v, x: xn, y: v, scratch: loraScratch)
            }
            model.rope.apply(q, heads: c.headCount, table: ropeTable)
            model.rope.apply(k, heads: c.kvHeadCount, table: ropeTable)
            let view = cache.view(layer: l, kvHeads: c.kvHeadCount, headDim: c.headDimension)
            view.store(position: position, keys: k, values: v)
            pool.attendDecode(q: q, cache: view, heads: c.headCount, length: position + 1,
                              scratch: scores, scratchStride: scoresCapacity, out: attention)
            pool.matVec(b.o, attention, projected)
            lora?.addDelta(l, .o, x: attention, y: projected, scratch: loraScratch)
            addInPlace(x, projected, count: dim)

            // Feed-forward: x += W_down · (SiLU(W_gate xn) ⊙ W_up xn).
            b.ffnNorm.withUnsafeBufferPointer { rmsNorm(x, weight: $0.baseAddress!, eps: c.rmsNormEpsilon, out: xn, count: dim) }
            let gate = gateUp, up = gateUp + ffn
            pool.matVec(MatVecPart(b.gate, gate), MatVecPart(b.up, up), nil, x: xn)
            if let lora {
                lora.addDelta(l, .gate, x: xn, y: gate, scratch: loraScratch)
                lora.addDelta(l, .up, x: xn, y: up, scratch: loraScratch)
            }
            swiGLU(gate: gate, up: up, out: gate, count: ffn)
            pool.matVec(b.down, gate, projected)
            lora?.addDelta(l, .down, x: gate, y: projected, scratch: loraScratch)
            addInPlace(x, projected, count: dim)
        }
        w.outputNorm.withUnsafeBufferPointer { rmsNorm(x, weight: $0.baseAddress!, eps: c.rmsNormEpsilon, out: xn, count: dim) }
        pool.matVec(w.output, xn, logits)
    }
}

/// a (n) += b (n).
@inline(__always)
func addInPlace(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) {
    for i in 0..<n { a[i] += b[i] }
}
