// Tied output head (logits = x · Eᵀ with the token embedding E) fused with softmax cross-entropy,
// forward and backward in one pass: the (N, V) logits never exist. Threads split the vocabulary;
// each walks its share in tiles of E, and for every tile scores all rows (x · E_tileᵀ), folds the
// scores into a running row maximum and sum of exponentials, and adds the exponentials times E_tile
// to a running input gradient, rescaled whenever a row's maximum grows: online softmax (Milakov &
// Gimelshein 2018, arXiv:1805.02867) applied to the cross-entropy gradient, as flash attention does
// for attention. Each tile of E is read from memory once for both products. Only rows that carry a
// loss are computed (exact: the others contribute nothing to loss or gradient).
import Foundation
import Kernels

/// Scratch for the head: one lane per thread, each walking its share of the vocabulary.
struct OutputHeadScratch: @unchecked Sendable {
    /// One thread's buffers and running statistics.
    struct Lane {
        /// First vocabulary row of E this lane scores, and one past its last.
        let vocabStart: Int, vocabEnd: Int
        /// (chunkRows, tile) one tile's scores, then their exponentials.
        let scores: TrainingTensor
        /// (chunkRows, C) Σ exp(score − running max) · E_v over this lane's tiles so far.
        let accumulator: TrainingTensor
        /// (chunkRows) running maximum score, running Σ exp(score − maximum).
        let maxima: TrainingTensor, sums: TrainingTensor
    }

    /// Rows per chunk; vocabulary rows per tile.
    let chunkRows: Int, tile: Int
    /// (chunkRows, C) gathered inputs.
    let x: TrainingTensor
    /// (chunkRows) each row's target score.
    let targetScores: TrainingTensor
    let lanes: [Lane]

    /// Buffers for chunks of up to `rows` rows scored by `slots` lanes splitting the vocabulary,
    /// `tile` vocabulary rows at a time (a tile of E and its scores stay in cache between the two
    /// products).
    init(rows: Int, vocab: Int, dim: Int, slots: Int = 1, tile: Int = 512) {
        let chunkRows = max(1, rows), laneCount = max(1, min(slots, vocab)), tile = max(1, tile)
        self.chunkRows = chunkRows
        self.tile = tile
        x = TrainingTensor(count: chunkRows * dim)
        targetScores = TrainingTensor(count: chunkRows)
        lanes = (0..<laneCount).map { p in
            Lane(vocabStart: PoolGEMM.boundary(vocab, p, laneCount), vocabEnd: PoolGEMM.boundary(vocab, p + 1, laneCount),
                 scores: TrainingTensor(count: chunkRows * tile), accumulator: TrainingTensor(count: chunkRows * dim),
                 maxima: TrainingTensor(count: chunkRows), sums: TrainingTensor(count: chunkRows))
        }
    }
}

enum OutputHeadLayer {
    /// Cross-entropy of the rows of xf (N, C) whose target (N) is ≥ 0, against logits xf·Eᵀ,
    /// E (V, C). Returns the summed loss (nats) and the number of target rows. When `dxf` is
    /// given, writes dxf (N, C) = gradScale · (softmax − onehot) · E for target rows and 0 elsewhere.
    /// With a pool, the scratch's lanes run on its threads (single-threaded sgemm each); losses are
    /// summed in row order, so the result depends on the lane count and tile only through rounding.
    static func forwardBackward(xf: UnsafePointer<Float>, targets: UnsafePointer<Int32>, embedding: UnsafePointer<Float>,
                                n: Int, c: Int, vocab: Int, gradScale: Float, dxf: UnsafeMutablePointer<Float>?,
                                scratch: OutputHeadScratch, pool: WorkerPool? = nil) -> (lossSum: Double, count: Int) {
        precondition(scratch.lanes.last?.vocabEnd == vocab, "head scratch made for another vocabulary size")
        if let dxf { dxf.update(repeating: 0, count: n * c) }
        let rows = (0..<n).filter { targets[$0] >= 0 }
        guard !rows.isEmpty else { return (0, 0) }
        // Balanced chunks of at most chunkRows rows.
        let chunkCount = (rows.count + scratch.chunkRows - 1) / scratch.chunkRows
        let chunkSize = (rows.count + chunkCount - 1) / chunkCount
        var lossSum = 0.0
        rows.withUnsafeBufferPointer { rowBuffer in
            for lo in stride(from: 0, to: rows.count, by: chunkSize) {
                let chunk = UnsafeBufferPointer(rebasing: rowBuffer[lo..<min(rows.count, lo + chunkSize)])
                lossSum += run(rows: chunk, xf: xf, targets: targets, embedding: embedding, c: c, gradScale: gradScale,
                               dxf: dxf, scratch: scratch, pool: pool)
            }
        }
        return (lossSum, rows.count)
    }

