// Causal grouped-query self-attention forward and backward side by side (Vaswani et al. 2017;
// GQA: Ainslie et al. 2023, arXiv:2305.13245). Probabilities are recomputed in backward from q and
// k instead of being stored: (B, H, T, T) per layer would not fit. Query rows go in causal blocks,
// so keys after a block's last row are never scored. The products are `SmallGEMM` tiles reading
// q, k, v where they lie; k and v of one (sequence, KV group) are transposed once for the
// products that need them as rows (q·kᵀ and dO·vᵀ), shared by the group's heads.
import Foundation
import Kernels

/// Per-thread scratch of the attention layer.
struct AttentionScratch {
    /// (T, T) probabilities, and (T, T) their gradient (backward only), per thread.
    let probabilities: [TrainingTensor], gradients: [TrainingTensor]
    /// (2·hd, T) per thread: kᵀ, then vᵀ, of the (sequence, KV group) in hand.
    let transposed: [TrainingTensor]
    /// (T) per thread: 1 / Σ exp of each row's scores (forward only).
    let inverseSums: [TrainingTensor]
    let seq: Int, headDim: Int

    init(threads: Int, seq: Int, headDim: Int) {
        probabilities = (0..<threads).map { _ in TrainingTensor(count: seq * seq) }
        gradients = (0..<threads).map { _ in TrainingTensor(count: seq * seq) }
        transposed = (0..<threads).map { _ in TrainingTensor(count: 2 * headDim * seq) }
        inverseSums = (0..<threads).map { _ in TrainingTensor(count: seq) }
        self.seq = seq
        self.headDim = headDim
    }

    var threads: Int { probabilities.count }

