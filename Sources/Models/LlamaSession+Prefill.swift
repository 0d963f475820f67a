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

        let sizes = [T * dim, T * wide, T * qkvRows, T * attn, T * attn, T * 2 * ffn, T * dim, weightScratch,
                     min(T, 128) * (start + T), T * ropeDims, T * max(1, lora?.maxRank ?? 1)]
        let buffers = prefillBuffers.reserve(sizes)
        let (X, XN, QKV, Q, A, GU, O, W, S, R, L) = (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4],
                                                     buffers[5], buffers[6], buffers[7], buffers[8], buffers[9], buffers[10])
        for (i, t) in tokens.enumerated() {
            w.embedding.dequantizeRow(t, into: X + i * dim)                // X (T, dim)
            model.rope.angles(position: start + i, into: R + i * ropeDims)  // R (T, ropeDims)
        }
        for l in 0..<c.layerCount {
            let b = w.blocks[l]
            let view = cache.view(layer: l, kvHeads: c.kvHeadCount, headDim: c.headDimension)
            // q|k|v (T, qkvRows) = norm(X) · [Wq; Wk; Wv]ᵀ
            b.attentionNorm.withUnsafeBufferPointer {
                rmsNormRows(X, weight: $0.baseAddress!, eps: c.rmsNormEpsilon, out: XN, rows: T, count: dim)
            }
            pool.dequantize(b.q, into: W)
            pool.dequantize(b.k, into: W + attn * dim)
            pool.dequantize(b.v, into: W + (attn + kv) * dim)
            BLAS.sgemm(transB: true, m: T, n: qkvRows, k: dim, a: XN, lda: dim, b: W, ldb: dim, c: QKV, ldc: qkvRows)
            if let lora {
                lora.addDelta(l, .q, rows: T, x: XN, ldx: dim, y: QKV, ldy: qkvRows, scratch: L)
                lora.addDelta(l, .k, rows: T, x: XN, ldx: dim, y: QKV + attn, ldy: qkvRows, scratch: L)
                lora.addDelta(l, .v, rows: T, x: XN, ldx: dim, y: QKV + attn + kv, ldy: qkvRows, scratch: L)
            }
            for i in 0..<T {
                let row = QKV + i * qkvRows
                model.rope.apply(row, heads: c.headCount, table: R + i * ropeDims)
                model.rope.apply(row + attn, heads: c.kvHeadCount, table: R + i * ropeDims)
                (Q + i * attn).update(from: row, count: attn)
                view.store(position: start + i, keys: row + attn, values: row + attn + kv)
            }
            // A (T, attn) = causal attention; X += A · Woᵀ
            pool.attendPrefill(q: Q, cache: view, heads: c.headCount, start: start, count: T, scores: S, out: A)
            pool.dequantize(b.o, into: W)
            BLAS.sgemm(transB: true, m: T, n: dim, k: attn, a: A, lda: attn, b: W, ldb: attn, c: O, ldc: dim)
            lora?.addDelta(l, .o, rows: T, x: A, ldx: attn, y: O, ldy: dim, scratch: L)
            addInPlace(X, O, count: T * dim)

            // gate|up (T, 2·ffn) = norm(X) · [Wg; Wu]ᵀ; H = SiLU(gate) ⊙ up; X += H · Wdᵀ
            b.ffnNorm.withUnsafeBufferPointer {
                rmsNormRows(X, weight: $0.baseAddress!, eps: c.rmsNormEpsilon, out: XN, rows: T, count: dim)
            }
            pool.dequantize(b.gate, into: W)
            pool.dequantize(b.up, into: W + ffn * dim)
            BLAS.sgemm(transB: true, m: T, n: 2 * ffn, k: dim, a: XN, lda: dim, b: W, ldb: dim, c: GU, ldc: 2 * ffn)
            if let lora {
                lora.addDelta(l, .gate, rows: T, x: XN, ldx: dim, y: GU, ldy: 2 * ffn, scratch: L)
                lora.addDelta(l, .up, rows: T, x: XN, ldx: dim, y: GU + ffn, ldy: 2 * ffn, scratch: L)
            }
            let H = XN   // (T, ffn), reusing the normalised-input buffer
            for i in 0..<T {
                swiGLU(gate: GU + i * 2 * ffn, up: GU + i * 2 * ffn + ffn, out: H + i * ffn, count: ffn)
            }
            pool.dequantize(b.down, into: W)
            BLAS.sgemm(transB: true, m: T, n: dim, k: ffn, a: H, lda: ffn, b: W, ldb: ffn, c: O, ldc: dim)
            lora?.addDelta(l, .down, rows: T, x: H, ldx: ffn, y: O, ldy: dim, scratch: L)
            addInPlace(X, O, count: T * dim)
        }
        // Only the last position's logits are needed.
        w.outputNorm.withUnsafeBufferPointer {
            rmsNorm(X + (T - 1) * dim, weight: $0.baseAddress!, eps: c.rmsNormEpsilon, out: xn, count: dim)
        }
        pool.matVec(w.output, xn, logits)
    }
}

/// Prefill's scratch buffers, kept by the session between calls (fresh allocations each call
/// cost page faults) and grown when a longer block needs more.
final class PrefillBuffers {
    private var pointers: [UnsafeMutablePointer<Float>] = []
    private var capacities: [Int] = []

    /// One buffer per requested size (in floats), each at least that large.
    func reserve(_ sizes: [Int]) -> [UnsafeMutablePointer<Float>] {
        while pointers.count < sizes.count {
            pointers.append(.allocate(capacity: 1))
            capacities.append(1)
        }
        for (i, size) in sizes.enumerated() where capacities[i] < size {
            pointers[i].deallocate()
            pointers[i] = .allocate(capacity: size)
            capacities[i] = size
        }
        return pointers
    }

    /// Frees everything (the next prefill allocates again).
    func release() {
        for p in pointers { p.deallocate() }
        pointers = []
        capacities = []
    }

    deinit { for p in pointers { p.deallocate() } }
}
