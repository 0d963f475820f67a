// Batched prefill: each layer's weights are dequantised into one scratch buffer and multiplied
// with the whole block of positions by OpenBLAS sgemm; causal grouped-query attention per head.
import Kernels

extension LlamaSession {
    /// Positions processed per batched pass (bounds the scratch memory).
    static let prefillChunk = 512

    /// Feeds `tokens` at the next positions and returns the logits after the last one.
    public func prefill(_ tokens: [Int]) throws -> [Float] {
        guard !tokens.isEmpty else { throw LlamaError.emptyInput }
        for t in tokens { try checkToken(t) }
        try reserve(count + tokens.count)
        var done = 0
        while done < tokens.count {
            let n = min(Self.prefillChunk, tokens.count - done)
            if n <= 2 {
                for t in tokens[done..<(done + n)] { forwardOne(t); count += 1 }
            } else {
                forwardBlock(Array(tokens[done..<(done + n)]))
                count += n
            }
            done += n
        }
        return Array(UnsafeBufferPointer(start: logits, count: model.config.vocabularySize))
    }

    /// The forward pass of positions count..<count+T, leaving the last position's logits in `logits`.
    func forwardBlock(_ tokens: [Int]) {
        let c = model.config, w = model.weights, pool = model.pool
        let T = tokens.count, start = count
        let dim = c.embeddingLength, attn = c.attentionDimension, kv = c.kvDimension
        let ffn = c.feedForwardLength, qkvRows = c.qkvRows
        let wide = max(dim, attn, ffn)
        let weightScratch = max(qkvRows * dim, dim * attn, 2 * ffn * dim, dim * ffn)
        let ropeDims = c.ropeDimensions

        let X = Buffer(T * dim), XN = Buffer(T * wide), QKV = Buffer(T * qkvRows), Q = Buffer(T * attn)
        let A = Buffer(T * attn), GU = Buffer(T * 2 * ffn), O = Buffer(T * dim), W = Buffer(weightScratch)
        let S = Buffer(T * (start + T)), R = Buffer(T * ropeDims), L = Buffer(T * max(1, lora?.maxRank ?? 1))
        defer { for b in [X, XN, QKV, Q, A, GU, O, W, S, R, L] { b.free() } }

        for (i, t) in tokens.enumerated() {
            w.embedding.dequantizeRow(t, into: X.p + i * dim)                // X (T, dim)
            model.rope.angles(position: start + i, into: R.p + i * ropeDims)  // R (T, ropeDims)
        }
        for l in 0..<c.layerCount {
            let b = w.blocks[l]
            let view = cache.view(layer: l, kvHeads: c.kvHeadCount, headDim: c.headDimension)
            // q|k|v (T, qkvRows) = norm(X) · [Wq; Wk; Wv]ᵀ
            b.attentionNorm.withUnsafeBufferPointer {
                rmsNormRows(X.p, weight: $0.baseAddress!, eps: c.rmsNormEpsilon, out: XN.p, rows: T, count: dim)
            }
            pool.dequantize(b.q, into: W.p)
            pool.dequantize(b.k, into: W.p + attn * dim)
            pool.dequantize(b.v, into: W.p + (attn + kv) * dim)
            BLAS.sgemm(transB: true, m: T, n: qkvRows, k: dim, a: XN.p, lda: dim, b: W.p, ldb: dim, c: QKV.p, ldc: qkvRows)
            if let lora {
                lora.addDelta(l, .q, rows: T, x: XN.p, ldx: dim, y: QKV.p, ldy: qkvRows, scratch: L.p)
                lora.addDelta(l, .k, rows: T, x: XN.p, ldx: dim, y: QKV.p + attn, ldy: qkvRows, scratch: L.p)
                lora.addDelta(l, .v, rows: T, x: XN.p, ldx: dim, y: QKV.p + attn + kv, ldy: qkvRows, scratch: L.p)
            }
            for i in 0..<T {
                let row = QKV.p + i * qkvRows
                model.rope.apply(row, heads: c.headCount, table: R.p + i * ropeDims)
                model.rope.apply(row + attn, heads: c.kvHeadCount, table: R.p + i * ropeDims)
                (Q.p + i * attn).update(from: row, count: attn)
                (view.keys + (start + i) * kv).update(from: row + attn, count: kv)
                (view.values + (start + i) * kv).update(from: row + attn + kv, count: kv)
            }
            // A (T, attn) = causal attention; X += A · Woᵀ
            pool.attendPrefill(q: Q.p, cache: view, heads: c.headCount, start: start, count: T, scores: S.p, out: A.p)
            pool.dequantize(b.o, into: W.p)
            BLAS.sgemm(transB: true, m: T, n: dim, k: attn, a: A.p, lda: attn, b: W.p, ldb: attn, c: O.p, ldc: dim)
            lora?.addDelta(l, .o, rows: T, x: A.p, ldx: attn, y: O.p, ldy: dim, scratch: L.p)
            addInPlace(X.p, O.p, count: T * dim)

            // gate|up (T, 2·ffn) = norm(X) · [Wg; Wu]ᵀ; H = SiLU(gate) ⊙ up; X += H · Wdᵀ
            b.ffnNorm.withUnsafeBufferPointer {
                rmsNormRows(X.p, weight: $0.baseAddress!, eps: c.rmsNormEpsilon, out: XN.p, rows: T, count: dim)
            }
            pool.dequantize(b.gate, into: W.p)
            pool.dequantize(b.up, into: W.p + ffn * dim)
            BLAS.sgemm(transB: true, m: T, n: 2 * ffn, k: dim, a: XN.p, lda: dim, b: W.p, ldb: dim, c: GU.p, ldc: 2 * ffn)
            if let lora {
                lora.addDelta(l, .gate, rows: T, x: XN.p, ldx: dim, y: GU.p, ldy: 2 * ffn, scratch: L.p)
                lora.addDelta(l, .up, rows: T, x: XN.p, ldx: dim, y: GU.p + ffn, ldy: 2 * ffn, scratch: L.p)
            }
            let H = XN.p   // (T, ffn), reusing the normalised-input buffer
            for i in 0..<T {
                swiGLU(gate: GU.p + i * 2 * ffn, up: GU.p + i * 2 * ffn + ffn, out: H + i * ffn, count: ffn)
            }
            pool.dequantize(b.down, into: W.p)
            BLAS.sgemm(transB: true, m: T, n: dim, k: ffn, a: H, lda: ffn, b: W.p, ldb: ffn, c: O.p, ldc: dim)
            lora?.addDelta(l, .down, rows: T, x: H, ldx: ffn, y: O.p, ldy: dim, scratch: L.p)
            addInPlace(X.p, O.p, count: T * dim)
        }
        // Only the last position's logits are needed.
        w.outputNorm.withUnsafeBufferPointer {
            rmsNorm(X.p + (T - 1) * dim, weight: $0.baseAddress!, eps: c.rmsNormEpsilon, out: xn, count: dim)
        }
        pool.matVec(w.output, xn, logits)
    }
}

/// A scratch allocation freed explicitly (prefill's buffers live for one call).
struct Buffer {
    let p: UnsafeMutablePointer<Float>
    init(_ count: Int) { p = .allocate(capacity: max(1, count)) }
    func free() { p.deallocate() }
}
