// Small SIMD helpers shared by the training layers: dot products, sums and a vectorised exp.
// exp: Cephes `expf` range reduction and polynomial (S. L. Moshier), evaluated 16 lanes at a time.
import Kernels

enum VectorMath {
    /// Σ a[i]·b[i] over n elements, 16 lanes at a time (tree-free but 16 independent partial sums).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            let va = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            let vb = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
            acc = acc.addingProduct(va, vb)
            i += 16
        }
        var total = horizontalSum(acc)
        while i < n { total += a[i] * b[i]; i += 1 }
        return total
    }

    /// Σ a[i] over n elements.
    @inline(__always)
    static func sum(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= n {
            acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var total = horizontalSum(acc)
        while i < n { total += a[i]; i += 1 }
        return total
    }

    /// max a[i] over n ≥ 1 elements.
    @inline(__always)
    static func max(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
        // `replace(with:where:)` compiles to one vmaxps per vector; `pointwiseMax` on a loop-carried
        // SIMD16 and `SIMD16.max()` went lane by lane through the stack (PERFORMANCE.md, trap 2).
        var acc = SIMD16<Float>(repeating: -Float.infinity)
        var i = 0
        while i + 16 <= n {
            let v = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            acc.replace(with: v, where: v .> acc)
            i += 16
        }
        var best = -Float.infinity
        for j in 0..<16 { best = Swift.max(best, acc[j]) }
        while i < n { best = Swift.max(best, a[i]); i += 1 }
        return best
    }

    @inline(__always)
    static func horizontalSum(_ v: SIMD16<Float>) -> Float {
        let h8 = v.lowHalf + v.highHalf
        let h4 = h8.lowHalf + h8.highHalf
        let h2 = h4.lowHalf + h4.highHalf
        return h2[0] + h2[1]
    }

    /// e^x for 16 lanes; relative error ≈ 2e-7 on [-87, 88]; inputs below -87 give ≈ 0.
    @inline(__always)
    static func exp(_ input: SIMD16<Float>) -> SIMD16<Float> {
        let x = pointwiseMax(pointwiseMin(input, SIMD16(repeating: 88.0)), SIMD16(repeating: -87.0))
        // n = round(x / ln 2) by the 1.5·2^23 trick; its low bits hold n + 2^22.
        let magic = SIMD16<Float>(repeating: 12_582_912.0)
        let t = x * SIMD16(repeating: 1.442_695_04) + magic
        let n = t - magic
        var r = x - n * SIMD16(repeating: 0.693_359_375)
        r = r - n * SIMD16(repeating: -2.121_944_4e-4)
        var p = SIMD16<Float>(repeating: 1.987_569_15e-4)
        p = p * r + SIMD16(repeating: 1.398_199_95e-3)
        p = p * r + SIMD16(repeating: 8.333_451_9e-3)
        p = p * r + SIMD16(repeating: 4.166_579_59e-2)
        p = p * r + SIMD16(repeating: 1.666_666_55e-1)
        p = p * r + SIMD16(repeating: 5.000_000_12e-1)
        let er = p * r * r + r + SIMD16(repeating: 1)
        let bits = unsafeBitCast(t, to: SIMD16<UInt32>.self) &- SIMD16(repeating: 0x4B40_0000 &- 127)
        let scale = unsafeBitCast(bits &<< SIMD16(repeating: 23), to: SIMD16<Float>.self)
        return er * scale
    }

    /// a[i] = exp(a[i] - shift) for n elements; returns Σ of the results.
    @inline(__always)
    static func expShifted(_ a: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        let s = SIMD16<Float>(repeating: shift)
        var i = 0
        while i + 16 <= n {
            let raw = UnsafeMutableRawPointer(a + i)
            let e = exp(raw.loadUnaligned(as: SIMD16<Float>.self) - s)
            raw.storeBytes(of: e, as: SIMD16<Float>.self)
            acc += e
            i += 16
        }
        if i < n {
            // The tail through a stack vector filled by memcpy: indexing lanes one by one goes
            // through the stack lane by lane and cost more than the rest of a short row.
            let rest = n - i
            var v = SIMD16<Float>(repeating: 0)
            withUnsafeMutableBytes(of: &v) { $0.baseAddress!.copyMemory(from: a + i, byteCount: rest * 4) }
            var e = exp(v - s)
            withUnsafeMutableBytes(of: &e) { raw in
                UnsafeMutableRawPointer(a + i).copyMemory(from: raw.baseAddress!, byteCount: rest * 4)
                (raw.baseAddress! + rest * 4).initializeMemory(as: UInt8.self, repeating: 0, count: (16 - rest) * 4)
            }
            acc += e
        }
        return horizontalSum(acc)
    }

    /// a[i] *= s for n elements.
    @inline(__always)
    static func scale(_ a: UnsafeMutablePointer<Float>, _ n: Int, by s: Float) {
        let sv = SIMD16<Float>(repeating: s)
        var i = 0
        while i + 16 <= n {
            let raw = UnsafeMutableRawPointer(a + i)
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD16<Float>.self) * sv, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { a[i] *= s; i += 1 }
    }

    /// The softmax backward of one row, in place: d[i] = p[i] · (d[i] − rowDot) · scale, where
    /// rowDot = Σ p·d over the row.
    @inline(__always)
    static func softmaxGradient(p: UnsafePointer<Float>, d: UnsafeMutablePointer<Float>, _ n: Int, rowDot: Float, scale: Float) {
        let sv = SIMD16<Float>(repeating: rowDot), kv = SIMD16<Float>(repeating: scale)
        var i = 0
        while i + 16 <= n {
            let pv = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            let raw = UnsafeMutableRawPointer(d + i)
            raw.storeBytes(of: pv * (raw.loadUnaligned(as: SIMD16<Float>.self) - sv) * kv, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { d[i] = p[i] * (d[i] - rowDot) * scale; i += 1 }
    }

    /// out (rows, columns) = a + b, rows split over the pool.
    static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                    rows: Int, columns: Int, pool: WorkerPool?) {
        SwiGLULayer.rows(rows, pool) { range in
            let start = range.lowerBound * columns, count = range.count * columns
            for i in start..<(start + count) { out[i] = a[i] + b[i] }
        }
    }
}
