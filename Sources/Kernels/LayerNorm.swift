// Layer normalisation over the last dimension, alone or fused with a residual add, SIMD16.
// Ba, Kiros & Hinton 2016, arXiv:1607.06450: y = (x − mean) / sqrt(var + eps) · gamma + beta,
// with the biased variance, as BERT and PyTorch's nn.LayerNorm compute it.

/// Row-wise layer normalisation of row-major (rows, width) buffers.
public enum LayerNorm {
    /// x[r] = LN(x[r]) in place.
    public static func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                             gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
        for r in 0..<rows {
            normalizeRow(x + r * width, width: width, gamma: gamma, beta: beta, epsilon: epsilon)
        }
    }

    /// x[r] = LN(x[r] + y[r] + bias) in place: BERT's "dense → dropout → add residual → LayerNorm".
    public static func addApply(_ x: UnsafeMutablePointer<Float>, adding y: UnsafePointer<Float>,
                                bias: UnsafePointer<Float>?, rows: Int, width: Int,
                                gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
        for r in 0..<rows {
            let row = x + r * width
            let other = y + r * width
            for c in 0..<width { row[c] += other[c] + (bias?[c] ?? 0) }
            normalizeRow(row, width: width, gamma: gamma, beta: beta, epsilon: epsilon)
        }
    }

    @inline(__always)
    static func normalizeRow(_ row: UnsafeMutablePointer<Float>, width: Int,
                             gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
        let vectorWidth = width & ~15
        // Pass 1: mean.
        var sum = SIMD16<Float>()
        var c = 0
        while c < vectorWidth { sum += load(row + c); c += 16 }
        var total = horizontalSum(sum)
        while c < width { total += row[c]; c += 1 }
        let mean = total / Float(width)
        // Pass 2: variance of the centred values (stable for large means).
        var squares = SIMD16<Float>()
        c = 0
        while c < vectorWidth { let d = load(row + c) - mean; squares = squares.addingProduct(d, d); c += 16 }
        var variance = horizontalSum(squares)
        while c < width { let d = row[c] - mean; variance += d * d; c += 1 }
        variance /= Float(width)
        let scale = 1 / (variance + epsilon).squareRoot()
        // Pass 3: scale and shift.
        c = 0
        while c < vectorWidth {
            let y = (load(row + c) - mean) * scale * load(gamma + c) + load(beta + c)
            UnsafeMutableRawPointer(row + c).storeBytes(of: y, as: SIMD16<Float>.self)
            c += 16
        }
        while c < width { row[c] = (row[c] - mean) * scale * gamma[c] + beta[c]; c += 1 }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// Tree sum of 16 lanes (PERFORMANCE.md trap 2: `wrappedSum()` may not inline).
    @inline(__always) static func horizontalSum(_ v: SIMD16<Float>) -> Float {
        let a = v.lowHalf + v.highHalf
        let b = a.lowHalf + a.highHalf
        let c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }
}
