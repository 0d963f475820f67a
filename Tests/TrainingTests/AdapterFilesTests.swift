// Adapter files: PEFT safetensors + config round-trip bit-identically; an adapter saved by PEFT
// itself loads and changes the real model's loss exactly as it does in PyTorch; the GGUF export
// has llama.cpp's names, metadata and orientation.
import Kernels
import Foundation
import ModelFiles
import Models
import Testing
@testable import Training

@Suite("Adapter files")
struct AdapterFilesTests {
    static func randomAdapter(config: LlamaTrainingConfig, rank: Int) -> LoRAWeights {
        var rng = SplitMix64(seed: 21)
        var w = LoRAWeights(rank: rank, alpha: 12, useRSLoRA: true)
        for layer in 0..<config.layers {
            for projection in LlamaProjection.allCases {
                let (inF, outF) = config.features(of: projection)
                w.pairs[LoRAKey(layer: layer, projection: projection)] = LoRAPair(
                    rank: rank, inFeatures: inF, outFeatures: outF,
                    a: (0..<(rank * inF)).map { _ in rng.nextFloat() - 0.5 }, b: (0..<(outF * rank)).map { _ in rng.nextFloat() - 0.5 })
            }
        }
        return w
    }

    @Test func peftFilesRoundTripBitIdentically() throws {
        let dir = try TrainingFixtures.temporaryDirectory("adapter")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = TrainingFixtures.tinyConfig
        let original = Self.randomAdapter(config: config, rank: 3)
        try AdapterFiles.save(original, headDim: config.headDim, to: dir)
        let loaded = try AdapterFiles.load(from: dir, config: config)
        #expect(loaded.rank == 3 && loaded.alpha == 12 && loaded.useRSLoRA)
        #expect(loaded.pairs.count == original.pairs.count)
        for (key, pair) in original.pairs {
            let other = try #require(loaded.pairs[key])
            #expect(other.a.map(\.bitPattern) == pair.a.map(\.bitPattern), "\(key) A")
            #expect(other.b.map(\.bitPattern) == pair.b.map(\.bitPattern), "\(key) B")
        }
        // On disk: PEFT names and shapes, q/k B rows in HF order.
        let file = try SafetensorsFile(url: dir.appendingPathComponent(AdapterFiles.modelFile))
        let key = LoRAKey(layer: 1, projection: .k)
        let name = "base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"
        #expect(try file.info(name).shape == [config.kvDim, 3])
        #expect(try file.info("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight").shape == [3, config.ffnDim])
        let hfB = try file.floats(name)
        let ggufB = try #require(original.pairs[key]).b
        let hd = config.headDim
        for row in 0..<config.kvDim {
            #expect(Array(hfB[PEFTRowOrder.hfRow(ofGGUFRow: row, headDim: hd) * 3 ..< PEFTRowOrder.hfRow(ofGGUFRow: row, headDim: hd) * 3 + 3])
                    == Array(ggufB[row * 3 ..< row * 3 + 3]))
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(AdapterFiles.configFile))) as? [String: Any])
        #expect(json["peft_type"] as? String == "LORA" && json["r"] as? Int == 3 && json["use_rslora"] as? Bool == true)
        #expect(Set(json["target_modules"] as? [String] ?? []) == ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    }

    @Test func refusesAdaptersForAnotherModel() throws {
        let dir = try TrainingFixtures.temporaryDirectory("mismatch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = TrainingFixtures.tinyConfig
        try AdapterFiles.save(Self.randomAdapter(config: config, rank: 2), headDim: config.headDim, to: dir)
        var wider = config
        wider.dim = 64
        #expect(throws: TrainingError.self) { try AdapterFiles.load(from: dir, config: wider) }
        var shallower = config
        shallower.layers = 1
        #expect(throws: TrainingError.self) { try AdapterFiles.load(from: dir, config: shallower) }
        #expect(throws: TrainingError.self) { try AdapterFiles.load(from: dir.appendingPathComponent("nothing"), config: config) }
    }

    @Test func loadsAnAdapterSavedByPEFT() throws {
        let modelURL = ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            print("skipping: \(modelURL.path) is absent (run `make models`)")
            return
        }
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let dir = fixtures.appendingPathComponent("peft_adapter")
        struct Expected: Decodable { let base_loss: Double; let adapted_loss: Double; let tokens: [Int32] }
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: dir.appendingPathComponent("expected.json")))
        let weights = try LlamaTrainingWeights(url: modelURL)
        let adapter = try AdapterFiles.load(from: dir, config: weights.config)
        #expect(adapter.rank == 2 && adapter.pairs.count == 10)
        let tokens = expected.tokens
        let targets = tokens.indices.map { $0 + 1 < tokens.count ? tokens[$0 + 1] : -1 }
        let batch = TrainingBatch(batchSize: 1, seqLen: tokens.count, tokens: tokens, targets: targets)
        func loss(_ lora: LoRAWeights) throws -> Double {
            let model = LlamaTrainingModel(weights: weights, lora: LoRAParameterSet(weights: lora), maxBatch: 1, maxSeq: tokens.count)
            let r = try model.forward(batch)
            return r.lossSum / Double(r.count)
        }
        let base = try loss(LoRAWeights(rank: 2, alpha: 4))
        let adapted = try loss(adapter)
        #expect(abs(base - expected.base_loss) <= 1e-4 * expected.base_loss, "base \(base) vs \(expected.base_loss)")
        #expect(abs(adapted - expected.adapted_loss) <= 1e-4 * expected.adapted_loss, "adapted \(adapted) vs \(expected.adapted_loss)")
        #expect(abs(adapted - base) > 1e-2)
    }

    @Test func ggufExportHasLlamaCppLayout() throws {
        let config = TrainingFixtures.tinyConfig
        let adapter = Self.randomAdapter(config: config, rank: 3)
        let file = try GGUFFile(bytes: AdapterFiles.ggufLoRA(adapter, name: "tiny").bytes())
        #expect(file.string("general.type") == "adapter" && file.string("adapter.type") == "lora")
        #expect(file.string("general.architecture") == "llama")
        // rsLoRA: alpha/√r is written as the alpha llama.cpp divides by r.
        #expect(abs((file.float("adapter.lora.alpha") ?? 0) - 12 * Float(3).squareRoot()) < 1e-5)
        #expect(file.tensors.count == config.layers * 7 * 2)
        let a = try #require(file.tensor(named: "blk.1.attn_k.weight.lora_a"))
        let b = try #require(file.tensor(named: "blk.1.attn_k.weight.lora_b"))
        #expect(a.dimensions == [config.dim, 3] && b.dimensions == [3, config.kvDim])
        let pair = try #require(adapter.pairs[LoRAKey(layer: 1, projection: .k)])
        #expect(try file.dequantize(a) == pair.a)
        #expect(try file.dequantize(b) == pair.b)
        #expect(file.tensor(named: "blk.0.ffn_down.weight.lora_a")?.dimensions == [config.ffnDim, 3])
    }
}