    /// One chunk of m target rows: every lane walks its vocabulary share; the lanes' statistics
    /// then merge into the loss and, when dxf is given, into the rows' input gradients
    /// gradScale · (Σ_p exp(max_p − M) · acc_p / Z − E[target]). Returns the chunk's loss sum.
    static func run(rows: UnsafeBufferPointer<Int>, xf: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
                    embedding: UnsafePointer<Float>, c: Int, gradScale: Float, dxf: UnsafeMutablePointer<Float>?,
                    scratch: OutputHeadScratch, pool: WorkerPool?) -> Double {
        let lanes = scratch.lanes
        let x = scratch.x.pointer  // (rows.count, C)
        for (i, row) in rows.enumerated() { (x + i * c).update(from: xf + row * c, count: c) }
        let laneTargets = scratch.targetScores.pointer
        eachLane(lanes.count, pool) { p in
            walk(lane: lanes[p], rows: rows, x: x, targets: targets, targetScores: laneTargets, embedding: embedding, c: c,
                 tile: scratch.tile, gradients: dxf != nil)
        }
        // Merge: row maximum M, Z = Σ_p sum_p · exp(max_p − M).
        var chunkLoss = 0.0
        let live = lanes.filter { $0.vocabEnd > $0.vocabStart }
        for (i, row) in rows.enumerated() {
            var mx = -Float.infinity
            for lane in live { mx = Swift.max(mx, lane.maxima.pointer[i]) }
            var total = 0.0
            for lane in live { total += Double(lane.sums.pointer[i]) * exp(Double(lane.maxima.pointer[i] - mx)) }
            chunkLoss += Double(Float(Double(mx) + log(total) - Double(laneTargets[i])))
            guard let dxf else { continue }
            let out = dxf + row * c, target = embedding + Int(targets[row]) * c
            for j in 0..<c { out[j] = -target[j] }
            for lane in live {
                let f = Float(exp(Double(lane.maxima.pointer[i] - mx)) / total)
                let acc = lane.accumulator.pointer + i * c
                for j in 0..<c { out[j] += f * acc[j] }
            }
            VectorMath.scale(out, c, by: gradScale)
        }
        return chunkLoss
    }

    /// One lane's walk over its vocabulary in tiles: scores (m, t) = x · E_tileᵀ; per row the
    /// running maximum (rescaling the running sum and accumulator when it grows) and sum of
    /// exponentials; with `gradients`, accumulator (m, C) += exp-scores (m, t) · E_tile (t, C).
    private static func walk(lane: OutputHeadScratch.Lane, rows: UnsafeBufferPointer<Int>, x: UnsafePointer<Float>,
                             targets: UnsafePointer<Int32>, targetScores: UnsafeMutablePointer<Float>,
                             embedding: UnsafePointer<Float>, c: Int, tile: Int, gradients: Bool) {
        let m = rows.count
        let maxima = lane.maxima.pointer, sums = lane.sums.pointer, acc = lane.accumulator.pointer
        maxima.update(repeating: -.infinity, count: m)
        sums.update(repeating: 0, count: m)
        var first = true
        for v0 in stride(from: lane.vocabStart, to: lane.vocabEnd, by: tile) {
            let t = min(tile, lane.vocabEnd - v0), e = embedding + v0 * c
            let scores = lane.scores.pointer  // (m, t)
            BLAS.sgemm(transB: true, m: m, n: t, k: c, a: x, lda: c, b: e, ldb: c, c: scores, ldc: t)
            for i in 0..<m {
                let s = scores + i * t
                let target = Int(targets[rows[i]]) - v0
                if target >= 0 && target < t { targetScores[i] = s[target] }
                let tileMax = VectorMath.max(s, t)
                if tileMax > maxima[i] {
                    // Rescale what was summed under the old maximum (nothing yet on the first tile).
                    let rescale = exp(maxima[i] - tileMax)
                    sums[i] *= rescale
                    if gradients && !first { VectorMath.scale(acc + i * c, c, by: rescale) }
                    maxima[i] = tileMax
                }
                sums[i] += VectorMath.expShifted(s, t, shift: maxima[i])
            }
            if gradients {
                BLAS.sgemm(m: m, n: c, k: t, a: scores, lda: t, b: e, ldb: c, beta: first ? 0 : 1, c: acc, ldc: c)
            }
            first = false
        }
    }

    /// Runs `body` for each lane, on the pool's threads when there is a pool (OpenBLAS held at one
    /// thread meanwhile), else in turn.
    private static func eachLane(_ count: Int, _ pool: WorkerPool?, _ body: (Int) -> Void) {
        if let pool, count > 1 {
            BLAS.singleThreaded { pool.parallelFor(count, body) }
        } else {
            for p in 0..<count { body(p) }
        }
    }
}
