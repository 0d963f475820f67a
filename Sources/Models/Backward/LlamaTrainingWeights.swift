// The frozen f32 weights of a Llama model as the training model reads them, with q|k|v and
// gate|up fused row-wise so each pair of projections sharing an input is one sgemm.
import Kernels

/// Dimensions of a Llama model (the subset training needs).
public struct LlamaTrainingConfig: Sendable, Codable, Equatable {
    public var vocabSize: Int
    public var dim: Int
    public var layers: Int
    public var heads: Int
    public var kvHeads: Int
    public var ffnDim: Int
    public var ropeBase: Float
    public var normEps: Float

    public init(vocabSize: Int, dim: Int, layers: Int, heads: Int, kvHeads: Int, ffnDim: Int,
                ropeBase: Float, normEps: Float) {
        self.vocabSize = vocabSize
        self.dim = dim
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads
        self.ffnDim = ffnDim
        self.ropeBase = ropeBase
        self.normEps = normEps
    }

    public var headDim: Int { dim / heads }
    public var kvDim: Int { kvHeads * headDim }
    /// Width of the fused q|k|v output.
    public var qkvDim: Int { dim + 2 * kvDim }

    /// (in, out) of one projection.
    public func features(of projection: LlamaProjection) -> (in: Int, out: Int) {
        switch projection {
        case .q: (dim, dim)
        case .k, .v: (dim, kvDim)
        case .o: (dim, dim)
        case .gate, .up: (dim, ffnDim)
        case .down: (ffnDim, dim)
        }
    }
}

/// Frozen f32 weights. Linear weights are (out, in) row-major, q and k rows in GGUF order
/// (permuted for adjacent-pair RoPE, as llama.cpp stores them).
public final class LlamaTrainingWeights: @unchecked Sendable {
    /// One transformer block.
    public final class Layer: @unchecked Sendable {
        /// (C)
        public let attentionNorm: TrainingTensor
        /// (C + 2·KVd, C): rows of q, then k, then v.
        public let qkv: TrainingTensor
        /// (C, C)
        public let output: TrainingTensor
        /// (C)
        public let ffnNorm: TrainingTensor
        /// (2F, C): rows of gate, then up.
        public let gateUp: TrainingTensor
        /// (C, F)
        public let down: TrainingTensor

        public init(config: LlamaTrainingConfig) {
            let c = config.dim, f = config.ffnDim
            attentionNorm = TrainingTensor(count: c)
            qkv = TrainingTensor(count: config.qkvDim * c)
            output = TrainingTensor(count: c * c)
            ffnNorm = TrainingTensor(count: c)
            gateUp = TrainingTensor(count: 2 * f * c)
            down = TrainingTensor(count: c * f)
        }

        /// The rows of one projection's weight inside its fused tensor: (pointer, rows, cols).
        public func weight(_ projection: LlamaProjection, config: LlamaTrainingConfig) -> UnsafeMutablePointer<Float> {
            let c = config.dim
            switch projection {
            case .q: return qkv.pointer
            case .k: return qkv.pointer + c * c
            case .v: return qkv.pointer + (c + config.kvDim) * c
            case .o: return output.pointer
            case .gate: return gateUp.pointer
            case .up: return gateUp.pointer + config.ffnDim * c
            case .down: return down.pointer
            }
        }
    }

    public let config: LlamaTrainingConfig
    /// (V, C), also the tied output head.
    public let tokenEmbedding: TrainingTensor
    public let layers: [Layer]
    /// (C)
    public let outputNorm: TrainingTensor

    /// Zero weights of the given shape, to be filled by a loader.
    public init(config: LlamaTrainingConfig) {
        self.config = config
        tokenEmbedding = TrainingTensor(count: config.vocabSize * config.dim)
        layers = (0..<config.layers).map { _ in Layer(config: config) }
        outputNorm = TrainingTensor(count: config.dim)
    }

    /// Random weights for tests: uniform in ±1/√in for matrices, 1 ± 0.1 for norms.
    public static func random(config: LlamaTrainingConfig, seed: UInt64) -> LlamaTrainingWeights {
        var rng = SplitMix64(seed: seed)
        let w = LlamaTrainingWeights(config: config)
        func fill(_ t: TrainingTensor, _ bound: Float, around centre: Float = 0) {
            for i in 0..<t.count { t.pointer[i] = centre + bound * (2 * rng.nextFloat() - 1) }
        }
        fill(w.tokenEmbedding, 1)
        fill(w.outputNorm, 0.1, around: 1)
        for layer in w.layers {
            fill(layer.attentionNorm, 0.1, around: 1)
            fill(layer.ffnNorm, 0.1, around: 1)
            fill(layer.qkv, 1 / Float(config.dim).squareRoot())
            fill(layer.output, 1 / Float(config.dim).squareRoot())
            fill(layer.gateUp, 1 / Float(config.dim).squareRoot())
            fill(layer.down, 1 / Float(config.ffnDim).squareRoot())
        }
        return w
    }
}
