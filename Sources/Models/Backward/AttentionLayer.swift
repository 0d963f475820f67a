// Causal grouped-query self-attention forward and backward side by side (Vaswani et al. 2017;
// GQA: Ainslie et al. 2023, arXiv:2305.13245). Probabilities are recomputed in backward from q and
// k (small sgemms per head) instead of being stored: (B, H, T, T) per layer would not fit. Query rows
// go in causal blocks, so keys after a block's last row are never scored.
import Kernels

/// Shapes and strides of one attention call. Rows are tokens b·T + t; q, k, v are column slices of
/// one fused (N, ld) buffer, so each carries its own row stride.
struct AttentionShape {
    let batch: Int, seq: Int, heads: Int, kvHeads: Int, headDim: Int
    /// Query rows per causal block: block i only scores keys up to its last row, so the products
    /// skip the masked upper triangle (≈ 40 % of the attention FLOPs at T = 256).
    var blockRows: Int = 64
    var groupSize: Int { heads / kvHeads }
    var scale: Float { 1 / Float(headDim).squareRoot() }
}

/// One causal block of one sequence: query rows r0..<r1 attend to key columns c0..<r1.
struct AttentionBlock {
    let r0: Int, r1: Int, c0: Int
    var rows: Int { r1 - r0 }
    var columns: Int { r1 - c0 }

    /// The blocks of a sequence whose segment starts (T) are given; c0 is the earliest start in the block.
    static func blocks(seq: Int, blockRows: Int, segmentStart: UnsafePointer<Int32>) -> [AttentionBlock] {
        var result: [AttentionBlock] = []
        var r0 = 0
        while r0 < seq {
            let r1 = min(seq, r0 + max(1, blockRows))
            var c0 = r0
            for row in r0..<r1 { c0 = min(c0, Int(segmentStart[row])) }
            result.append(AttentionBlock(r0: r0, r1: r1, c0: c0))
            r0 = r1
        }
        return result
    }
}

enum AttentionLayer {
    /// Fills rows r0..<r1, columns c0..<r1 of p (T, T) with softmax(q_bh · k_bgᵀ · scale) under the
    /// causal, same-segment mask: row t sees columns segmentStart[t]...t (0 elsewhere in the block).
    static func probabilities(p: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, ldq: Int,
                              k: UnsafePointer<Float>, ldk: Int, segmentStart: UnsafePointer<Int32>,
                              block: AttentionBlock, shape: AttentionShape) {
        let t = shape.seq
        // (rows, columns) = q[r0..<r1] (rows, hd) · k[c0..<r1]ᵀ
        BLAS.sgemm(transB: true, m: block.rows, n: block.columns, k: shape.headDim, alpha: shape.scale,
                   a: q + block.r0 * ldq, lda: ldq, b: k + block.c0 * ldk, ldb: ldk, c: p + block.r0 * t + block.c0, ldc: t)
        for row in block.r0..<block.r1 {
            let r = p + row * t
            let start = Int(segmentStart[row])
            let count = row - start + 1
            if start > block.c0 { (r + block.c0).update(repeating: 0, count: start - block.c0) }
            let m = VectorMath.max(r + start, count)
            let total = VectorMath.expShifted(r + start, count, shift: m)
            VectorMath.scale(r + start, count, by: 1 / total)
            if row + 1 < block.r1 { (r + row + 1).update(repeating: 0, count: block.r1 - row - 1) }
        }
    }

    /// out (N, H·hd, row stride ldo) = softmax(q kᵀ / √hd) v per (sequence, head);
    /// q (N, H·hd) row stride ldq; k, v (N, KV·hd) row stride ldk; segmentStart (N);
    /// scratch: one (T, T) buffer per pool thread. Work is split over (sequence, KV group) pairs,
    /// each on one thread with single-threaded sgemm.
    static func forward(out: UnsafeMutablePointer<Float>, ldo: Int,
                        q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ldk: Int,
                        segmentStart: UnsafePointer<Int32>, shape: AttentionShape, scratch: [UnsafeMutablePointer<Float>],
                        pool: WorkerPool) {
        let t = shape.seq, hd = shape.headDim
        let items = shape.batch * shape.kvHeads
        let slots = SlotAllocator(count: scratch.count)
        BLAS.singleThreaded {
            pool.parallelFor(items) { item in
                let slot = slots.acquire()
                defer { slots.release(slot) }
                let p = scratch[slot]
                let b = item / shape.kvHeads, g = item % shape.kvHeads
                let starts = segmentStart + b * t
                let blocks = AttentionBlock.blocks(seq: t, blockRows: shape.blockRows, segmentStart: starts)
                for h in (g * shape.groupSize)..<((g + 1) * shape.groupSize) {
                    let qbh = q + b * t * ldq + h * hd
                    let kbg = k + b * t * ldk + g * hd
                    let vbg = v + b * t * ldk + g * hd
                    let obh = out + b * t * ldo + h * hd
                    for block in blocks {
                        probabilities(p: p, q: qbh, ldq: ldq, k: kbg, ldk: ldk, segmentStart: starts, block: block, shape: shape)
                        // out[r0..<r1] (rows, hd) = P[r0..<r1, c0..<r1] · v[c0..<r1] (columns, hd)
                        BLAS.sgemm(m: block.rows, n: hd, k: block.columns, a: p + block.r0 * t + block.c0, lda: t,
                                   b: vbg + block.c0 * ldk, ldb: ldk, c: obh + block.r0 * ldo, ldc: ldo)
                    }
                }
            }
        }
    }

