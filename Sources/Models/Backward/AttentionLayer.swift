// Causal grouped-query self-attention forward and backward side by side (Vaswani et al. 2017;
// GQA: Ainslie et al. 2023, arXiv:2305.13245). Probabilities are recomputed in backward from q and
// k (one small sgemm per head) instead of being stored: (B, H, T, T) per layer would not fit.
import Kernels
import Synchronization

/// Shapes and strides of one attention call. Rows are tokens b·T + t; q, k, v are column slices of
/// one fused (N, ld) buffer, so each carries its own row stride.
struct AttentionShape {
    let batch: Int, seq: Int, heads: Int, kvHeads: Int, headDim: Int
    var groupSize: Int { heads / kvHeads }
    var scale: Float { 1 / Float(headDim).squareRoot() }
}

enum AttentionLayer {
    /// Fills p (T, T) with softmax(q_bh · k_bgᵀ · scale) under the causal, same-segment mask:
    /// row t sees columns segmentStart[t]...t and nothing else (0 elsewhere).
    static func probabilities(p: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, ldq: Int,
                              k: UnsafePointer<Float>, ldk: Int, segmentStart: UnsafePointer<Int32>,
                              shape: AttentionShape) {
        let t = shape.seq
        BLAS.sgemm(transB: true, m: t, n: t, k: shape.headDim, alpha: shape.scale,
                   a: q, lda: ldq, b: k, ldb: ldk, c: p, ldc: t)
        for row in 0..<t {
            let r = p + row * t
            let start = Int(segmentStart[row])
            let count = row - start + 1
            if start > 0 { r.update(repeating: 0, count: start) }
            let m = VectorMath.max(r + start, count)
            let total = VectorMath.expShifted(r + start, count, shift: m)
            VectorMath.scale(r + start, count, by: 1 / total)
            if row + 1 < t { (r + row + 1).update(repeating: 0, count: t - row - 1) }
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
                for h in (g * shape.groupSize)..<((g + 1) * shape.groupSize) {
                    let qbh = q + b * t * ldq + h * hd
                    let kbg = k + b * t * ldk + g * hd
                    let vbg = v + b * t * ldk + g * hd
                    probabilities(p: p, q: qbh, ldq: ldq, k: kbg, ldk: ldk, segmentStart: segmentStart + b * t, shape: shape)
                    // (T, hd) = (T, T) · (T, hd)
                    BLAS.sgemm(m: t, n: hd, k: t, a: p, lda: t, b: vbg, ldb: ldk, c: out + b * t * ldo + h * hd, ldc: ldo)
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
                for h in (g * shape.groupSize)..<((g + 1) * shape.groupSize) {
                    let qbh = q + b * t * ldq + h * hd
                    let kbg = k + b * t * ldk + g * hd
                    let vbg = v + b * t * ldk + g * hd
                    let dobh = dOut + b * t * ldo + h * hd
                    probabilities(p: pBuffer, q: qbh, ldq: ldq, k: kbg, ldk: ldk, segmentStart: segmentStart + b * t, shape: shape)
                    // dV_bg (T, hd) += Pᵀ (T, T) · dO (T, hd)
                    BLAS.sgemm(transA: true, m: t, n: hd, k: t, a: pBuffer, lda: t, b: dobh, ldb: ldo,
                               beta: 1, c: dv + b * t * ldk + g * hd, ldc: ldk)
                    // dP (T, T) = dO (T, hd) · Vᵀ
                    BLAS.sgemm(transB: true, m: t, n: t, k: hd, a: dobh, lda: ldo, b: vbg, ldb: ldk, c: dBuffer, ldc: t)
                    // dS = P ⊙ (dP − rowsum(P ⊙ dP)), times the score scale.
                    for row in 0..<t {
                        let pr = pBuffer + row * t, dr = dBuffer + row * t
                        let start = Int(segmentStart[b * t + row])
                        let count = row - start + 1
                        let s = VectorMath.dot(pr + start, dr + start, count)
                        if start > 0 { dr.update(repeating: 0, count: start) }
                        for j in start...row { dr[j] = pr[j] * (dr[j] - s) * shape.scale }
                        if row + 1 < t { (dr + row + 1).update(repeating: 0, count: t - row - 1) }
                    }
                    // dQ_bh (T, hd) = dS (T, T) · K (T, hd)
                    BLAS.sgemm(m: t, n: hd, k: t, a: dBuffer, lda: t, b: kbg, ldb: ldk, c: dq + b * t * ldq + h * hd, ldc: ldq)
                    // dK_bg (T, hd) += dSᵀ (T, T) · Q (T, hd)
                    BLAS.sgemm(transA: true, m: t, n: hd, k: t, a: dBuffer, lda: t, b: qbh, ldb: ldq,
                               beta: 1, c: dk + b * t * ldk + g * hd, ldc: ldk)
                }
            }
        }
    }
}

/// Hands each concurrently running task its own scratch slot.
final class SlotAllocator: @unchecked Sendable {
    private let mutex = Mutex<[Int]>([])

    init(count: Int) { mutex.withLock { $0 = Array((0..<count).reversed()) } }

    func acquire() -> Int {
        mutex.withLock { free in
            precondition(!free.isEmpty, "more concurrent tasks than scratch slots")
            return free.removeLast()
        }
    }

    func release(_ slot: Int) { mutex.withLock { $0.append(slot) } }
}

extension BLAS {
    /// Runs `body` with OpenBLAS limited to one thread (for many small products run from several
    /// threads at once), then restores the previous count.
    @inline(__always)
    static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        let previous = BLAS.threads
        BLAS.threads = 1
        defer { BLAS.threads = previous }
        return try body()
    }
}
