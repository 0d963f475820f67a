// Scaled dot-product attention (Vaswani et al. 2017) over a KV cache, with grouped-query heads
// (Ainslie et al. 2023, arXiv:2305.13245): one query position (decode) or a causal block (prefill).

/// Where one layer's cached keys and values live. Keys are stored transposed, one row per
/// (KV head, dimension) over positions: keys (kvHeads · headDim, capacity), so scores for 16
/// positions come from 16-lane FMAs without horizontal sums. Values are position rows:
/// values (capacity, kvHeads · headDim).
public struct KVView: @unchecked Sendable {
    public let keys: UnsafeMutablePointer<Float>
    public let values: UnsafeMutablePointer<Float>
    public let kvHeads: Int
    public let headDim: Int
    public let capacity: Int
    public init(keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>, kvHeads: Int, headDim: Int, capacity: Int) {
        self.keys = keys
        self.values = values
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.capacity = capacity
    }
    @inline(__always) var rowStride: Int { kvHeads * headDim }

    /// Stores one position's keys k (kvHeads · headDim) and values v (the same).
    @inline(__always)
    public func store(position: Int, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>) {
        for j in 0..<rowStride { keys[j * capacity + position] = k[j] }
        (values + position * rowStride).update(from: v, count: rowStride)
    }
}

