// Builds small random llama GGUF files in memory, for tests that need no model download.
import Foundation
import Kernels
import ModelFiles
@testable import Models

struct LlamaTinyModel {
    var layers = 2, dim = 64, ffn = 96, heads = 4, kvHeads = 2, vocab = 50
    var architecture = "llama"
    var seed: UInt64 = 1
    /// Weights by tensor name (ggml order dims, f32 values).
    var tensors: [(name: String, dims: [Int], values: [Float])] = []

    init(seed: UInt64 = 1) {
        self.seed = seed
        var rng = TestRandom(seed: seed)
        func add(_ name: String, _ dims: [Int], scale: Float = 0.2, offset: Float = 0) {
            let n = dims.reduce(1, *)
            tensors.append((name, dims, (0..<n).map { _ in offset + Float.random(in: -scale...scale, using: &rng) }))
        }
        let hd = dim / heads
        add("token_embd.weight", [dim, vocab], scale: 1)
        for l in 0..<layers {
            let p = "blk.\(l)."
            add(p + "attn_norm.weight", [dim], scale: 0.1, offset: 1)
            add(p + "attn_q.weight", [dim, heads * hd])
            add(p + "attn_k.weight", [dim, kvHeads * hd])
            add(p + "attn_v.weight", [dim, kvHeads * hd])
            add(p + "attn_output.weight", [heads * hd, dim])
            add(p + "ffn_norm.weight", [dim], scale: 0.1, offset: 1)
            add(p + "ffn_gate.weight", [dim, ffn])
            add(p + "ffn_up.weight", [dim, ffn])
            add(p + "ffn_down.weight", [ffn, dim])
        }
        add("output_norm.weight", [dim], scale: 0.1, offset: 1)
    }

    mutating func replace(_ name: String, with values: [Float]) {
        guard let i = tensors.firstIndex(where: { $0.name == name }) else { return }
        tensors[i].values = values
    }

    func values(_ name: String) -> [Float] { tensors.first { $0.name == name }!.values }

    /// Stores `name` as `type` (F16, BF16 or Q8_0) and returns the values a reader decodes,
    /// so an all-F32 twin with those values must give the same logits.
    mutating func store(_ name: String, as type: GGMLType) -> [Float] {
        guard let i = tensors.firstIndex(where: { $0.name == name }) else { return [] }
        let values = tensors[i].values
        var bytes: [UInt8] = []
        var decoded: [Float] = []
        func appendHalf(_ h: Float16) { bytes += [UInt8(h.bitPattern & 0xFF), UInt8(h.bitPattern >> 8)] }
        switch type {
        case .f16:
            for v in values { let h = Float16(v); appendHalf(h); decoded.append(Float(h)) }
        case .bf16:
            for v in values {
                let bits = UInt16(v.bitPattern >> 16)
                bytes += [UInt8(bits & 0xFF), UInt8(bits >> 8)]
                decoded.append(Float(bitPattern: UInt32(bits) << 16))
            }
        case .q8_0:
            for b in 0..<(values.count / 32) {
                let block = values[(b * 32)..<(b * 32 + 32)]
                let d = Float16((block.map(abs).max() ?? 0) / 127)
                appendHalf(d)
                for v in block {
                    let q = Int8(max(-127, min(127, (v / max(Float(d), 1e-12)).rounded())))
                    bytes.append(UInt8(bitPattern: q))
                    decoded.append(Float(q) * Float(d))
                }
            }
        default:
            return []
        }
        encoded[name] = (type, bytes)
        return decoded
    }

    /// Tensors stored in a format other than F32, with their bytes.
    var encoded: [String: (GGMLType, [UInt8])] = [:]

    func gguf(omitting omitted: String? = nil) throws -> GGUFFile {
        var w = GGUFWriter()
        w.set("general.architecture", .string(architecture))
        w.set("llama.block_count", .uint32(UInt32(layers)))
        w.set("llama.embedding_length", .uint32(UInt32(dim)))
        w.set("llama.feed_forward_length", .uint32(UInt32(ffn)))
        w.set("llama.attention.head_count", .uint32(UInt32(heads)))
        w.set("llama.attention.head_count_kv", .uint32(UInt32(kvHeads)))
        w.set("llama.rope.freq_base", .float32(10_000))
        w.set("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        w.set("llama.context_length", .uint32(64))
        w.set("llama.vocab_size", .uint32(UInt32(vocab)))
        for t in tensors where t.name != omitted {
            if let (type, bytes) = encoded[t.name] {
                w.addTensor(name: t.name, dimensions: t.dims, type: type, data: bytes)
            } else {
                w.addTensor(name: t.name, dimensions: t.dims, floats: t.values)
            }
        }
        return try GGUFFile(bytes: w.bytes())
    }
}

/// Random test data is the same on every run.
typealias TestRandom = SplitMix64
