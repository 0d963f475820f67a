// The llama forward on small random models: prefill agrees with decode, run-time LoRA equals
// merged weights, and bad files or inputs give clear errors instead of traps.
import Foundation
import Testing
import ModelFiles
@testable import Models

@Suite struct LlamaModelTests {
    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test func configFromMetadata() throws {
        let model = try LlamaModel(file: LlamaTinyModel().gguf())
        let c = model.config
        #expect(c.layerCount == 2 && c.embeddingLength == 64 && c.headCount == 4 && c.kvHeadCount == 2)
        #expect(c.headDimension == 16 && c.ropeDimensions == 16 && c.vocabularySize == 50 && c.contextLength == 64)
        #expect(model.hasTiedOutput)
    }

    @Test func prefillMatchesTokenByTokenDecode() throws {
        let model = try LlamaModel(file: LlamaTinyModel().gguf())
        let tokens = [3, 17, 42, 5, 9, 11, 0, 49, 23, 7]
        let batched = model.makeSession()
        _ = try batched.prefill(Array(tokens[0..<4]))
        let afterBatch = try batched.prefill(Array(tokens[4...]))   // second block continues the first
        let stepwise = model.makeSession(capacity: 2)                // also exercises cache growth
        var afterSteps: [Float] = []
        for t in tokens { afterSteps = try stepwise.decode(t) }
        #expect(batched.count == tokens.count && stepwise.count == tokens.count)
        // sgemm and the SIMD mat-vec sum in different orders: agreement to f32 rounding.
        #expect(Self.maxDifference(afterBatch, afterSteps) < 1e-4)
        let next1 = try batched.decode(1), next2 = try stepwise.decode(1)
        #expect(Self.maxDifference(next1, next2) < 1e-4)
    }

    @Test func runtimeLoRAEqualsMergedWeights() throws {
        let tiny = LlamaTinyModel()
        var rng = TestRandom(seed: 99)
        let rank = 3
        var adapter = LoRAWeights(rank: rank, alpha: 6)
        let targets: [(Int, LlamaProjection, Int, Int)] = [(0, .q, 64, 64), (1, .v, 32, 64), (0, .down, 64, 96), (1, .gate, 96, 64)]
        let strength: Float = 0.7
        var merged = tiny
        for (layer, projection, out, inp) in targets {
            let a = (0..<(rank * inp)).map { _ in Float.random(in: -0.3...0.3, using: &rng) }
            let b = (0..<(out * rank)).map { _ in Float.random(in: -0.3...0.3, using: &rng) }
            adapter.pairs[LoRAKey(layer: layer, projection: projection)] =
                LoRAPair(rank: rank, inFeatures: inp, outFeatures: out, a: a, b: b)
            let name = "blk.\(layer).\(projection.ggufName).weight"
            var w = tiny.values(name)                       // (out, in) row-major
            for o in 0..<out {
                for i in 0..<inp {
                    var delta: Float = 0
                    for r in 0..<rank { delta += b[o * rank + r] * a[r * inp + i] }
                    w[o * inp + i] += strength * adapter.scale * delta
                }
            }
            merged.replace(name, with: w)
        }
        let tokens = [4, 8, 15, 16, 23, 42]
        let reference = try LlamaModel(file: merged.gguf()).makeSession()
        let want = try reference.prefill(tokens)
        let model = try LlamaModel(file: tiny.gguf())
        let session = model.makeSession()
        try session.setAdapter(adapter, strength: strength)
        let gotPrefill = try session.prefill(tokens)
        #expect(Self.maxDifference(gotPrefill, want) < 1e-4)
        let stepwise = model.makeSession()
        try stepwise.setAdapter(adapter, strength: strength)
        var gotDecode: [Float] = []
        for t in tokens { gotDecode = try stepwise.decode(t) }
        #expect(Self.maxDifference(gotDecode, want) < 1e-4)
        // Strength 0 is the base model; the adapter really changes the output.
        let base = try model.makeSession().prefill(tokens)
        let off = model.makeSession()
        try off.setAdapter(adapter, strength: 0)
        #expect(try off.prefill(tokens) == base)
        #expect(Self.maxDifference(base, want) > 1e-3)
    }

    @Test func f16BF16AndQ8WeightsMatchAnF32TwinWithTheSameValues() throws {
        var mixed = LlamaTinyModel()
        var twin = mixed
        for (name, type) in [("blk.0.attn_q.weight", GGMLType.f16), ("blk.1.ffn_down.weight", .bf16),
                             ("blk.0.ffn_up.weight", .q8_0), ("token_embd.weight", .q8_0)] {
            twin.replace(name, with: mixed.store(name, as: type))
        }
        let tokens = [2, 4, 6, 8, 10]
        let got = try LlamaModel(file: mixed.gguf()).makeSession().prefill(tokens)
        let want = try LlamaModel(file: twin.gguf()).makeSession().prefill(tokens)
        #expect(Self.maxDifference(got, want) < 1e-4)
    }

    @Test func adapterOfWrongShapeIsRejected() throws {
        let model = try LlamaModel(file: LlamaTinyModel().gguf())
        var adapter = LoRAWeights(rank: 2, alpha: 2)
        adapter.pairs[LoRAKey(layer: 0, projection: .k)] =
            LoRAPair(rank: 2, inFeatures: 64, outFeatures: 64, a: .init(repeating: 0, count: 128), b: .init(repeating: 0, count: 128))
        #expect(throws: LlamaError.self) { try model.makeSession().setAdapter(adapter) }
        adapter.pairs = [LoRAKey(layer: 5, projection: .q):
            LoRAPair(rank: 2, inFeatures: 64, outFeatures: 64, a: .init(repeating: 0, count: 128), b: .init(repeating: 0, count: 128))]
        #expect(throws: LlamaError.self) { try model.makeSession().setAdapter(adapter) }
    }

    @Test func badFilesAndInputsGiveErrors() throws {
        var bert = LlamaTinyModel()
        bert.architecture = "bert"
        #expect(throws: LlamaError.notLlama(architecture: "bert")) { try LlamaModel(file: bert.gguf()) }
        #expect(throws: LlamaError.missingTensor("blk.1.ffn_up.weight")) {
            try LlamaModel(file: LlamaTinyModel().gguf(omitting: "blk.1.ffn_up.weight"))
        }
        var wrong = LlamaTinyModel()
        wrong.heads = 3   // 64 is not divisible by 3
        #expect(throws: LlamaError.self) { try LlamaModel(file: wrong.gguf()) }

        let model = try LlamaModel(file: LlamaTinyModel().gguf())
        let session = model.makeSession()
        #expect(throws: LlamaError.tokenOutOfRange(token: 50, vocabularySize: 50)) { try session.decode(50) }
        #expect(throws: LlamaError.tokenOutOfRange(token: -1, vocabularySize: 50)) { try session.prefill([1, -1]) }
        #expect(throws: LlamaError.emptyInput) { try session.prefill([]) }
        #expect(throws: LlamaError.contextFull(needed: 65, contextLength: 64)) {
            try session.prefill([Int](repeating: 1, count: 65))
        }
        #expect(session.count == 0)
    }

    @Test func errorsDescribeTheProblem() {
        let text = LlamaError.unsupportedTensorType(tensor: "blk.0.attn_q.weight", type: "Q4_K").description
        #expect(text.contains("Q4_K") && text.contains("blk.0.attn_q.weight") && text.contains("supported"))
    }
}
