// Dense layers of the BERT encoder: OpenBLAS sgemm for batches, and for a few rows (a search
// query) a register-blocked kernel over pre-transposed weights on the shared worker pool, which
// skips the per-call weight packing that dominates sgemm at M ≈ 16.
import Kernels

/// A linear layer y = x · W + b with W stored transposed, (in, out) row-major.
struct BertLinear: Sendable {
    /// (in, out)
    let weightT: [Float]
    /// (out)
    let bias: [Float]
    let inputs: Int
    let outputs: Int

    /// From PyTorch's (out, in) layout.
    init(weight: [Float], bias: [Float], inputs: Int, outputs: Int) {
        precondition(weight.count == inputs * outputs && bias.count == outputs, "linear layer shape mismatch")
        var transposed = [Float](repeating: 0, count: weight.count)
        for o in 0..<outputs { for i in 0..<inputs { transposed[i * outputs + o] = weight[o * inputs + i] } }
        weightT = transposed
        self.bias = bias
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Rows up to this count use the small kernel.
    static let smallRowLimit = 48

    /// y (rows, out) = x (rows, in) · W + b (the bias is added unless `addBias` is false).
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, addBias: Bool = true) {
        if rows <= Self.smallRowLimit && outputs % 64 == 0 {
            applySmall(x, rows: rows, into: y, addBias: addBias)
            return
        }
        weightT.withUnsafeBufferPointer { w in
            BLAS.sgemm(m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: w.baseAddress!, ldb: outputs, c: y, ldc: outputs)
        }
        guard addBias else { return }
        bias.withUnsafeBufferPointer { b in
            for r in 0..<rows {
                let row = y + r * outputs
                for j in 0..<outputs { row[j] += b[j] }
            }
        }
    }

    /// 64 output columns per task, 4 rows × 64 columns of accumulators per step of k.
    private func applySmall(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, addBias: Bool) {
        let k = inputs, o = outputs
        let io = SmallKernelPointers(x: x, y: y)
        weightT.withUnsafeBufferPointer { wBuffer in
            bias.withUnsafeBufferPointer { bBuffer in
                let w = wBuffer.baseAddress!, b = bBuffer.baseAddress!
                WorkerPool.shared.parallelFor(o / 64) { block in
                    let column = block * 64
                    let b0 = addBias ? load16(b + column) : SIMD16<Float>(), b1 = addBias ? load16(b + column + 16) : SIMD16<Float>()
                    let b2 = addBias ? load16(b + column + 32) : SIMD16<Float>(), b3 = addBias ? load16(b + column + 48) : SIMD16<Float>()
                    var r = 0
                    while r < rows {
                        let x0 = io.x + r * k, x1 = io.x + min(r + 1, rows - 1) * k
                        let x2 = io.x + min(r + 2, rows - 1) * k, x3 = io.x + min(r + 3, rows - 1) * k
                        var a00 = b0, a01 = b1, a02 = b2, a03 = b3
                        var a10 = b0, a11 = b1, a12 = b2, a13 = b3
                        var a20 = b0, a21 = b1, a22 = b2, a23 = b3
                        var a30 = b0, a31 = b1, a32 = b2, a33 = b3
                        var wk = w + column
                        for i in 0..<k {
                            let w0 = load16(wk), w1 = load16(wk + 16), w2 = load16(wk + 32), w3 = load16(wk + 48)
                            let v0 = SIMD16<Float>(repeating: x0[i]), v1 = SIMD16<Float>(repeating: x1[i])
                            let v2 = SIMD16<Float>(repeating: x2[i]), v3 = SIMD16<Float>(repeating: x3[i])
                            a00 = a00.addingProduct(v0, w0); a01 = a01.addingProduct(v0, w1)
                            a02 = a02.addingProduct(v0, w2); a03 = a03.addingProduct(v0, w3)
                            a10 = a10.addingProduct(v1, w0); a11 = a11.addingProduct(v1, w1)
                            a12 = a12.addingProduct(v1, w2); a13 = a13.addingProduct(v1, w3)
                            a20 = a20.addingProduct(v2, w0); a21 = a21.addingProduct(v2, w1)
                            a22 = a22.addingProduct(v2, w2); a23 = a23.addingProduct(v2, w3)
                            a30 = a30.addingProduct(v3, w0); a31 = a31.addingProduct(v3, w1)
                            a32 = a32.addingProduct(v3, w2); a33 = a33.addingProduct(v3, w3)
                            wk += o
                        }
                        let valid = min(4, rows - r)
                        let y0 = io.y + r * o + column
                        store16(a00, y0); store16(a01, y0 + 16); store16(a02, y0 + 32); store16(a03, y0 + 48)
                        if valid > 1 { let y1 = y0 + o; store16(a10, y1); store16(a11, y1 + 16); store16(a12, y1 + 32); store16(a13, y1 + 48) }
                        if valid > 2 { let y2 = y0 + 2 * o; store16(a20, y2); store16(a21, y2 + 16); store16(a22, y2 + 32); store16(a23, y2 + 48) }
                        if valid > 3 { let y3 = y0 + 3 * o; store16(a30, y3); store16(a31, y3 + 16); store16(a32, y3 + 32); store16(a33, y3 + 48) }
                        r += 4
                    }
                }
            }
        }
    }
}

/// Input and output of one small product, shared by the pool's threads (disjoint column blocks).
private struct SmallKernelPointers: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let y: UnsafeMutablePointer<Float>
}
