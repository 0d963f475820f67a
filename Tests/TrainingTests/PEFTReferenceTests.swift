// LoRA gradients of the real SmolLM2-135M on one fixed batch against PyTorch + PEFT (fp32, the
// same dequantised weights and initial values): Fixtures/lora_reference.json from
// scripts/goldens/lora_reference.py. Tolerances: loss within 1e-4 relative; each gradient
// matrix's L2 norm within 2e-4 relative (measured: 2e-5); sampled entries within 1e-3 of the tensor's
// RMS plus 2e-3 relative to the entry.
import Foundation
import ModelFiles
import Models
import Testing
@testable import Training

@Suite("LoRA gradients of the real model match PyTorch + PEFT")
struct PEFTReferenceTests {
    struct Reference: Decodable {
        struct Tensor: Decodable {
            let layer: Int, projection: String, matrix: String, norm: Double, indices: [Int], values: [Double]
        }
        let loss: Double, rank: Int, alpha: Float, batch: Int, seq: Int, tensors: [Tensor]
    }

    static let projections: [LlamaProjection] = [.q, .k, .v, .o, .gate, .up, .down]

    @Test func gradientsMatchReference() throws {
        let modelURL = ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            print("skipping: \(modelURL.path) is absent (run `make models`)")
            return
        }
        let fixture = try #require(Bundle.module.url(forResource: "lora_reference", withExtension: "json",
                                                     subdirectory: "Fixtures"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: fixture))
        let weights = try LlamaTrainingWeights(url: modelURL)
        let config = weights.config
        // Initial values by the fixture's formula, B in HF order, then into GGUF order.
        var hf = LoRAWeights(rank: reference.rank, alpha: reference.alpha)
        for layer in 0..<config.layers {
            for (p, projection) in Self.projections.enumerated() {
                let (inF, outF) = config.features(of: projection)
                let a = (0..<(reference.rank * inF)).map { Float(0.05 * sin(0.37 * Double($0) + 1.3 * Double(layer) + 0.7 * Double(p) + 0.1)) }
                let b = (0..<(outF * reference.rank)).map { Float(0.02 * cos(0.53 * Double($0) + 0.9 * Double(layer) + 0.4 * Double(p) + 0.2)) }
                hf.pairs[LoRAKey(layer: layer, projection: projection)] = LoRAPair(rank: reference.rank, inFeatures: inF, outFeatures: outF, a: a, b: b)
            }
        }
        let lora = LoRAParameterSet(weights: PEFTRowOrder.convert(hf, headDim: config.headDim, toHF: false))
        let model = LlamaTrainingModel(weights: weights, lora: lora, maxBatch: reference.batch, maxSeq: reference.seq)
        let (b, t) = (reference.batch, reference.seq)
        let tokens = (0..<(b * t)).map { Int32((1000 + 7919 * $0) % 49152) }
        var targets = [Int32](repeating: -1, count: b * t)
        for row in 0..<b {
            for pos in 0..<(t - 1) where !(row == 1 && pos + 1 < 5) { targets[row * t + pos] = tokens[row * t + pos + 1] }
        }
        let batch = TrainingBatch(batchSize: b, seqLen: t, tokens: tokens, targets: targets)
        lora.gradients.zero()
        let result = try model.accumulateGradients(batch, gradScale: 1 / Float(batch.targetCount))
        let loss = result.lossSum / Double(result.count)
        #expect(abs(loss - reference.loss) <= 1e-4 * reference.loss, "loss \(loss) vs \(reference.loss)")
        // Gradients back in HF order for comparison.
        var grads = LoRAWeights(rank: lora.rank, alpha: lora.alpha)
        for slot in lora.slots {
            let ga = Array(UnsafeBufferPointer(start: lora.gradients.pointer + slot.offsetA, count: lora.rank * slot.inFeatures))
            let gb = Array(UnsafeBufferPointer(start: lora.gradients.pointer + slot.offsetB, count: slot.outFeatures * lora.rank))
            grads.pairs[slot.key] = LoRAPair(rank: lora.rank, inFeatures: slot.inFeatures, outFeatures: slot.outFeatures, a: ga, b: gb)
        }
        grads = PEFTRowOrder.convert(grads, headDim: config.headDim, toHF: true)
        var worstNorm = 0.0
        #expect(reference.tensors.count == config.layers * 7 * 2)
        for tensor in reference.tensors {
            let projection = try #require(LlamaProjection(rawValue: tensor.projection))
            let pair = try #require(grads.pairs[LoRAKey(layer: tensor.layer, projection: projection)])
            let values = tensor.matrix == "A" ? pair.a : pair.b
            let norm = values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let rel = abs(norm - tensor.norm) / max(tensor.norm, 1e-12)
            worstNorm = max(worstNorm, rel)
            #expect(rel <= 2e-4, "layer \(tensor.layer) \(tensor.projection) \(tensor.matrix): norm \(norm) vs \(tensor.norm)")
            let rms = tensor.norm / Double(values.count).squareRoot()
            for (i, expected) in zip(tensor.indices, tensor.values) {
                let got = Double(try #require(values.indices.contains(i) ? values[i] : nil))
                #expect(abs(got - expected) <= 1e-3 * rms + 2e-3 * abs(expected),
                        "layer \(tensor.layer) \(tensor.projection) \(tensor.matrix)[\(i)]: \(got) vs \(expected)")
            }
        }
        print("PEFT reference: loss \(loss) vs \(reference.loss); worst gradient-norm relative error \(worstNorm)")
    }
}
