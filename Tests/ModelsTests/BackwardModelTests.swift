// Finite-difference check of every LoRA parameter's gradient in a tiny random Llama
// (2 layers, dim 32, 4 heads over 2 KV heads, packed and padded rows, ignored targets).
// Central differences in f32 on the summed loss, eps = 3e-3 (1e-2 is too coarse where attention is sharp); tolerance: relative L2 error ≤ 2e-2
// per pair and per parameter |fd − analytic| ≤ 2e-3 + 5e-2·|analytic|.
import Kernels
import Testing
@testable import Models

@Suite("Backward model: finite differences")
struct BackwardModelTests {
    static let config = LlamaTrainingConfig(vocabSize: 64, dim: 32, layers: 2, heads: 4, kvHeads: 2, ffnDim: 48,
                                            ropeBase: 10_000, normEps: 1e-5)

    static func randomLoRA(rank: Int, seed: UInt64) -> LoRAWeights {
        var rng = SplitMix64(seed: seed)
        var weights = LoRAWeights(rank: rank, alpha: 8)
        for layer in 0..<config.layers {
            for projection in LlamaProjection.allCases {
                let (inF, outF) = config.features(of: projection)
                let a = (0..<(rank * inF)).map { _ in 0.4 * (2 * rng.nextFloat() - 1) }
                let b = (0..<(outF * rank)).map { _ in 0.4 * (2 * rng.nextFloat() - 1) }
                weights.pairs[LoRAKey(layer: layer, projection: projection)] =
                    LoRAPair(rank: rank, inFeatures: inF, outFeatures: outF, a: a, b: b)
            }
        }
        return weights
    }

