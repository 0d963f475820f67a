// Causal prefill attention in SIMD on the worker pool: each task takes one head and a block of
// query rows, four rows at a time, so every key and value vector loaded serves four queries.
// Replaces thousands of small sgemm calls (each with packing and thread hand-offs).

extension WorkerPool {
    /// Causal attention of positions start..<start+count over the cache (filled up to
    /// start+count). q (count, heads · headDim); out the same. headDim must be a multiple of 16.
    func attendPrefillSIMD(q: UnsafePointer<Float>, cache: KVView, heads: Int, start: Int, count: Int,
                           out: UnsafeMutablePointer<Float>) {
        let d = cache.headDim, group = heads / cache.kvHeads
        let scale = 1 / Float(d).squareRoot()
        let rowsPerTask = 16
        let blocks = (count + rowsPerTask - 1) / rowsPerTask
        parallelFor(heads * blocks) { task in
            // Longest blocks (last rows see the most keys) first, for balance.
            let block = blocks - 1 - task / heads, h = task % heads
            let g = h / group
            let keys = UnsafePointer(cache.keys + g * d * cache.capacity)
            let values = UnsafePointer(cache.values + g * d)
            let first = block * rowsPerTask, last = min(count, first + rowsPerTask)
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * (start + last)) { buffer in
                let p = buffer.baseAddress!
                var r = first
                while r < last {
                    let n = min(4, last - r)
                    let length = start + r + n        // keys the last of these rows sees
                    let row0 = q + r * heads * d + h * d
                    func query(_ j: Int) -> UnsafePointer<Float> { row0 + min(j, n - 1) * heads * d }
                    scores4(query(0), query(1), query(2), query(3), keys: keys, stride: cache.capacity, d: d,
                            length: length, scale: scale, into: p)
                    for j in 0..<4 {
                        let row = p + j * length
                        let seen = min(start + r + j + 1, length)
                        softmax(row, count: seen)
                        (row + seen).update(repeating: 0, count: length - seen)
                    }
                    weightedValues4(p, length: length, values: values, stride: cache.rowStride, d: d, rows: n,
                                    out: out + r * heads * d + h * d, outStride: heads * d)
                    r += n
                }
            }
        }
    }
}

/// scores (4, length): row j holds scale · q_j · K[:, t]; K rows (d of them) are `stride` apart.
@inline(__always)
func scores4(_ q0: UnsafePointer<Float>, _ q1: UnsafePointer<Float>, _ q2: UnsafePointer<Float>, _ q3: UnsafePointer<Float>,
             keys k: UnsafePointer<Float>, stride: Int, d: Int, length: Int, scale: Float,
             into p: UnsafeMutablePointer<Float>) {
    let sv = SIMD16<Float>(repeating: scale)
    var t = 0
    while t + 32 <= length {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var b0 = SIMD16<Float>(), b1 = SIMD16<Float>(), b2 = SIMD16<Float>(), b3 = SIMD16<Float>()
        for i in 0..<d {
            let ka = load16(k + i * stride + t), kb = load16(k + i * stride + t + 16)
            let x0 = SIMD16<Float>(repeating: q0[i]), x1 = SIMD16<Float>(repeating: q1[i])
            let x2 = SIMD16<Float>(repeating: q2[i]), x3 = SIMD16<Float>(repeating: q3[i])
            a0 = a0.addingProduct(x0, ka); b0 = b0.addingProduct(x0, kb)
            a1 = a1.addingProduct(x1, ka); b1 = b1.addingProduct(x1, kb)
            a2 = a2.addingProduct(x2, ka); b2 = b2.addingProduct(x2, kb)
            a3 = a3.addingProduct(x3, ka); b3 = b3.addingProduct(x3, kb)
        }
        store16(a0 * sv, p + t); store16(b0 * sv, p + t + 16)
        store16(a1 * sv, p + length + t); store16(b1 * sv, p + length + t + 16)
        store16(a2 * sv, p + 2 * length + t); store16(b2 * sv, p + 2 * length + t + 16)
        store16(a3 * sv, p + 3 * length + t); store16(b3 * sv, p + 3 * length + t + 16)
        t += 32
    }
    while t < length {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        for i in 0..<d {
            let kv = k[i * stride + t]
            s0 += q0[i] * kv; s1 += q1[i] * kv; s2 += q2[i] * kv; s3 += q3[i] * kv
        }
        p[t] = s0 * scale; p[length + t] = s1 * scale; p[2 * length + t] = s2 * scale; p[3 * length + t] = s3 * scale
        t += 1
    }
}

/// out_j (d) = Σ_t P[j, t] · V[t] for the first `rows` of 4 probability rows P (4, length).
/// V rows are `stride` apart; out rows `outStride` apart.
@inline(__always)
func weightedValues4(_ p: UnsafePointer<Float>, length: Int, values v: UnsafePointer<Float>, stride: Int, d: Int,
                     rows: Int, out: UnsafeMutablePointer<Float>, outStride: Int) {
    var c = 0
    while c < d {   // 16 output lanes at a time, 4 rows, two position streams
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var b0 = SIMD16<Float>(), b1 = SIMD16<Float>(), b2 = SIMD16<Float>(), b3 = SIMD16<Float>()
        var t = 0
        while t + 2 <= length {
            let va = load16(v + t * stride + c), vb = load16(v + (t + 1) * stride + c)
            a0 = a0.addingProduct(SIMD16(repeating: p[t]), va); b0 = b0.addingProduct(SIMD16(repeating: p[t + 1]), vb)
            a1 = a1.addingProduct(SIMD16(repeating: p[length + t]), va); b1 = b1.addingProduct(SIMD16(repeating: p[length + t + 1]), vb)
            a2 = a2.addingProduct(SIMD16(repeating: p[2 * length + t]), va); b2 = b2.addingProduct(SIMD16(repeating: p[2 * length + t + 1]), vb)
            a3 = a3.addingProduct(SIMD16(repeating: p[3 * length + t]), va); b3 = b3.addingProduct(SIMD16(repeating: p[3 * length + t + 1]), vb)
            t += 2
        }
        if t < length {
            let va = load16(v + t * stride + c)
            a0 = a0.addingProduct(SIMD16(repeating: p[t]), va)
            a1 = a1.addingProduct(SIMD16(repeating: p[length + t]), va)
            a2 = a2.addingProduct(SIMD16(repeating: p[2 * length + t]), va)
            a3 = a3.addingProduct(SIMD16(repeating: p[3 * length + t]), va)
        }
        store16(a0 + b0, out + c)
        if rows > 1 { store16(a1 + b1, out + outStride + c) }
        if rows > 2 { store16(a2 + b2, out + 2 * outStride + c) }
        if rows > 3 { store16(a3 + b3, out + 3 * outStride + c) }
        c += 16
    }
}
