// Linear projection with an optional LoRA branch, forward and backward side by side.
// y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ (Hu et al. 2021, arXiv:2106.09685). W is frozen: backward computes the
// input gradient and the LoRA gradients only, never ∂W.
import Kernels

/// One LoRA pair as a layer sees it: pointers into a `LoRAParameterSet`.
struct LoRAView {
    /// (r, in)
    let a: UnsafeMutablePointer<Float>
    /// (out, r)
    let b: UnsafeMutablePointer<Float>
    /// (r, in)
    let gradA: UnsafeMutablePointer<Float>
    /// (out, r)
    let gradB: UnsafeMutablePointer<Float>
    let rank: Int
    let inFeatures: Int
    let outFeatures: Int
    let scale: Float
    /// First column of this projection inside a fused output (q|k|v, gate|up).
    let outOffset: Int
}

enum LinearLayer {
    /// y (N, out, row stride ldy) = x (N, in) · Wᵀ, W (out, in).
    static func forward(y: UnsafeMutablePointer<Float>, ldy: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        n: Int, inFeatures: Int, outFeatures: Int, pool: WorkerPool? = nil) {
        PoolGEMM.sgemm(transB: true, m: n, n: outFeatures, k: inFeatures, a: x, lda: inFeatures,
                   b: w, ldb: inFeatures, c: y, ldc: ldy, pool: pool)
    }

    /// xa (N, r) = xl (N, in) · Aᵀ; y[:, off ..< off+out] += s · xa · Bᵀ.
    static func loraForward(y: UnsafeMutablePointer<Float>, ldy: Int, xl: UnsafePointer<Float>,
                            lora: LoRAView, xa: UnsafeMutablePointer<Float>, n: Int, pool: WorkerPool? = nil) {
        PoolGEMM.sgemm(transB: true, m: n, n: lora.rank, k: lora.inFeatures, a: xl, lda: lora.inFeatures,
                   b: lora.a, ldb: lora.inFeatures, c: xa, ldc: lora.rank, pool: pool)
        PoolGEMM.sgemm(transB: true, m: n, n: lora.outFeatures, k: lora.rank, alpha: lora.scale,
                   a: xa, lda: lora.rank, b: lora.b, ldb: lora.rank,
                   beta: 1, c: y + lora.outOffset, ldc: ldy, pool: pool)
    }

    /// dx (N, in) = dy (N, out, row stride ldy) · W, or += when `accumulate`.
    static func backward(dx: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, ldy: Int, w: UnsafePointer<Float>,
                         n: Int, inFeatures: Int, outFeatures: Int, accumulate: Bool, pool: WorkerPool? = nil) {
        PoolGEMM.sgemm(m: n, n: inFeatures, k: outFeatures, a: dy, lda: ldy, b: w, ldb: inFeatures,
                   beta: accumulate ? 1 : 0, c: dx, ldc: inFeatures, pool: pool)
    }

    /// LoRA gradients from dy's slice: dB (out, r) += s · dyᵀ · xa; t (N, r) = s · dy · B;
    /// dA (r, in) += tᵀ · xl; and, when dxl is given, dxl (N, in) += t · A.
    static func loraBackward(dxl: UnsafeMutablePointer<Float>?, dy: UnsafePointer<Float>, ldy: Int,
                             xl: UnsafePointer<Float>, xa: UnsafePointer<Float>, lora: LoRAView,
                             scratch t: UnsafeMutablePointer<Float>, n: Int, pool: WorkerPool? = nil) {
        let dys = dy + lora.outOffset
        PoolGEMM.sgemm(transA: true, m: lora.outFeatures, n: lora.rank, k: n, alpha: lora.scale,
                   a: dys, lda: ldy, b: xa, ldb: lora.rank, beta: 1, c: lora.gradB, ldc: lora.rank, pool: pool)
        PoolGEMM.sgemm(m: n, n: lora.rank, k: lora.outFeatures, alpha: lora.scale,
                   a: dys, lda: ldy, b: lora.b, ldb: lora.rank, c: t, ldc: lora.rank, pool: pool)
        PoolGEMM.sgemm(transA: true, m: lora.rank, n: lora.inFeatures, k: n,
                   a: t, lda: lora.rank, b: xl, ldb: lora.inFeatures, beta: 1, c: lora.gradA, ldc: lora.inFeatures, pool: pool)
        if let dxl {
            PoolGEMM.sgemm(m: n, n: lora.inFeatures, k: lora.rank, a: t, lda: lora.rank,
                       b: lora.a, ldb: lora.inFeatures, beta: 1, c: dxl, ldc: lora.inFeatures, pool: pool)
        }
    }
}
