// Export of an adapter as a GGUF LoRA file in the form llama.cpp's `--lora` loads (see
// llama.cpp src/llama-adapter.cpp and convert_lora_to_gguf.py): general.type = "adapter",
// adapter.type = "lora", adapter.lora.alpha; tensors `blk.N.attn_q.weight.lora_a` with ggml
// dimensions [in, r] and `.lora_b` with [r, out] (row-major A (r, in) and B (out, r), as PEFT),
// q/k B rows in GGUF (RoPE-permuted) order like the base model's own q/k weights.
import Foundation
import ModelFiles
import Models

extension AdapterFiles {
    /// The GGUF bytes of `weights` (q/k B rows in GGUF order, as `LoRAWeights` hold them).
    public static func ggufLoRA(_ weights: LoRAWeights, architecture: String = "llama", name: String = "adapter") -> GGUFWriter {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string(architecture))
        writer.set("general.type", .string("adapter"))
        writer.set("general.name", .string(name))
        writer.set("adapter.type", .string("lora"))
        // llama.cpp scales by alpha / rank; rsLoRA's alpha/√r is expressed as an equivalent alpha.
        let alpha = weights.useRSLoRA ? weights.alpha * Float(weights.rank).squareRoot() : weights.alpha
        writer.set("adapter.lora.alpha", .float32(alpha))
        let keys = weights.pairs.keys.sorted {
            ($0.layer, LoRAParameterSet.order($0.projection)) < ($1.layer, LoRAParameterSet.order($1.projection))
        }
        for key in keys {
            let pair = weights.pairs[key]!  // key from the dictionary
            let stem = "blk.\(key.layer).\(key.projection.ggufName).weight"
            writer.addTensor(name: stem + ".lora_a", dimensions: [pair.inFeatures, pair.rank], floats: pair.a)
            writer.addTensor(name: stem + ".lora_b", dimensions: [pair.rank, pair.outFeatures], floats: pair.b)
        }
        return writer
    }

    /// Writes the GGUF LoRA file atomically and durably (hidden temporary beside `url`, fsync,
    /// rename): a kill leaves the old file or the new one.
    public static func exportGGUF(_ weights: LoRAWeights, to url: URL, name: String) throws {
        do {
            try DurableFiles.write(ggufLoRA(weights, name: name).bytes(), to: url)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.writeFailed(path: url.path, reason: "\(error)")
        }
    }
}
