// Tied output head (logits = x · Eᵀ with the token embedding E) fused with softmax cross-entropy,
// forward and backward in one pass over chunks of rows, so (N, V) logits never exist at once.
// Only rows that carry a loss are computed (exact: the others contribute nothing to loss or gradient).
import Foundation
import Kernels

/// Scratch for the head: per thread, a few rows at a time.
struct OutputHeadScratch: @unchecked Sendable {
    /// One thread's buffers.
    struct Slot {
        /// (rows, V)
        let logits: TrainingTensor
        /// (rows, C) gathered inputs, then their gradients.
        let x: TrainingTensor
        let dx: TrainingTensor
    }

    let rows: Int
    let slots: [Slot]

    /// Buffers for chunks of up to `rows` rows, `slots` chunks in flight at once (one per thread).
    init(rows: Int, vocab: Int, dim: Int, slots: Int = 1) {
        self.rows = max(1, rows)
        self.slots = (0..<max(1, slots)).map { _ in
            Slot(logits: TrainingTensor(count: max(1, rows) * vocab), x: TrainingTensor(count: max(1, rows) * dim),
                 dx: TrainingTensor(count: max(1, rows) * dim))
        }
    }
}

enum OutputHeadLayer {
    /// Cross-entropy of the rows of xf (N, C) whose target (N) is ≥ 0, against logits xf·Eᵀ,
    /// E (V, C). Returns the summed loss (nats) and the number of target rows. When `dxf` is
    /// given, writes dxf (N, C) = gradScale · (softmax − onehot) · E for target rows and 0 elsewhere.
    /// With a pool and several scratch slots, chunks run on the pool's threads (single-threaded sgemm
    /// each); losses are summed in row order either way, so the result does not depend on the split.
    static func forwardBackward(xf: UnsafePointer<Float>, targets: UnsafePointer<Int32>, embedding: UnsafePointer<Float>,
                                n: Int, c: Int, vocab: Int, gradScale: Float, dxf: UnsafeMutablePointer<Float>?,
                                scratch: OutputHeadScratch, pool: WorkerPool? = nil) -> (lossSum: Double, count: Int) {
        if let dxf { dxf.update(repeating: 0, count: n * c) }
        let rows = (0..<n).filter { targets[$0] >= 0 }
        guard !rows.isEmpty else { return (0, 0) }
        let parallel = pool.map { $0.threadCount > 1 && scratch.slots.count > 1 } ?? false
        let lanes = parallel ? min(scratch.slots.count, pool?.threadCount ?? 1) : 1
        // Chunks: a multiple of the thread count, of balanced size ≤ scratch.rows.
        var chunkCount = (rows.count + scratch.rows - 1) / scratch.rows
        chunkCount = max(1, min(rows.count, (chunkCount + lanes - 1) / lanes * lanes))
        let chunkSize = (rows.count + chunkCount - 1) / chunkCount
        var losses = [Float](repeating: 0, count: rows.count)
        losses.withUnsafeMutableBufferPointer { lossBuffer in
            let lossPointer = lossBuffer.baseAddress!  // rows is non-empty
            rows.withUnsafeBufferPointer { rowBuffer in
                let rowPointer = rowBuffer.baseAddress!
                func process(_ chunk: Int, _ slot: OutputHeadScratch.Slot) {
                    let lo = chunk * chunkSize, hi = min(rows.count, lo + chunkSize)
                    guard hi > lo else { return }
                    run(rows: UnsafeBufferPointer(start: rowPointer + lo, count: hi - lo), losses: lossPointer + lo,
                        xf: xf, targets: targets, embedding: embedding, c: c, vocab: vocab, gradScale: gradScale,
                        dxf: dxf, slot: slot)
                }
                if parallel, let pool {
                    let slots = SlotAllocator(count: lanes)
                    BLAS.singleThreaded {
                        pool.parallelFor(chunkCount) { chunk in
                            let s = slots.acquire()
                            defer { slots.release(s) }
                            process(chunk, scratch.slots[s])
                        }
                    }
                } else {
                    for chunk in 0..<chunkCount { process(chunk, scratch.slots[0]) }
                }
            }
        }
        var lossSum = 0.0
        for loss in losses { lossSum += Double(loss) }
        return (lossSum, rows.count)
    }

    /// One chunk of m target rows: logits, softmax cross-entropy (per-row loss into `losses`) and,
    /// when dxf is given, the rows' input gradients.
    static func run(rows: UnsafeBufferPointer<Int>, losses: UnsafeMutablePointer<Float>, xf: UnsafePointer<Float>,
                    targets: UnsafePointer<Int32>, embedding: UnsafePointer<Float>, c: Int, vocab: Int, gradScale: Float,
                    dxf: UnsafeMutablePointer<Float>?, slot: OutputHeadScratch.Slot) {
        let m = rows.count
        for (i, row) in rows.enumerated() {
            (slot.x.pointer + i * c).update(from: xf + row * c, count: c)
        }
        // logits (m, V) = x (m, C) · Eᵀ
        BLAS.sgemm(transB: true, m: m, n: vocab, k: c, a: slot.x.pointer, lda: c,
                   b: embedding, ldb: c, c: slot.logits.pointer, ldc: vocab)
        for i in 0..<m {
            let l = slot.logits.pointer + i * vocab
            let target = Int(targets[rows[i]])
            let mx = VectorMath.max(l, vocab)
            let targetLogit = l[target]
            let total = VectorMath.expShifted(l, vocab, shift: mx)
            losses[i] = Float(Double(mx) + log(Double(total)) - Double(targetLogit))
            // dlogits = gradScale · (softmax − onehot), in place
            VectorMath.scale(l, vocab, by: gradScale / total)
            l[target] -= gradScale
        }
        guard let dxf else { return }
        // dx (m, C) = dlogits (m, V) · E (V, C)
        BLAS.sgemm(m: m, n: c, k: vocab, a: slot.logits.pointer, lda: vocab,
                   b: embedding, ldb: c, c: slot.dx.pointer, ldc: c)
        for (i, row) in rows.enumerated() {
            (dxf + row * c).update(from: slot.dx.pointer + i * c, count: c)
        }
    }
}
