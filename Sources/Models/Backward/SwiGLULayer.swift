// SwiGLU activation forward and backward side by side (Shazeer 2020, arXiv:2002.05202):
// h = silu(g) ⊙ u with silu(g) = g · σ(g). 16 lanes at a time, rows split over the worker pool.
import Foundation
import Kernels

enum SwiGLULayer {
    /// h (N, F) from gu (N, 2F): gate in columns [0, F), up in [F, 2F).
    static func forward(h: UnsafeMutablePointer<Float>, gu: UnsafePointer<Float>, n: Int, f: Int,
                        pool: WorkerPool? = nil) {
        rows(n, pool) { range in
            for i in range {
                let g = gu + i * 2 * f, u = g + f, hi = h + i * f
                var j = 0
                while j + 16 <= f {
                    let gv = load16(g + j), uv = load16(u + j)
                    let sig = 1 / (1 + VectorMath.exp(-gv))
                    store16(gv * sig * uv, hi + j)
                    j += 16
                }
                while j < f {
                    let sig = 1 / (1 + Foundation.exp(-g[j]))
                    hi[j] = g[j] * sig * u[j]
                    j += 1
                }
            }
        }
    }

    /// dgu (N, 2F) = ∂loss/∂(gate, up) from dh (N, F) and the saved gu (N, 2F).
    /// ∂h/∂g = u·σ(g)·(1 + g·(1 − σ(g))), ∂h/∂u = silu(g). dgu may be gu itself (each element is
    /// read before it is written): the training model overwrites the saved pre-activations, which
    /// saves a buffer and the cache traffic of writing a second one.
    static func backward(dgu: UnsafeMutablePointer<Float>, dh: UnsafePointer<Float>, gu: UnsafePointer<Float>,
                         n: Int, f: Int, pool: WorkerPool? = nil) {
        rows(n, pool) { range in
            for i in range {
                let g = gu + i * 2 * f, u = g + f, dhi = dh + i * f
                let dg = dgu + i * 2 * f, du = dg + f
                var j = 0
                while j + 16 <= f {
                    let gv = load16(g + j), uv = load16(u + j), dv = load16(dhi + j)
                    let sig = 1 / (1 + VectorMath.exp(-gv))
                    store16(dv * uv * sig * (1 + gv * (1 - sig)), dg + j)
                    store16(dv * gv * sig, du + j)
                    j += 16
                }
                while j < f {
                    let gj = g[j], uj = u[j]
                    let sig = 1 / (1 + Foundation.exp(-gj))
                    dg[j] = dhi[j] * uj * sig * (1 + gj * (1 - sig))
                    du[j] = dhi[j] * gj * sig
                    j += 1
                }
            }
        }
    }

    /// Runs `body` over row ranges, split across the pool's threads when there is one.
    @inline(__always)
    static func rows(_ n: Int, _ pool: WorkerPool?, _ body: (Range<Int>) -> Void) {
        guard let pool, pool.threadCount > 1, n >= 2 * pool.threadCount else { return body(0..<n) }
        let parts = pool.threadCount
        pool.parallelFor(parts) { p in body((n * p / parts)..<(n * (p + 1) / parts)) }
    }
}