    /// Whether the buffers hold a call of this shape.
    func fits(_ shape: AttentionShape) -> Bool { shape.seq <= seq && shape.headDim <= headDim }
}

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
    /// Local row i is the query at r0 + i and sees local columns j ≤ i + diagonal (keys up to itself).
    var diagonal: Int { r0 - c0 }

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
    /// Fills rows r0..<r1, columns c0..<r1 of p (T, T) with exp(q_bh · k_bgᵀ · scale − m) under the
    /// causal, same-segment mask (row t sees columns segmentStart[t]...t, 0 elsewhere in the block),
    /// m the row's maximum; writes each row's log Σ exp(scores) to lse[row · lseStride] and its
    /// 1 / Σ exp(scores − m) to inverseSums[row]. kt is k_bgᵀ (hd, T). Rows are left unnormalised:
    /// the caller scales the (rows, hd) product instead of the (rows, columns) probabilities.
    static func exponentials(p: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, ldq: Int,
                             kt: UnsafePointer<Float>, segmentStart: UnsafePointer<Int32>,
                             block: AttentionBlock, shape: AttentionShape,
                             lse: UnsafeMutablePointer<Float>, lseStride: Int, inverseSums: UnsafeMutablePointer<Float>) {
        let t = shape.seq
        scores(p: p, q: q, ldq: ldq, kt: kt, block: block, shape: shape)
        for row in block.r0..<block.r1 {
            let r = p + row * t
            let start = Int(segmentStart[row])
            let count = row - start + 1
            let m = VectorMath.max(r + start, count)
            let total = VectorMath.expShifted(r + start, count, shift: m)
            lse[row * lseStride] = m + log(total)
            inverseSums[row] = 1 / total
            mask(r, start: start, row: row, block: block)
        }
    }

    /// Fills rows r0..<r1, columns c0..<r1 of p (T, T) with the softmax probabilities, from each
    /// row's log-sum-exp saved by the forward pass: one pass of exp(score − lse) per row.
    static func probabilities(p: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, ldq: Int,
                              kt: UnsafePointer<Float>, segmentStart: UnsafePointer<Int32>,
                              block: AttentionBlock, shape: AttentionShape,
                              lse: UnsafePointer<Float>, lseStride: Int) {
        let t = shape.seq
        scores(p: p, q: q, ldq: ldq, kt: kt, block: block, shape: shape)
        for row in block.r0..<block.r1 {
            let r = p + row * t
            let start = Int(segmentStart[row])
            _ = VectorMath.expShifted(r + start, row - start + 1, shift: lse[row * lseStride])
            mask(r, start: start, row: row, block: block)
        }
    }

    /// p[r0..<r1, c0..<r1] = q[r0..<r1] (rows, hd) · kᵀ[:, c0..<r1] (hd, columns) · scale.
    @inline(__always)
    private static func scores(p: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, ldq: Int,
                               kt: UnsafePointer<Float>, block: AttentionBlock, shape: AttentionShape) {
        let t = shape.seq
        SmallGEMM.multiply(m: block.rows, n: block.columns, k: shape.headDim, alpha: shape.scale,
                           a: q + block.r0 * ldq, aRowStride: ldq, aColumnStride: 1, b: kt + block.c0, ldb: t,
                           accumulate: false, c: p + block.r0 * t + block.c0, ldc: t, causal: .columnsThrough(block.diagonal))
    }

    /// Zeroes the masked columns of one row inside its block: before the row's segment, after the row.
    @inline(__always)
    private static func mask(_ r: UnsafeMutablePointer<Float>, start: Int, row: Int, block: AttentionBlock) {
        if start > block.c0 { (r + block.c0).update(repeating: 0, count: start - block.c0) }
        if row + 1 < block.r1 { (r + row + 1).update(repeating: 0, count: block.r1 - row - 1) }
    }

    /// out (N, H·hd, row stride ldo) = softmax(q kᵀ / √hd) v per (sequence, head);
    /// q (N, H·hd) row stride ldq; k, v (N, KV·hd) row stride ldk; segmentStart (N). Saves each
    /// (row, head)'s log-sum-exp of scores in lse (N, H) for `backward`.
    /// Work is split over (sequence, KV group) pairs, each on one thread.
    static func forward(out: UnsafeMutablePointer<Float>, ldo: Int,
                        q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ldk: Int,
                        segmentStart: UnsafePointer<Int32>, shape: AttentionShape, lse: UnsafeMutablePointer<Float>,
                        scratch: AttentionScratch, pool: WorkerPool) {
        precondition(scratch.fits(shape), "attention scratch made for a smaller sequence or head")
        let t = shape.seq, hd = shape.headDim
        let slots = SlotAllocator(count: scratch.threads)
        pool.parallelFor(shape.batch * shape.kvHeads) { item in
            let slot = slots.acquire()
            defer { slots.release(slot) }
            let p = scratch.probabilities[slot].pointer, kt = scratch.transposed[slot].pointer
            let inverseSums = scratch.inverseSums[slot].pointer
            let b = item / shape.kvHeads, g = item % shape.kvHeads
            let starts = segmentStart + b * t
            let blocks = AttentionBlock.blocks(seq: t, blockRows: shape.blockRows, segmentStart: starts)
            let kbg = k + b * t * ldk + g * hd, vbg = v + b * t * ldk + g * hd
            SmallGEMM.transpose(kbg, lds: ldk, rows: t, columns: hd, into: kt, ldd: t)
            for h in (g * shape.groupSize)..<((g + 1) * shape.groupSize) {
                let qbh = q + b * t * ldq + h * hd
                let obh = out + b * t * ldo + h * hd
                for block in blocks {
                    exponentials(p: p, q: qbh, ldq: ldq, kt: kt, segmentStart: starts, block: block, shape: shape,
                                 lse: lse + b * t * shape.heads + h, lseStride: shape.heads, inverseSums: inverseSums)
                    // out[r0..<r1] (rows, hd) = exp-scores[r0..<r1, c0..<r1] · v[c0..<r1] (columns, hd), then
                    // each row divided by its sum: the softmax probabilities times v.
                    SmallGEMM.multiply(m: block.rows, n: hd, k: block.columns, a: p + block.r0 * t + block.c0,
                                       aRowStride: t, aColumnStride: 1, b: vbg + block.c0 * ldk, ldb: ldk,
                                       accumulate: false, c: obh + block.r0 * ldo, ldc: ldo, causal: .depthThrough(block.diagonal))
                    for row in block.r0..<block.r1 { VectorMath.scale(obh + row * ldo, hd, by: inverseSums[row]) }
                }
            }
        }
    }

    /// Given dOut (N, H·hd) and the forward pass's lse (N, H), writes dq (N, H·hd) and dk, dv
    /// (N, KV·hd) (overwritten, same strides as q, k, v).
    static func backward(dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
                         dOut: UnsafePointer<Float>, ldo: Int,
                         q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ldk: Int,
                         segmentStart: UnsafePointer<Int32>, shape: AttentionShape, lse: UnsafePointer<Float>,
                         scratch: AttentionScratch, pool: WorkerPool) {
        precondition(scratch.fits(shape), "attention scratch made for a smaller sequence or head")
        let t = shape.seq, hd = shape.headDim
        let kvWidth = shape.kvHeads * hd
        for row in 0..<(shape.batch * t) {
            (dk + row * ldk).update(repeating: 0, count: kvWidth)
            (dv + row * ldk).update(repeating: 0, count: kvWidth)
        }
        let slots = SlotAllocator(count: scratch.threads)
        // One (sequence, KV group) per task: its heads accumulate into dk_bg, dv_bg alone.
        pool.parallelFor(shape.batch * shape.kvHeads) { item in
            let slot = slots.acquire()
            defer { slots.release(slot) }
            let pBuffer = scratch.probabilities[slot].pointer, dBuffer = scratch.gradients[slot].pointer
            let kt = scratch.transposed[slot].pointer, vt = kt + hd * t
            let b = item / shape.kvHeads, g = item % shape.kvHeads
            let starts = segmentStart + b * t
            let blocks = AttentionBlock.blocks(seq: t, blockRows: shape.blockRows, segmentStart: starts)
            let kbg = k + b * t * ldk + g * hd, vbg = v + b * t * ldk + g * hd
            let dkbg = dk + b * t * ldk + g * hd, dvbg = dv + b * t * ldk + g * hd
            SmallGEMM.transpose(kbg, lds: ldk, rows: t, columns: hd, into: kt, ldd: t)
            SmallGEMM.transpose(vbg, lds: ldk, rows: t, columns: hd, into: vt, ldd: t)
            for h in (g * shape.groupSize)..<((g + 1) * shape.groupSize) {
                let qbh = q + b * t * ldq + h * hd
                let dobh = dOut + b * t * ldo + h * hd
                for block in blocks {
                    let (r0, c0) = (block.r0, block.c0)
                    probabilities(p: pBuffer, q: qbh, ldq: ldq, kt: kt, segmentStart: starts, block: block, shape: shape,
                                  lse: lse + b * t * shape.heads + h, lseStride: shape.heads)
                    let pb = pBuffer + r0 * t + c0, db = dBuffer + r0 * t + c0
                    // dV[c0..<r1] (columns, hd) += Pᵀ (columns, rows) · dO[r0..<r1] (rows, hd)
                    SmallGEMM.multiply(m: block.columns, n: hd, k: block.rows, a: pb, aRowStride: 1, aColumnStride: t,
                                       b: dobh + r0 * ldo, ldb: ldo, accumulate: true, c: dvbg + c0 * ldk, ldc: ldk,
                                       causal: .depthFrom(block.diagonal))
                    // dP (rows, columns) = dO[r0..<r1] (rows, hd) · vᵀ[:, c0..<r1] (hd, columns)
                    SmallGEMM.multiply(m: block.rows, n: block.columns, k: hd, a: dobh + r0 * ldo, aRowStride: ldo,
                                       aColumnStride: 1, b: vt + c0, ldb: t, accumulate: false, c: db, ldc: t,
                                       causal: .columnsThrough(block.diagonal))
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
                    SmallGEMM.multiply(m: block.rows, n: hd, k: block.columns, a: db, aRowStride: t, aColumnStride: 1,
                                       b: kbg + c0 * ldk, ldb: ldk, accumulate: false,
                                       c: dq + (b * t + r0) * ldq + h * hd, ldc: ldq, causal: .depthThrough(block.diagonal))
                    // dK[c0..<r1] (columns, hd) += dSᵀ (columns, rows) · Q[r0..<r1] (rows, hd)
                    SmallGEMM.multiply(m: block.columns, n: hd, k: block.rows, a: db, aRowStride: 1, aColumnStride: t,
                                       b: qbh + r0 * ldq, ldb: ldq, accumulate: true, c: dkbg + c0 * ldk, ldc: ldk,
                                       causal: .depthFrom(block.diagonal))
                }
            }
        }
    }
}
