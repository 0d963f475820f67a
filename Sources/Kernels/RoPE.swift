// Rotary position embedding (Su et al. 2021, arXiv:2104.09864) in ggml's "normal" mode, which
// rotates adjacent pairs (x[2i], x[2i+1]): GGUF llama files store q/k rows permuted for it.

/// Rotation frequencies for one model: θ_i = base^(−2i / dims) for the first `dims` of each head.
public struct RoPE: Sendable {
    public let headDim: Int
    /// Rotated dimensions per head (≤ headDim, even).
    public let dims: Int
    public let base: Float
    /// (dims / 2)
    let inverseFrequencies: [Double]

    public init(headDim: Int, dims: Int, base: Float) {
        precondition(dims <= headDim && dims % 2 == 0, "RoPE dims must be even and ≤ headDim")
        self.headDim = headDim
        self.dims = dims
        self.base = base
        inverseFrequencies = (0..<(dims / 2)).map { libmPow(Double(base), -2 * Double($0) / Double(dims)) }
    }

    /// cos and sin of every angle at `position` into table (dims): [cos0, sin0, cos1, sin1, …].
    public func angles(position: Int, into table: UnsafeMutablePointer<Float>) {
        for i in 0..<(dims / 2) {
            let a = Double(position) * inverseFrequencies[i]
            table[2 * i] = Float(libmCos(a))
            table[2 * i + 1] = Float(libmSin(a))
        }
    }

    /// Rotates every head of x (heads, headDim) in place with a table from `angles`.
    public func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, table: UnsafePointer<Float>) {
        for h in 0..<heads {
            let v = x + h * headDim
            for i in 0..<(dims / 2) {
                let c = table[2 * i], s = table[2 * i + 1]
                let x0 = v[2 * i], x1 = v[2 * i + 1]
                v[2 * i] = x0 * c - x1 * s
                v[2 * i + 1] = x0 * s + x1 * c
            }
        }
    }
}