    /// Given dOut (N, H·hd), writes dq (N, H·hd) and dk, dv (N, KV·hd) (overwritten, same strides
    /// as q, k, v). scratchP, scratchD: one (T, T) buffer each per pool thread.
    static func backward(dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
                         dOut: UnsafePointer<Float>, ldo: Int,
                         q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ldk: Int,
                         segmentStart: UnsafePointer<Int32>, shape: AttentionShape,
                         scratchP: [UnsafeMutablePointer<Float>], scratchD: [UnsafeMutablePointer<Float>], pool: WorkerPool) {
        let t = shape.seq, hd = shape.headDim
        let kvWidth = shape.kvHeads * hd
        for row in 0..<(shape.batch * t) {
            (dk + row * ldk).update(repeating: 0, count: kvWidth)
            (dv + row * ldk).update(repeating: 0, count: kvWidth)
        }
        let slots = SlotAllocator(count: scratchP.count)
        BLAS.singleThreaded {
            // One (sequence, KV group) per task: its heads accumulate into dk_bg, dv_bg alone.
            pool.parallelFor(shape.batch * shape.kvHeads) { item in
                let slot = slots.acquire()
                defer { slots.release(slot) }
                let pBuffer = scratchP[slot], dBuffer = scratchD[slot]
                let b = item / shape.kvHeads, g = item % shape.kvHeads
                let starts = segmentStart + b * t
                let blocks = AttentionBlock.blocks(seq: t, blockRows: shape.blockRows, segmentStart: starts)
                for h in (g * shape.groupSize)..<((g + 1) * shape.groupSize) {
                    let qbh = q + b * t * ldq + h * hd
                    let kbg = k + b * t * ldk + g * hd
                    let vbg = v + b * t * ldk + g * hd
                    let dobh = dOut + b * t * ldo + h * hd
                    let dkbg = dk + b * t * ldk + g * hd, dvbg = dv + b * t * ldk + g * hd
                    for block in blocks {
                        let (r0, c0) = (block.r0, block.c0)
                        probabilities(p: pBuffer, q: qbh, ldq: ldq, k: kbg, ldk: ldk, segmentStart: starts, block: block, shape: shape)
                        let pb = pBuffer + r0 * t + c0, db = dBuffer + r0 * t + c0
                        // dV[c0..<r1] (columns, hd) += Pᵀ (columns, rows) · dO[r0..<r1] (rows, hd)
                        BLAS.sgemm(transA: true, m: block.columns, n: hd, k: block.rows, a: pb, lda: t,
                                   b: dobh + r0 * ldo, ldb: ldo, beta: 1, c: dvbg + c0 * ldk, ldc: ldk)
                        // dP (rows, columns) = dO[r0..<r1] (rows, hd) · V[c0..<r1]ᵀ
                        BLAS.sgemm(transB: true, m: block.rows, n: block.columns, k: hd, a: dobh + r0 * ldo, lda: ldo,
                                   b: vbg + c0 * ldk, ldb: ldk, c: db, ldc: t)
                        // dS = P ⊙ (dP − rowsum(P ⊙ dP)), times the score scale; 0 where masked.
                        for row in r0..<block.r1 {
                            let pr = pBuffer + row * t, dr = dBuffer + row * t
                            let start = Int(starts[row])
                            let count = row - start + 1
                            let s = VectorMath.dot(pr + start, dr + start, count)
                            if start > c0 { (dr + c0).update(repeating: 0, count: start - c0) }
                            VectorMath.softmaxGradient(p: pr + start, d: dr + start, count, rowDot: s, scale: shape.scale)
                            if row + 1 < block.r1 { (dr + row + 1).update(repeating: 0, count: block.r1 - row - 1) }
                        }
                        // dQ[r0..<r1] (rows, hd) = dS (rows, columns) · K[c0..<r1] (columns, hd)
                        BLAS.sgemm(m: block.rows, n: hd, k: block.columns, a: db, lda: t, b: kbg + c0 * ldk, ldb: ldk,
                                   c: dq + (b * t + r0) * ldq + h * hd, ldc: ldq)
                        // dK[c0..<r1] (columns, hd) += dSᵀ (columns, rows) · Q[r0..<r1] (rows, hd)
                        BLAS.sgemm(transA: true, m: block.columns, n: hd, k: block.rows, a: db, lda: t,
                                   b: qbh + r0 * ldq, ldb: ldq, beta: 1, c: dkbg + c0 * ldk, ldc: ldk)
                    }
                }
            }
        }
    }
}

extension BLAS {
    /// Runs `body` with OpenBLAS limited to one thread (for many small products run from several
    /// threads at once), then restores the previous count (see `withThreads`).
    @inline(__always)
    static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        try withThreads(1, body)
    }
}
