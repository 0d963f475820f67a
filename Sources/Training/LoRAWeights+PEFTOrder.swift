// Row order of q and k LoRA B matrices: Parallax (like llama.cpp) keeps q/k rows in the GGUF order,
// permuted for adjacent-pair RoPE; Hugging Face PEFT files hold them in the original order.
// The permutation is the inverse of llama.cpp convert_hf_to_gguf.py `LlamaModel.permute`.
import Models

/// Converts LoRA pairs between GGUF row order (what `LoRAWeights` holds for inference and
/// training) and Hugging Face order (what PEFT files hold). Only B of q and k changes; A never does.
public enum PEFTRowOrder {
    /// The Hugging Face row for GGUF row `row` of a q/k projection with heads of size hd:
    /// within a head, GGUF row 2i + s holds HF row s·hd/2 + i.
    @inline(__always)
    public static func hfRow(ofGGUFRow row: Int, headDim hd: Int) -> Int {
        let head = row / hd, g = row % hd
        return head * hd + (g % 2) * (hd / 2) + g / 2
    }

    /// B (out, r) rows reordered from GGUF to HF order (`toHF`) or back.
    public static func reorder(_ b: [Float], rank: Int, headDim: Int, toHF: Bool) -> [Float] {
        var out = b
        let rows = b.count / rank
        for row in 0..<rows {
            let hf = hfRow(ofGGUFRow: row, headDim: headDim)
            let (from, to) = toHF ? (row, hf) : (hf, row)
            for j in 0..<rank { out[to * rank + j] = b[from * rank + j] }
        }
        return out
    }

    /// Whether a projection's output rows are RoPE-permuted in GGUF files.
    public static func isPermuted(_ projection: LlamaProjection) -> Bool { projection == .q || projection == .k }

    /// The whole adapter with q/k B rows converted (`toHF`: GGUF → HF; else HF → GGUF).
    public static func convert(_ weights: LoRAWeights, headDim: Int, toHF: Bool) -> LoRAWeights {
        var result = weights
        for (key, pair) in weights.pairs where isPermuted(key.projection) {
            var p = pair
            p.b = reorder(pair.b, rank: pair.rank, headDim: headDim, toHF: toHF)
            result.pairs[key] = p
        }
        return result
    }
}
