// Fresh LoRA adapters initialised as Hugging Face PEFT does: A Kaiming-uniform (a = √5, so
// U(−1/√in, 1/√in)), B zero, so training starts from the base model exactly.
import Kernels
import Models

extension LoRAWeights {
    /// A new adapter on `targets` of every layer of a model shaped like `config`.
    public static func peftInitialized(config: LlamaTrainingConfig, rank: Int, alpha: Float, useRSLoRA: Bool = false,
                                       targets: [LlamaProjection], seed: UInt64) -> LoRAWeights {
        var rng = SplitMix64(seed: seed)
        var weights = LoRAWeights(rank: rank, alpha: alpha, useRSLoRA: useRSLoRA)
        for layer in 0..<config.layers {
            for projection in LlamaProjection.allCases where targets.contains(projection) {
                let (inF, outF) = config.features(of: projection)
                let bound = 1 / Float(inF).squareRoot()
                let a = (0..<(rank * inF)).map { _ in bound * (2 * rng.nextFloat() - 1) }
                weights.pairs[LoRAKey(layer: layer, projection: projection)] =
                    LoRAPair(rank: rank, inFeatures: inF, outFeatures: outF, a: a, b: Array(repeating: 0, count: outF * rank))
            }
        }
        return weights
    }
}
