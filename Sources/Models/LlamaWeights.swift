// A llama model's weights as views into the memory-mapped GGUF file (kept quantised), checked
// against the configuration when loaded.
import Foundation
import Kernels
import ModelFiles

/// One transformer block's weights. Matrices are (out, in) row-major views into the file.
struct LlamaBlockWeights: @unchecked Sendable {
    let attentionNorm: [Float]   // (dim)
    let q: WeightMatrix          // (heads·headDim, dim)
    let k: WeightMatrix          // (kvHeads·headDim, dim)
    let v: WeightMatrix          // (kvHeads·headDim, dim)
    let o: WeightMatrix          // (dim, heads·headDim)
    let ffnNorm: [Float]         // (dim)
    let gate: WeightMatrix       // (ffn, dim)
    let up: WeightMatrix         // (ffn, dim)
    let down: WeightMatrix       // (dim, ffn)

    func matrix(_ projection: LlamaProjection) -> WeightMatrix {
        switch projection {
        case .q: q
        case .k: k
        case .v: v
        case .o: o
        case .gate: gate
        case .up: up
        case .down: down
        }
    }
}

/// Every weight of the model. Immutable after loading, so one instance is shared by all sessions.
final class LlamaWeights: @unchecked Sendable {
    let file: GGUFFile
    let blocks: [LlamaBlockWeights]
    let embedding: WeightMatrix  // (vocab, dim)
    let output: WeightMatrix     // (vocab, dim); the embedding when tied
    let outputNorm: [Float]      // (dim)
    /// Tensors converted at load time (BF16 → F32), freed with the model.
    private let owned: [UnsafeMutableRawPointer]

    init(file: GGUFFile, config c: LlamaConfig) throws {
        self.file = file
        var owned: [UnsafeMutableRawPointer] = []
        func tensor(_ name: String) throws -> GGUFTensorInfo {
            guard let t = file.tensor(named: name) else { throw LlamaError.missingTensor(name) }
            return t
        }
        func matrix(_ name: String, rows: Int, columns: Int) throws -> WeightMatrix {
            let t = try tensor(name)
            guard t.dimensions == [columns, rows] else {
                throw LlamaError.wrongShape(tensor: name, expected: [columns, rows], found: t.dimensions)
            }
            let data = file.data(of: t)
            let format: WeightFormat
            switch t.type {
            case .f32: format = .f32
            case .f16: format = .f16
            case .q4_0: format = .q4_0
            case .q4_1: format = .q4_1
            case .q8_0: format = .q8_0
            case .bf16:
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: rows * columns)
                owned.append(UnsafeMutableRawPointer(buffer))
                do {
                    try GGMLDequantizer.dequantize(type: .bf16, source: data.baseAddress!, count: rows * columns, into: buffer)
                } catch let error as GGUFError { throw LlamaError.file(error) }
                return WeightMatrix(base: UnsafeRawPointer(buffer), rows: rows, columns: columns, format: .f32)
            default:
                throw LlamaError.unsupportedTensorType(tensor: name, type: t.type.name)
            }
            guard columns % format.blockSize == 0, data.count >= rows * format.rowBytes(columns: columns),
                  let base = data.baseAddress else {
                throw LlamaError.wrongShape(tensor: name, expected: [columns, rows], found: t.dimensions)
            }
            return WeightMatrix(base: base, rows: rows, columns: columns, format: format)
        }
        func vector(_ name: String, count: Int) throws -> [Float] {
            let t = try tensor(name)
            guard t.elementCount == count, t.dimensions.count == 1 else {
                throw LlamaError.wrongShape(tensor: name, expected: [count], found: t.dimensions)
            }
            guard t.type.isSupportedForCompute else { throw LlamaError.unsupportedTensorType(tensor: name, type: t.type.name) }
            do { return try file.dequantize(t) } catch let error as GGUFError { throw LlamaError.file(error) }
        }

        let dim = c.embeddingLength, attn = c.attentionDimension, kv = c.kvDimension, ffn = c.feedForwardLength
        var blocks: [LlamaBlockWeights] = []
        do {
            for i in 0..<c.layerCount {
                let p = "blk.\(i)."
                blocks.append(LlamaBlockWeights(
                    attentionNorm: try vector(p + "attn_norm.weight", count: dim),
                    q: try matrix(p + "attn_q.weight", rows: attn, columns: dim),
                    k: try matrix(p + "attn_k.weight", rows: kv, columns: dim),
                    v: try matrix(p + "attn_v.weight", rows: kv, columns: dim),
                    o: try matrix(p + "attn_output.weight", rows: dim, columns: attn),
                    ffnNorm: try vector(p + "ffn_norm.weight", count: dim),
                    gate: try matrix(p + "ffn_gate.weight", rows: ffn, columns: dim),
                    up: try matrix(p + "ffn_up.weight", rows: ffn, columns: dim),
                    down: try matrix(p + "ffn_down.weight", rows: dim, columns: ffn)))
            }
            embedding = try matrix("token_embd.weight", rows: c.vocabularySize, columns: dim)
            output = file.tensor(named: "output.weight") == nil
                ? embedding : try matrix("output.weight", rows: c.vocabularySize, columns: dim)
            outputNorm = try vector("output_norm.weight", count: dim)
        } catch {
            for p in owned { p.deallocate() }
            throw error
        }
        self.blocks = blocks
        self.owned = owned
    }

    deinit { for p in owned { p.deallocate() } }

    /// Whether the output head shares the token embedding.
    var tiedOutput: Bool { output.base == embedding.base }
}
