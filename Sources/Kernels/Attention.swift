// Scaled dot-product attention (Vaswani et al. 2017) over a KV cache, with grouped-query heads
// (Ainslie et al. 2023, arXiv:2305.13245): one query position (decode) or a causal block (prefill).

/// Where one layer's cached keys and values live: rows are positions, each row holds every
/// KV head: keys (capacity, kvHeads · headDim), values the same.
public struct KVView: @unchecked Sendable {
    public let keys: UnsafeMutablePointer<Float>
    public let values: UnsafeMutablePointer<Float>
    public let kvHeads: Int
    public let headDim: Int
    public init(keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>, kvHeads: Int, headDim: Int) {
        self.keys = keys
        self.values = values
        self.kvHeads = kvHeads
        self.headDim = headDim
    }
    @inline(__always) var rowStride: Int { kvHeads * headDim }
}

extension WorkerPool {
    /// Attention of one new position over positions 0..<length of the cache, every head.
    /// q (heads, headDim); out (heads, headDim); scratch (heads, ≥ length).
    public func attendDecode(q: UnsafePointer<Float>, cache: KVView, heads: Int, length: Int,
                             scratch: UnsafeMutablePointer<Float>, scratchStride: Int,
                             out: UnsafeMutablePointer<Float>) {
        let d = cache.headDim, stride = cache.rowStride
        let group = heads / cache.kvHeads
        let scale = 1 / Float(d).squareRoot()
        parallelFor(heads) { h in
            let g = h / group
            let qh = q + h * d
            let scores = scratch + h * scratchStride
            var k = UnsafePointer(cache.keys + g * d)
            for t in 0..<length {
                scores[t] = dotF32(k, qh, count: d) * scale
                k += stride
            }
            softmax(scores, count: length)
            let o = out + h * d
            o.update(repeating: 0, count: d)
            var v = UnsafePointer(cache.values + g * d)
            if d % 16 == 0 {
                for t in 0..<length {
                    let p = SIMD16<Float>(repeating: scores[t])
                    var i = 0
                    while i < d { store16(load16(o + i).addingProduct(p, load16(v + i)), o + i); i += 16 }
                    v += stride
                }
            } else {
                for t in 0..<length {
                    let p = scores[t]
                    for i in 0..<d { o[i] += p * v[i] }
                    v += stride
                }
            }
        }
    }

    /// Causal attention of `count` new positions (start..<start+count) over the cache, whose
    /// positions 0..<start+count are filled. q (count, heads · headDim); out the same;
    /// scores scratch (count, start + count).
    public func attendPrefill(q: UnsafePointer<Float>, cache: KVView, heads: Int, start: Int, count: Int,
                              scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let d = cache.headDim, stride = cache.rowStride
        let group = heads / cache.kvHeads
        let length = start + count
        let scale = 1 / Float(d).squareRoot()
        for h in 0..<heads {
            let g = h / group
            // scores (count, length) = scale · Q_h (count, d) · K_gᵀ (d, length)
            BLAS.sgemm(transB: true, m: count, n: length, k: d, alpha: scale,
                       a: q + h * d, lda: heads * d, b: cache.keys + g * d, ldb: stride,
                       c: scores, ldc: length)
            let rowsPerTask = max(8, count / (threadCount * 4))
            parallelFor((count + rowsPerTask - 1) / rowsPerTask) { task in
                for i in (task * rowsPerTask)..<min(count, (task + 1) * rowsPerTask) {
                    let row = scores + i * length
                    let visible = start + i + 1
                    softmax(row, count: visible)
                    (row + visible).update(repeating: 0, count: length - visible)
                }
            }
            // out_h (count, d) = P (count, length) · V_g (length, d)
            BLAS.sgemm(m: count, n: d, k: length, a: scores, lda: length,
                       b: cache.values + g * d, ldb: stride, c: out + h * d, ldc: heads * d)
        }
    }
}
