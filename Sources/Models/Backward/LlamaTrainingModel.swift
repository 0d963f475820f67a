// The f32 Llama training model: frozen base weights, trainable LoRA pairs, and every activation the
// backward pass needs, allocated once for the largest micro-batch (no allocation per step).
import Kernels

/// Errors of the training model's inputs.
public enum TrainingModelError: Error, CustomStringConvertible, Equatable {
    case batchTooLarge(batch: Int, seq: Int, maxBatch: Int, maxSeq: Int)
    case tokenOutOfRange(token: Int32, vocabSize: Int)
    case segmentOutOfRange(position: Int)

    public var description: String {
        switch self {
        case let .batchTooLarge(batch, seq, maxBatch, maxSeq):
            "micro-batch \(batch)×\(seq) exceeds the model's allocation \(maxBatch)×\(maxSeq); lower --batch or --seq"
        case let .tokenOutOfRange(token, vocabSize):
            "token id \(token) is outside the vocabulary (size \(vocabSize)); the tokenizer does not match the model"
        case let .segmentOutOfRange(position):
            "segment start at position \(position) is after the token itself; the batch was built wrongly"
        }
    }
}

/// A Llama model for LoRA training: `forward` saves activations, `backward` accumulates LoRA
/// gradients into `lora.gradients`. Not thread-safe: one training loop owns it.
public final class LlamaTrainingModel: @unchecked Sendable {
    /// Activations saved by the forward pass for one block; N = B·T.
    final class LayerActivations {
        /// (N, C) block input (residual stream)
        let xIn: TrainingTensor
        /// (N, C + 2·KVd) q|k|v after RoPE
        let qkv: TrainingTensor
        /// (N, C) attention output, input of o
        let attention: TrainingTensor
        /// (N, C) residual after attention
        let xMid: TrainingTensor
        /// (N, 2F) gate|up pre-activation; backward overwrites it with its gradient
        let gateUp: TrainingTensor
        /// (N) each
        let rstdAttention: TrainingTensor, rstdFFN: TrainingTensor
        /// (N, H) log Σ exp of each query row's attention scores per head
        let attentionLSE: TrainingTensor
        /// (N, r) x·Aᵀ per targeted projection
        var loraXA: [LlamaProjection: TrainingTensor] = [:]

        init(n: Int, config: LlamaTrainingConfig) {
            xIn = TrainingTensor(count: n * config.dim)
            qkv = TrainingTensor(count: n * config.qkvDim)
            attention = TrainingTensor(count: n * config.dim)
            xMid = TrainingTensor(count: n * config.dim)
            gateUp = TrainingTensor(count: n * 2 * config.ffnDim)
            rstdAttention = TrainingTensor(count: n)
            rstdFFN = TrainingTensor(count: n)
            attentionLSE = TrainingTensor(count: n * config.heads)
        }
    }

    public let config: LlamaTrainingConfig
    public let weights: LlamaTrainingWeights
    public let lora: LoRAParameterSet
    public let maxBatch: Int
    public let maxSeq: Int
    /// LoRA dropout probability on the branch input (PEFT `lora_dropout`).
    public let dropout: Float
    /// Seeds this micro-batch's dropout masks; the trainer sets it before each forward.
    public var dropoutSeed: UInt64 = 0
    /// When set, each part of forward and backward adds its wall time here (`bench train --profile`).
    public var profile: StepProfile?

    let rope: RoPETable
    let layerActivations: [LayerActivations]
    /// (N, C) final block output, input of the output norm
    let xFinal: TrainingTensor
    /// (N)
    let rstdFinal: TrainingTensor
    // Scratch, reused by every layer.
    /// (N, C)
    let xNorm: TrainingTensor, dx: TrainingTensor, dxNorm: TrainingTensor, projected: TrainingTensor
    /// (N, F)
    let hidden: TrainingTensor, dHidden: TrainingTensor
    /// (N, C + 2·KVd)
    let dqkv: TrainingTensor
    /// (N, max in-features): dropped LoRA input and its gradient
    let dropInput: TrainingTensor, dropGrad: TrainingTensor
    /// (N, r)
    let loraScratch: TrainingTensor
    let attentionScratch: AttentionScratch
    let pool: WorkerPool
    let head: OutputHeadScratch
    // The current batch.
    var tokens: [Int32] = [], targets: [Int32] = [], segmentStarts: [Int32] = [], positions: [Int32] = []
    var batchSize = 0, seqLen = 0

