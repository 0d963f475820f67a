// RMSNorm forward and backward side by side (Zhang & Sennrich 2019, arXiv:1910.07467):
// y = x · rstd · w, rstd = 1 / sqrt(mean(x²) + eps). Rows split over the worker pool.
import Kernels

enum RMSNormLayer {
    /// y (N, C) = norm(x (N, C)) · w (C); rstd (N) saved for backward.
    static func forward(y: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        rstd: UnsafeMutablePointer<Float>, n: Int, c: Int, eps: Float, pool: WorkerPool? = nil) {
        SwiGLULayer.rows(n, pool) { range in
            for i in range {
                let xi = x + i * c
                let r = 1 / (VectorMath.dot(xi, xi, c) / Float(c) + eps).squareRoot()
                rstd[i] = r
                let yi = y + i * c
                for j in 0..<c { yi[j] = xi[j] * r * weight[j] }
            }
        }
    }

    /// Recomputes y (N, C) from x and the saved rstd (N), without the reduction.
    static func recompute(y: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                          rstd: UnsafePointer<Float>, n: Int, c: Int, pool: WorkerPool? = nil) {
        SwiGLULayer.rows(n, pool) { range in
            for i in range {
                let xi = x + i * c, yi = y + i * c, r = rstd[i]
                for j in 0..<c { yi[j] = xi[j] * r * weight[j] }
            }
        }
    }

    /// dx (N, C) += ∂loss/∂x given dy (N, C); the weight is frozen, so no weight gradient.
    /// dx_j = r·w_j·dy_j − r³·x_j/C · Σ_k w_k·dy_k·x_k.
    static func backward(dx: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, x: UnsafePointer<Float>,
                         weight: UnsafePointer<Float>, rstd: UnsafePointer<Float>, n: Int, c: Int, pool: WorkerPool? = nil) {
        SwiGLULayer.rows(n, pool) { range in
            for i in range {
                let xi = x + i * c, dyi = dy + i * c, dxi = dx + i * c, r = rstd[i]
                var acc = SIMD16<Float>(repeating: 0)
                var j = 0
                while j + 16 <= c {
                    acc += load16(weight + j) * load16(dyi + j) * load16(xi + j)
                    j += 16
                }
                var s = VectorMath.horizontalSum(acc)
                while j < c { s += weight[j] * dyi[j] * xi[j]; j += 1 }
                let k = r * r * r * s / Float(c)
                for j in 0..<c { dxi[j] += r * weight[j] * dyi[j] - k * xi[j] }
            }
        }
    }
}
