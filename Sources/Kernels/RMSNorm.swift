// RMSNorm (Zhang & Sennrich 2019, arXiv:1910.07467): y = x / sqrt(mean(x²) + ε) ⊙ w.

/// out (n) = x (n) / sqrt(mean(x²) + eps) ⊙ weight (n). `out` may alias `x`.
public func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float,
                    out: UnsafeMutablePointer<Float>, count n: Int) {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= n { let v = load16(x + i); acc = acc.addingProduct(v, v); i += 16 }
    var sum = horizontalSum(acc)
    while i < n { sum += x[i] * x[i]; i += 1 }
    let scale = 1 / (sum / Float(n) + eps).squareRoot()
    let sv = SIMD16<Float>(repeating: scale)
    i = 0
    while i + 16 <= n { store16(load16(x + i) * sv * load16(weight + i), out + i); i += 16 }
    while i < n { out[i] = x[i] * scale * weight[i]; i += 1 }
}

/// RMSNorm of each row of x (rows, n) into out (rows, n).
public func rmsNormRows(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float,
                        out: UnsafeMutablePointer<Float>, rows: Int, count n: Int) {
    for r in 0..<rows { rmsNorm(x + r * n, weight: weight, eps: eps, out: out + r * n, count: n) }
}
