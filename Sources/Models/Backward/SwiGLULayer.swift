// SwiGLU activation forward and backward side by side (Shazeer 2020, arXiv:2002.05202):
// h = silu(g) ⊙ u with silu(g) = g · σ(g).
import Foundation

enum SwiGLULayer {
    /// h (N, F) from gu (N, 2F): gate in columns [0, F), up in [F, 2F).
    static func forward(h: UnsafeMutablePointer<Float>, gu: UnsafePointer<Float>, n: Int, f: Int) {
        for i in 0..<n {
            let g = gu + i * 2 * f, u = g + f, hi = h + i * f
            for j in 0..<f {
                let sig = 1 / (1 + Foundation.exp(-g[j]))
                hi[j] = g[j] * sig * u[j]
            }
        }
    }

    /// dgu (N, 2F) = ∂loss/∂(gate, up) from dh (N, F) and the saved gu (N, 2F).
    /// ∂h/∂g = u·σ(g)·(1 + g·(1 − σ(g))), ∂h/∂u = silu(g).
    static func backward(dgu: UnsafeMutablePointer<Float>, dh: UnsafePointer<Float>, gu: UnsafePointer<Float>,
                         n: Int, f: Int) {
        for i in 0..<n {
            let g = gu + i * 2 * f, u = g + f, dhi = dh + i * f
            let dg = dgu + i * 2 * f, du = dg + f
            for j in 0..<f {
                let sig = 1 / (1 + Foundation.exp(-g[j]))
                dg[j] = dhi[j] * u[j] * sig * (1 + g[j] * (1 - sig))
                du[j] = dhi[j] * g[j] * sig
            }
        }
    }
}