    /// Allocates activations for micro-batches up to maxBatch × maxSeq tokens. The head scores
    /// `headRows` rows at a time (default: the whole micro-batch) in tiles of `headTile` tokens.
    public init(weights: LlamaTrainingWeights, lora: LoRAParameterSet, maxBatch: Int, maxSeq: Int,
                dropout: Float = 0, headRows: Int? = nil, headTile: Int = 512) {
        let config = weights.config
        self.config = config
        self.weights = weights
        self.lora = lora
        self.maxBatch = maxBatch
        self.maxSeq = maxSeq
        self.dropout = dropout
        let n = maxBatch * maxSeq
        rope = RoPETable(headDim: config.headDim, maxPositions: maxSeq, base: config.ropeBase)
        layerActivations = (0..<config.layers).map { layer in
            let acts = LayerActivations(n: n, config: config)
            for projection in LlamaProjection.allCases where lora.slot(LoRAKey(layer: layer, projection: projection)) != nil {
                acts.loraXA[projection] = TrainingTensor(count: n * lora.rank)
            }
            return acts
        }
        xFinal = TrainingTensor(count: n * config.dim)
        rstdFinal = TrainingTensor(count: n)
        xNorm = TrainingTensor(count: n * config.dim)
        dx = TrainingTensor(count: n * config.dim)
        dxNorm = TrainingTensor(count: n * config.dim)
        projected = TrainingTensor(count: n * config.dim)
        hidden = TrainingTensor(count: n * config.ffnDim)
        dHidden = TrainingTensor(count: n * config.ffnDim)
        dqkv = TrainingTensor(count: n * config.qkvDim)
        let dropWidth = dropout > 0 ? max(config.dim, config.ffnDim) : 0
        dropInput = TrainingTensor(count: n * dropWidth)
        dropGrad = TrainingTensor(count: n * dropWidth)
        loraScratch = TrainingTensor(count: n * lora.rank)
        pool = WorkerPool.shared
        attentionScratch = AttentionScratch(threads: pool.threadCount, seq: maxSeq, headDim: config.headDim)
        head = OutputHeadScratch(rows: headRows ?? maxBatch * maxSeq, vocab: config.vocabSize, dim: config.dim,
                                 slots: pool.threadCount, tile: headTile)
    }

    /// Checks a batch against the allocation and the vocabulary.
    func validate(_ batch: TrainingBatch) throws(TrainingModelError) {
        guard batch.batchSize <= maxBatch, batch.seqLen <= maxSeq else {
            throw .batchTooLarge(batch: batch.batchSize, seq: batch.seqLen, maxBatch: maxBatch, maxSeq: maxSeq)
        }
        for token in batch.tokens where token < 0 || Int(token) >= config.vocabSize {
            throw .tokenOutOfRange(token: token, vocabSize: config.vocabSize)
        }
        for target in batch.targets where Int(target) >= config.vocabSize {
            throw .tokenOutOfRange(token: target, vocabSize: config.vocabSize)
        }
        for (i, start) in batch.segmentStarts.enumerated() where start < 0 || Int(start) > i % batch.seqLen {
            throw .segmentOutOfRange(position: i)
        }
    }

    /// The LoRA pair of one projection as a layer view, with its column offset in the fused output.
    func loraView(layer: Int, _ projection: LlamaProjection) -> LoRAView? {
        let offset: Int
        switch projection {
        case .k: offset = config.dim
        case .v: offset = config.dim + config.kvDim
        case .up: offset = config.ffnDim
        default: offset = 0
        }
        return lora.view(LoRAKey(layer: layer, projection: projection), outOffset: offset)
    }
}
