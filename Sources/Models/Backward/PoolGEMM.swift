// Matrix products split across the worker pool, each part one single-threaded OpenBLAS call.
// Training owns its threads: OpenBLAS's own workers would otherwise spin in sched_yield while the
// pool runs attention and the element-wise layers (≈ 10 % of a step's CPU in a profile).
import Kernels

enum PoolGEMM {
    /// Rows (or columns) per part below which a product is not split.
    static let minimumPart = 32

    /// C (m, n) = alpha · op(A) · op(B) + beta · C, row-major, as `BLAS.sgemm`. With a pool, C is
    /// split into one part per thread: by rows when m ≥ n (each part packs all of B and its share
    /// of A), else by columns (each packs all of A), so the operand packed twice is the smaller one.
    /// Every part writes disjoint elements of C, so the result does not depend on which thread runs
    /// which part. The caller must hold OpenBLAS at one thread (`BLAS.singleThreaded`).
    static func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, pool: WorkerPool?) {
        let parts = pool?.threadCount ?? 1
        guard let pool, parts > 1, m >= 2 * minimumPart || n >= 2 * minimumPart else {
            BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                       b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        let splitRows = m >= 2 * minimumPart && (m >= n || n < 2 * minimumPart)
        if splitRows {
            pool.parallelFor(parts) { p in
                let lo = boundary(m, p, parts), hi = boundary(m, p + 1, parts)
                guard hi > lo else { return }
                // Rows lo..<hi of op(A): row offset of A, or column offset when A is transposed.
                BLAS.sgemm(transA: transA, transB: transB, m: hi - lo, n: n, k: k, alpha: alpha,
                           a: transA ? a + lo : a + lo * lda, lda: lda, b: b, ldb: ldb,
                           beta: beta, c: c + lo * ldc, ldc: ldc)
            }
        } else {
            pool.parallelFor(parts) { p in
                let lo = boundary(n, p, parts), hi = boundary(n, p + 1, parts)
                guard hi > lo else { return }
                // Columns lo..<hi of op(B): column offset of B, or row offset when B is transposed.
                BLAS.sgemm(transA: transA, transB: transB, m: m, n: hi - lo, k: k, alpha: alpha,
                           a: a, lda: lda, b: transB ? b + lo * ldb : b + lo, ldb: ldb,
                           beta: beta, c: c + lo, ldc: ldc)
            }
        }
    }

    /// Start of part p of `count` items in `parts` parts, rounded to 16 so parts keep SIMD-friendly
    /// sizes (the last part takes the remainder).
    @inline(__always)
    static func boundary(_ count: Int, _ p: Int, _ parts: Int) -> Int {
        if p >= parts { return count }
        return min(count, (count * p / parts + 8) / 16 * 16)
    }
}