    static func batch() -> TrainingBatch {
        var rng = SplitMix64(seed: 99)
        let tokens = (0..<16).map { _ in Int32(rng.next() % 64) }
        var targets = (0..<16).map { _ in Int32(rng.next() % 64) }
        targets[0] = -1; targets[5] = -1; targets[15] = -1
        // Row 0: one example; row 1: two packed examples, the second from t = 3.
        let starts: [Int32] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3]
        return TrainingBatch(batchSize: 2, seqLen: 8, tokens: tokens, targets: targets, segmentStarts: starts)
    }

    /// Attention-only targets (the benchmark's q,k,v,o) skip work the feed-forward LoRA would need;
    /// their gradients equal those of a model whose feed-forward pairs exist but have B = 0.
    @Test func attentionOnlyTargetsMatchZeroFeedForwardPairs() throws {
        let weights = LlamaTrainingWeights.random(config: Self.config, seed: 5)
        var all = Self.randomLoRA(rank: 4, seed: 7)
        var attention = LoRAWeights(rank: all.rank, alpha: all.alpha)
        for (key, pair) in all.pairs {
            if [.q, .k, .v, .o].contains(key.projection) {
                attention.pairs[key] = pair
            } else {
                all.pairs[key] = LoRAPair(rank: pair.rank, inFeatures: pair.inFeatures, outFeatures: pair.outFeatures,
                                          a: pair.a, b: Array(repeating: 0, count: pair.b.count))
            }
        }
        func gradients(_ weightsOfLoRA: LoRAWeights) throws -> (LoRAParameterSet, Double) {
            let lora = LoRAParameterSet(weights: weightsOfLoRA)
            let model = LlamaTrainingModel(weights: weights, lora: lora, maxBatch: 2, maxSeq: 8, headRows: 5)
            lora.gradients.zero()
            return (lora, try model.accumulateGradients(Self.batch(), gradScale: 1).lossSum)
        }
        let (full, fullLoss) = try gradients(all)
        let (subset, subsetLoss) = try gradients(attention)
        #expect(abs(fullLoss - subsetLoss) <= 1e-6 * abs(fullLoss))
        #expect(subset.slots.count == 4 * Self.config.layers)
        for slot in subset.slots {
            let other = try #require(full.slot(slot.key))
            let count = lora(slot, rank: subset.rank)
            let a = Array(UnsafeBufferPointer(start: subset.gradients.pointer + slot.offsetA, count: count))
            let b = Array(UnsafeBufferPointer(start: full.gradients.pointer + other.offsetA, count: count))
            let scale = max(1e-6, a.map(abs).max() ?? 0)
            #expect(scale > 1e-6, "\(slot.key): zero gradient")
            for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-5 * scale, "\(slot.key): \(x) vs \(y)") }
        }
    }

    /// Floats in one slot's A then B.
    func lora(_ slot: LoRAParameterSet.Slot, rank: Int) -> Int { rank * (slot.inFeatures + slot.outFeatures) }

    @Test(arguments: [Float(0), Float(0.25)])
    func everyLoRAParameter(dropout: Float) throws {
        let weights = LlamaTrainingWeights.random(config: Self.config, seed: 5)
        let lora = LoRAParameterSet(weights: Self.randomLoRA(rank: 4, seed: 6))
        let model = LlamaTrainingModel(weights: weights, lora: lora, maxBatch: 2, maxSeq: 8, dropout: dropout, headRows: 5,
                                       headTile: 16)
        model.dropoutSeed = 1234
        let batch = Self.batch()
        lora.gradients.zero()
        let result = try model.accumulateGradients(batch, gradScale: 1)
        #expect(result.count == 13)
        let analytic = lora.gradients.array
        let numeric = FiniteDifference.gradient(of: lora.values.pointer, count: lora.values.count, eps: 3e-3) {
            (try? model.forward(batch).lossSum) ?? .nan
        }
        for slot in lora.slots {
            let rangeA = slot.offsetA..<slot.offsetB
            let rangeB = slot.offsetB..<(slot.offsetB + slot.outFeatures * lora.rank)
            for (name, range) in [("A", rangeA), ("B", rangeB)] {
                let c = FiniteDifference.compare(Array(analytic[range]), Array(numeric[range]))
                #expect(c.maxAbsAnalytic > 0, "layer \(slot.key.layer) \(slot.key.projection) \(name): zero gradient")
                #expect(c.relativeError <= 2e-2, "layer \(slot.key.layer) \(slot.key.projection) \(name): rel \(c.relativeError)")
                for i in range {
                    #expect(abs(analytic[i] - numeric[i]) <= 2e-3 + 5e-2 * abs(analytic[i]),
                            "layer \(slot.key.layer) \(slot.key.projection) \(name)[\(i - range.lowerBound)]: \(analytic[i]) vs \(numeric[i])")
                }
            }
        }
    }

    @Test func gradientsAccumulateAcrossMicroBatches() throws {
        let weights = LlamaTrainingWeights.random(config: Self.config, seed: 5)
        let lora = LoRAParameterSet(weights: Self.randomLoRA(rank: 2, seed: 7))
        let model = LlamaTrainingModel(weights: weights, lora: lora, maxBatch: 2, maxSeq: 8)
        lora.gradients.zero()
        try model.accumulateGradients(Self.batch(), gradScale: 0.5)
        let once = lora.gradients.array
        try model.accumulateGradients(Self.batch(), gradScale: 0.5)
        let twice = lora.gradients.array
        lora.gradients.zero()
        try model.accumulateGradients(Self.batch(), gradScale: 1)
        let full = lora.gradients.array
        for i in 0..<full.count {
            #expect(abs(twice[i] - full[i]) <= 1e-5 + 1e-4 * abs(full[i]))
            #expect(abs(once[i] * 2 - full[i]) <= 1e-5 + 1e-4 * abs(full[i]))
        }
    }

    @Test func rejectsOutOfRangeTokens() {
        let weights = LlamaTrainingWeights.random(config: Self.config, seed: 5)
        let model = LlamaTrainingModel(weights: weights, lora: LoRAParameterSet(weights: LoRAWeights(rank: 2, alpha: 4)),
                                       maxBatch: 1, maxSeq: 4)
        let bad = TrainingBatch(batchSize: 1, seqLen: 4, tokens: [1, 2, 64, 3], targets: [2, 3, 4, -1])
        #expect(throws: TrainingModelError.tokenOutOfRange(token: 64, vocabSize: 64)) { try model.forward(bad) }
        let big = TrainingBatch(batchSize: 2, seqLen: 4, tokens: Array(repeating: 1, count: 8), targets: Array(repeating: 1, count: 8))
        #expect(throws: TrainingModelError.self) { try model.forward(big) }
    }
}
