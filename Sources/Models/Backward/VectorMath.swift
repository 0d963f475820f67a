// Small SIMD helpers shared by the training layers: dot products, sums and a vectorised exp.
// exp: Cephes `expf` range reduction and polynomial (S. L. Moshier), evaluated 16 lanes at a time.

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
        var acc = SIMD16<Float>(repeating: -Float.infinity)
        var i = 0
        while i + 16 <= n {
            acc = pointwiseMax(acc, UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self))
            i += 16
        }
        var best = acc.max()
        while i < n { if a[i] > best { best = a[i] }; i += 1 }
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
            var v = SIMD16<Float>(repeating: -Float.infinity)
            for j in 0..<(n - i) { v[j] = a[i + j] }
            let e = exp(v - s)
            for j in 0..<(n - i) { a[i + j] = e[j]; acc[j] += e[j] }
        }
        return horizontalSum(acc)
    }

    /// a[i] *= s for n elements.
    @inline(__always)
    static func scale(_ a: UnsafeMutablePointer<Float>, _ n: Int, by s: Float) {
        for i in 0..<n { a[i] *= s }
    }
}
