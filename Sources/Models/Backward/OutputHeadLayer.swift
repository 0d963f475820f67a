// Tied output head (logits = x · Eᵀ with the token embedding E) fused with softmax cross-entropy,
// forward and backward in one pass over chunks of rows, so (N, V) logits never exist at once.
import Foundation
import Kernels

/// Scratch for the head: a few rows at a time.
struct OutputHeadScratch: @unchecked Sendable {
    let rows: Int
    /// (rows, V)
    let logits: TrainingTensor
    /// (rows, C) gathered inputs, then their gradients.
    let x: TrainingTensor
    let dx: TrainingTensor
    /// (rows) per-row loss
    let rowLoss: TrainingTensor

    init(rows: Int, vocab: Int, dim: Int) {
        rowLoss = TrainingTensor(count: rows)
        self.rows = rows
        logits = TrainingTensor(count: rows * vocab)
        x = TrainingTensor(count: rows * dim)
        dx = TrainingTensor(count: rows * dim)
    }
}

enum OutputHeadLayer {
    /// Cross-entropy of the rows of xf (N, C) whose target (N) is ≥ 0, against logits xf·Eᵀ,
    /// E (V, C). Returns the summed loss (nats) and the number of target rows. When `dxf` is
    /// given, writes dxf (N, C) = gradScale · (softmax − onehot) · E for target rows and 0 elsewhere.
    static func forwardBackward(xf: UnsafePointer<Float>, targets: UnsafePointer<Int32>, embedding: UnsafePointer<Float>,
                                n: Int, c: Int, vocab: Int, gradScale: Float, dxf: UnsafeMutablePointer<Float>?,
                                scratch: OutputHeadScratch, pool: WorkerPool? = nil) -> (lossSum: Double, count: Int) {
        if let dxf { dxf.update(repeating: 0, count: n * c) }
        let rows = (0..<n).filter { targets[$0] >= 0 }
        var lossSum = 0.0
        var start = 0
        while start < rows.count {
            let chunk = Array(rows[start..<min(rows.count, start + scratch.rows)])
            for (i, row) in chunk.enumerated() {
                (scratch.x.pointer + i * c).update(from: xf + row * c, count: c)
            }
            // logits (m, V) = x (m, C) · Eᵀ
            BLAS.sgemm(transB: true, m: chunk.count, n: vocab, k: c, a: scratch.x.pointer, lda: c,
                       b: embedding, ldb: c, c: scratch.logits.pointer, ldc: vocab)
            // Softmax cross-entropy per row, rows split over the pool; losses summed in row order.
            let losses = scratch.rowLoss.pointer
            SwiGLULayer.rows(chunk.count, pool) { range in
                for i in range {
                    let l = scratch.logits.pointer + i * vocab
                    let target = Int(targets[chunk[i]])
                    let m = VectorMath.max(l, vocab)
                    let targetLogit = l[target]
                    let total = VectorMath.expShifted(l, vocab, shift: m)
                    losses[i] = Float(Double(m) + log(Double(total)) - Double(targetLogit))
                    // dlogits = gradScale · (softmax − onehot), in place
                    VectorMath.scale(l, vocab, by: gradScale / total)
                    l[target] -= gradScale
                }
            }
            for i in 0..<chunk.count { lossSum += Double(losses[i]) }
            if let dxf {
                // dx (m, C) = dlogits (m, V) · E (V, C)
                BLAS.sgemm(m: chunk.count, n: c, k: vocab, a: scratch.logits.pointer, lda: vocab,
                           b: embedding, ldb: c, c: scratch.dx.pointer, ldc: c)
                for (i, row) in chunk.enumerated() {
                    (dxf + row * c).update(from: scratch.dx.pointer + i * c, count: c)
                }
            }
            start += scratch.rows
        }
        return (lossSum, rows.count)
    }
}
