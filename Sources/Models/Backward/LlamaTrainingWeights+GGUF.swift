// Loads a llama-architecture GGUF into f32 training weights: every tensor dequantised once
// (≈ 540 MB for SmolLM2-135M), q|k|v and gate|up fused row-wise.
import Foundation
import ModelFiles

/// What was wrong with a GGUF for training.
public enum TrainingWeightsError: Error, CustomStringConvertible, Equatable {
    case missingMetadata(key: String)
    case missingTensor(name: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case unsupported(tensor: String, type: String)

    public var description: String {
        switch self {
        case let .missingMetadata(key):
            "the model file has no '\(key)' entry; is it a llama-architecture GGUF?"
        case let .missingTensor(name):
            "the model file has no tensor '\(name)'; is it a llama-architecture GGUF?"
        case let .shapeMismatch(name, expected, found):
            "tensor '\(name)' has shape \(found), expected \(expected); the file does not match its own metadata"
        case let .unsupported(tensor, type):
            "tensor '\(tensor)' is stored as \(type), which training cannot dequantise; use an F32/F16/Q8_0/Q4_0/Q4_1 model"
        }
    }
}

extension LlamaTrainingConfig {
    /// Reads the dimensions from GGUF metadata (`ARCH.embedding_length`, …).
    public init(gguf: GGUFFile) throws(TrainingWeightsError) {
        let arch = gguf.string("general.architecture") ?? "llama"
        func int(_ key: String) throws(TrainingWeightsError) -> Int {
            guard let v = gguf.int("\(arch).\(key)"), v > 0 else { throw .missingMetadata(key: "\(arch).\(key)") }
            return v
        }
        guard let embedding = gguf.tensor(named: "token_embd.weight"), embedding.dimensions.count == 2 else {
            throw .missingTensor(name: "token_embd.weight")
        }
        let dim = try int("embedding_length"), heads = try int("attention.head_count")
        let kvHeads = gguf.int("\(arch).attention.head_count_kv") ?? heads
        guard dim % heads == 0, heads % max(1, kvHeads) == 0, kvHeads > 0, (dim / heads) % 2 == 0 else {
            throw .missingMetadata(key: "\(arch).attention.head_count (inconsistent with embedding_length)")
        }
        self.init(vocabSize: embedding.dimensions[1], dim: dim, layers: try int("block_count"), heads: heads,
                  kvHeads: kvHeads, ffnDim: try int("feed_forward_length"),
                  ropeBase: gguf.float("\(arch).rope.freq_base") ?? 10_000,
                  normEps: gguf.float("\(arch).attention.layer_norm_rms_epsilon") ?? 1e-5)
    }
}

extension LlamaTrainingWeights {
    /// Dequantises every weight of `gguf` to f32. q and k keep the GGUF row order.
    public convenience init(gguf: GGUFFile) throws {
        let config = try LlamaTrainingConfig(gguf: gguf)
        self.init(config: config)
        let c = config.dim, f = config.ffnDim
        try Self.load(gguf, "token_embd.weight", [c, config.vocabSize], into: tokenEmbedding.pointer)
        try Self.load(gguf, "output_norm.weight", [c], into: outputNorm.pointer)
        for (i, layer) in layers.enumerated() {
            let p = "blk.\(i)."
            try Self.load(gguf, p + "attn_norm.weight", [c], into: layer.attentionNorm.pointer)
            try Self.load(gguf, p + "attn_q.weight", [c, c], into: layer.weight(.q, config: config))
            try Self.load(gguf, p + "attn_k.weight", [c, config.kvDim], into: layer.weight(.k, config: config))
            try Self.load(gguf, p + "attn_v.weight", [c, config.kvDim], into: layer.weight(.v, config: config))
            try Self.load(gguf, p + "attn_output.weight", [c, c], into: layer.output.pointer)
            try Self.load(gguf, p + "ffn_norm.weight", [c], into: layer.ffnNorm.pointer)
            try Self.load(gguf, p + "ffn_gate.weight", [c, f], into: layer.weight(.gate, config: config))
            try Self.load(gguf, p + "ffn_up.weight", [c, f], into: layer.weight(.up, config: config))
            try Self.load(gguf, p + "ffn_down.weight", [f, c], into: layer.down.pointer)
        }
    }

    /// Opens and dequantises a GGUF file.
    public convenience init(url: URL) throws {
        try self.init(gguf: GGUFFile(url: url))
    }

    static func load(_ gguf: GGUFFile, _ name: String, _ dimensions: [Int],
                     into destination: UnsafeMutablePointer<Float>) throws {
        guard let info = gguf.tensor(named: name) else { throw TrainingWeightsError.missingTensor(name: name) }
        guard info.dimensions == dimensions else {
            throw TrainingWeightsError.shapeMismatch(name: name, expected: dimensions, found: info.dimensions)
        }
        guard info.type.isSupportedForCompute else {
            throw TrainingWeightsError.unsupported(tensor: name, type: info.type.name)
        }
        try GGMLDequantizer.dequantize(type: info.type, source: gguf.data(of: info).baseAddress!,
                                       count: info.elementCount, into: destination)
    }
}