/// scores[t] = Σ_i q[i] · K[i, t] for t in 0..<length; K rows are `stride` apart. q (d).
@inline(__always)
func transposedScores(_ q: UnsafePointer<Float>, _ k: UnsafePointer<Float>, stride: Int, d: Int,
                      length: Int, scale: Float, into scores: UnsafeMutablePointer<Float>) {
    var t = 0
    while t + 64 <= length {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        for i in 0..<d {
            let qi = SIMD16<Float>(repeating: q[i])
            let row = k + i * stride + t
            a0 = a0.addingProduct(qi, load16(row))
            a1 = a1.addingProduct(qi, load16(row + 16))
            a2 = a2.addingProduct(qi, load16(row + 32))
            a3 = a3.addingProduct(qi, load16(row + 48))
        }
        let sv = SIMD16<Float>(repeating: scale)
        store16(a0 * sv, scores + t)
        store16(a1 * sv, scores + t + 16)
        store16(a2 * sv, scores + t + 32)
        store16(a3 * sv, scores + t + 48)
        t += 64
    }
    while t + 16 <= length {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
        var i = 0
        while i + 2 <= d {
            a0 = a0.addingProduct(SIMD16(repeating: q[i]), load16(k + i * stride + t))
            a1 = a1.addingProduct(SIMD16(repeating: q[i + 1]), load16(k + (i + 1) * stride + t))
            i += 2
        }
        if i < d { a0 = a0.addingProduct(SIMD16(repeating: q[i]), load16(k + i * stride + t)) }
        store16((a0 + a1) * SIMD16(repeating: scale), scores + t)
        t += 16
    }
    while t < length {
        var s: Float = 0
        for i in 0..<d { s += q[i] * k[i * stride + t] }
        scores[t] = s * scale
        t += 1
    }
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
        if d == 64 {
            attendDecodeSplit(q: q, cache: cache, heads: heads, length: length, scratch: scratch,
                              scratchStride: scratchStride, out: out)
            return
        }
        parallelFor(heads) { h in
            let g = h / group
            let qh = q + h * d
            let scores = scratch + h * scratchStride
            transposedScores(qh, cache.keys + g * d * cache.capacity, stride: cache.capacity, d: d,
                             length: length, scale: scale, into: scores)
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

    /// Decode attention for 64-wide heads, split by position: each thread takes one range of the
    /// cache (multiples of 16 positions) for every head, so the threads stay balanced (9 heads over
    /// 2 threads left one idle for a ninth of the time) and the range's keys and values are read
    /// while they are in cache for the group's heads. Each range keeps its softmax maximum, sum and
    /// unnormalised output in registers; the ranges then merge as in flash-decoding (Dao et al. 2023).
    private func attendDecodeSplit(q: UnsafePointer<Float>, cache: KVView, heads: Int, length: Int,
                                   scratch: UnsafeMutablePointer<Float>, scratchStride: Int,
                                   out: UnsafeMutablePointer<Float>) {
        let d = 64, stride = cache.rowStride
        let group = heads / cache.kvHeads
        let scale = 1 / Float(d).squareRoot()
        // Below 64 positions a range costs more in hand-offs than it saves.
        let parts = max(1, min(threadCount, length / 64))
        let record = d + 2  // maximum, sum, then the unnormalised output
        withUnsafeTemporaryAllocation(of: Float.self, capacity: parts * heads * record) { buffer in
            let partials = buffer.baseAddress!
            parallelFor(parts) { part in
                let lo = part == 0 ? 0 : length * part / parts / 16 * 16
                let hi = part + 1 == parts ? length : length * (part + 1) / parts / 16 * 16
                let count = hi - lo
                for h in 0..<heads {
                    let g = h / group
                    let scores = scratch + h * scratchStride + lo
                    transposedScores(q + h * d, cache.keys + g * d * cache.capacity + lo, stride: cache.capacity, d: d,
                                     length: count, scale: scale, into: scores)
                    let (maximum, sum) = exponentiate(scores, count: count)
                    // o = Σ_t e_t · v_t over the range, two positions at a time (8 FMA chains).
                    var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
                    var b0 = SIMD16<Float>(), b1 = SIMD16<Float>(), b2 = SIMD16<Float>(), b3 = SIMD16<Float>()
                    var v = UnsafePointer(cache.values + lo * stride + g * d)
                    var t = 0
                    while t + 2 <= count {
                        let e = SIMD16<Float>(repeating: scores[t]), f = SIMD16<Float>(repeating: scores[t + 1])
                        let w = v + stride
                        a0 = a0.addingProduct(e, load16(v)); a1 = a1.addingProduct(e, load16(v + 16))
                        a2 = a2.addingProduct(e, load16(v + 32)); a3 = a3.addingProduct(e, load16(v + 48))
                        b0 = b0.addingProduct(f, load16(w)); b1 = b1.addingProduct(f, load16(w + 16))
                        b2 = b2.addingProduct(f, load16(w + 32)); b3 = b3.addingProduct(f, load16(w + 48))
                        v += 2 * stride
                        t += 2
                    }
                    if t < count {
                        let e = SIMD16<Float>(repeating: scores[t])
                        a0 = a0.addingProduct(e, load16(v)); a1 = a1.addingProduct(e, load16(v + 16))
                        a2 = a2.addingProduct(e, load16(v + 32)); a3 = a3.addingProduct(e, load16(v + 48))
                    }
                    let r = partials + (part * heads + h) * record
                    r[0] = maximum
                    r[1] = sum
                    store16(a0 + b0, r + 2); store16(a1 + b1, r + 18); store16(a2 + b2, r + 34); store16(a3 + b3, r + 50)
                }
            }
            // Merge: weight each range by exp(its maximum − the overall maximum).
            for h in 0..<heads {
                var maximum = -Float.infinity
                for part in 0..<parts { maximum = max(maximum, partials[(part * heads + h) * record]) }
                var total: Float = 0
                var o0 = SIMD16<Float>(), o1 = SIMD16<Float>(), o2 = SIMD16<Float>(), o3 = SIMD16<Float>()
                for part in 0..<parts {
                    let r = partials + (part * heads + h) * record
                    let weight = fastExp(r[0] - maximum)
                    total += weight * r[1]
                    let w = SIMD16<Float>(repeating: weight)
                    o0 = o0.addingProduct(w, load16(r + 2)); o1 = o1.addingProduct(w, load16(r + 18))
                    o2 = o2.addingProduct(w, load16(r + 34)); o3 = o3.addingProduct(w, load16(r + 50))
                }
                let inverse = SIMD16<Float>(repeating: 1 / total), o = out + h * d
                store16(o0 * inverse, o); store16(o1 * inverse, o + 16)
                store16(o2 * inverse, o + 32); store16(o3 * inverse, o + 48)
            }
        }
    }

    /// Causal attention of `count` new positions (start..<start+count) over the cache, whose
    /// positions 0..<start+count are filled. q (count, heads · headDim); out the same;
    /// scores scratch (count, start + count).
    public func attendPrefill(q: UnsafePointer<Float>, cache: KVView, heads: Int, start: Int, count: Int,
                              scores: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let d = cache.headDim, stride = cache.rowStride
        if d % 16 == 0 {
            attendPrefillSIMD(q: q, cache: cache, heads: heads, start: start, count: count, out: out)
            return
        }
        let group = heads / cache.kvHeads
        let scale = 1 / Float(d).squareRoot()
        // Query rows go in blocks so each block multiplies only the keys it can see (causal):
        // about half the work of the full (count, length) product.
        let blockRows = 128
        for h in 0..<heads {
            let g = h / group
            var first = 0
            while first < count {
                let rows = min(blockRows, count - first)
                let visible = start + first + rows          // keys the block's last row sees
                // scores (rows, visible) = scale · Q_h[first..] (rows, d) · K_g (d, visible)
                BLAS.sgemm(m: rows, n: visible, k: d, alpha: scale,
                           a: q + first * heads * d + h * d, lda: heads * d,
                           b: cache.keys + g * d * cache.capacity, ldb: cache.capacity,
                           c: scores, ldc: visible)
                let rowsPerTask = max(8, rows / (threadCount * 4))
                parallelFor((rows + rowsPerTask - 1) / rowsPerTask) { task in
                    for i in (task * rowsPerTask)..<min(rows, (task + 1) * rowsPerTask) {
                        let row = scores + i * visible
                        let seen = start + first + i + 1
                        softmax(row, count: seen)
                        (row + seen).update(repeating: 0, count: visible - seen)
                    }
                }
                // out_h[first..] (rows, d) = P (rows, visible) · V_g (visible, d)
                BLAS.sgemm(m: rows, n: d, k: visible, a: scores, lda: visible,
                           b: cache.values + g * d, ldb: stride, c: out + first * heads * d + h * d, ldc: heads * d)
                first += rows
            }
        }
    }
}
