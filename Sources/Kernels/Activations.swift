// Softmax, SiLU and the SwiGLU gate (Shazeer 2020, arXiv:2002.05202) on f32 vectors.

/// In-place softmax of x (n): exp(x − max) / Σ.
public func softmax(_ x: UnsafeMutablePointer<Float>, count n: Int) {
    guard n > 0 else { return }
    let inv = 1 / exponentiate(x, count: n).sum
    let iv = SIMD16<Float>(repeating: inv)
    var i = 0
    while i + 16 <= n { store16(load16(x + i) * iv, x + i); i += 16 }
    while i < n { x[i] *= inv; i += 1 }
}

/// x[i] = exp(x[i] − max x) for n ≥ 1 values; returns the maximum and the sum of the results.
@inline(__always)
func exponentiate(_ x: UnsafeMutablePointer<Float>, count n: Int) -> (maximum: Float, sum: Float) {
    var i = 0
    var maxV = SIMD16<Float>(repeating: -.infinity)
    while i + 16 <= n { maxV = pointwiseMax(maxV, load16(x + i)); i += 16 }
    var m = horizontalMax(maxV)
    while i < n { m = max(m, x[i]); i += 1 }
    let mv = SIMD16<Float>(repeating: m)
    var sumV = SIMD16<Float>()
    var sum: Float = 0
    i = 0
    while i + 16 <= n {
        let e = fastExp(load16(x + i) - mv)
        store16(e, x + i)
        sumV += e
        i += 16
    }
    while i < n {
        x[i] = fastExp(x[i] - m)
        sum += x[i]
        i += 1
    }
    return (m, sum + horizontalSum(sumV))
}

/// SiLU (x · σ(x)) of 16 lanes.
@inline(__always)
public func silu(_ x: SIMD16<Float>) -> SIMD16<Float> {
    x / (SIMD16(repeating: 1) + fastExp(-x))
}

/// out = SiLU(gate) ⊙ up, all (n). `out` may alias `gate`.
public func swiGLU(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, count n: Int) {
    var i = 0
    while i + 16 <= n {
        store16(silu(load16(gate + i)) * load16(up + i), out + i)
        i += 16
    }
    while i < n {
        let g = gate[i]
        out[i] = g / (1 + fastExp(-g)) * up[i]
        i += 1
    }
}
