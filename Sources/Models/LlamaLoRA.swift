// Run-time LoRA (Hu et al. 2021, arXiv:2106.09685): each targeted projection's output gets
// S · scale · B (A x) added, where S in 0...1 is chosen at run time. The base weights are never
// changed, so one model serves sessions with and without an adapter.
import Kernels

/// An adapter copied into flat buffers for the forward pass, indexed by layer and projection.
final class ResolvedLoRA: @unchecked Sendable {
    struct Pair {
        let rank: Int
        let inFeatures: Int
        let outFeatures: Int
        let a: UnsafeMutablePointer<Float>   // (rank, in)
        let b: UnsafeMutablePointer<Float>   // (out, rank)
    }

    /// S · adapter.scale.
    let factor: Float
    let maxRank: Int
    private var table: [Pair?]               // (layers · 7)
    private var storage: [UnsafeMutablePointer<Float>] = []

    init(_ adapter: LoRAWeights, strength: Float, model: LlamaModel) throws {
        let c = model.config
        factor = strength * adapter.scale
        table = [Pair?](repeating: nil, count: c.layerCount * LlamaProjection.allCases.count)
        var maxRank = 0
        for (key, pair) in adapter.pairs {
            guard key.layer >= 0 && key.layer < c.layerCount else {
                throw LlamaError.adapterMismatch("it targets layer \(key.layer) but the model has \(c.layerCount)")
            }
            let w = model.weights.blocks[key.layer].matrix(key.projection)
            guard pair.inFeatures == w.columns, pair.outFeatures == w.rows, pair.rank >= 1,
                  pair.a.count == pair.rank * pair.inFeatures, pair.b.count == pair.outFeatures * pair.rank else {
                throw LlamaError.adapterMismatch(
                    "layer \(key.layer) \(key.projection.rawValue): adapter is \(pair.outFeatures)×\(pair.inFeatures) rank \(pair.rank), the model's projection is \(w.rows)×\(w.columns)")
            }
            let a = UnsafeMutablePointer<Float>.allocate(capacity: pair.a.count)
            let b = UnsafeMutablePointer<Float>.allocate(capacity: pair.b.count)
            pair.a.withUnsafeBufferPointer { a.initialize(from: $0.baseAddress!, count: $0.count) }
            pair.b.withUnsafeBufferPointer { b.initialize(from: $0.baseAddress!, count: $0.count) }
            storage += [a, b]
            table[Self.index(key.layer, key.projection)] =
                Pair(rank: pair.rank, inFeatures: pair.inFeatures, outFeatures: pair.outFeatures, a: a, b: b)
            maxRank = max(maxRank, pair.rank)
        }
        self.maxRank = maxRank
    }

    deinit { for p in storage { p.deallocate() } }

    static func index(_ layer: Int, _ projection: LlamaProjection) -> Int {
        let p: Int
        switch projection {
        case .q: p = 0
        case .k: p = 1
        case .v: p = 2
        case .o: p = 3
        case .gate: p = 4
        case .up: p = 5
        case .down: p = 6
        }
        return layer * 7 + p
    }

    func pair(_ layer: Int, _ projection: LlamaProjection) -> Pair? { table[Self.index(layer, projection)] }

    /// y (out) += factor · B (A x) for one position. x (in); scratch (≥ rank).
    func addDelta(_ layer: Int, _ projection: LlamaProjection, x: UnsafePointer<Float>,
                  y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        guard let p = pair(layer, projection), factor != 0 else { return }
        for r in 0..<p.rank { scratch[r] = factor * dotF32(p.a + r * p.inFeatures, x, count: p.inFeatures) }
        for o in 0..<p.outFeatures { y[o] += dotF32(p.b + o * p.rank, scratch, count: p.rank) }
    }

    /// Y (rows, out; row stride ldy) += factor · X Aᵀ Bᵀ for a block of positions.
    /// X (rows, in; row stride ldx); scratch (rows, ≥ rank).
    func addDelta(_ layer: Int, _ projection: LlamaProjection, rows: Int, x: UnsafePointer<Float>, ldx: Int,
                  y: UnsafeMutablePointer<Float>, ldy: Int, scratch: UnsafeMutablePointer<Float>) {
        guard let p = pair(layer, projection), factor != 0 else { return }
        // T (rows, rank) = X · Aᵀ
        BLAS.sgemm(transB: true, m: rows, n: p.rank, k: p.inFeatures, a: x, lda: ldx, b: p.a, ldb: p.inFeatures,
                   c: scratch, ldc: p.rank)
        // Y += factor · T · Bᵀ
        BLAS.sgemm(transB: true, m: rows, n: p.outFeatures, k: p.rank, alpha: factor, a: scratch, lda: p.rank,
                   b: p.b, ldb: p.rank, beta: 1, c: y, ldc: ldy)
    }
}
