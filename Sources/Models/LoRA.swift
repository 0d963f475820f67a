// LoRA weights as the models consume them: the contract between training (which produces them)
// and inference (which adds their low-rank delta at run time, no merge).
// LoRA: Hu et al. 2021, arXiv:2106.09685; rsLoRA scaling: Kalajdzievski 2023, arXiv:2312.03732.

/// A linear projection inside a Llama block that an adapter can target.
public enum LlamaProjection: String, CaseIterable, Sendable, Codable, Hashable {
    case q, k, v, o, gate, up, down

    /// The module name PEFT and Hugging Face use (`q_proj`, `gate_proj`, …).
    public var peftModuleName: String {
        switch self {
        case .q: "self_attn.q_proj"
        case .k: "self_attn.k_proj"
        case .v: "self_attn.v_proj"
        case .o: "self_attn.o_proj"
        case .gate: "mlp.gate_proj"
        case .up: "mlp.up_proj"
        case .down: "mlp.down_proj"
        }
    }

    /// The tensor name stem in GGUF files (`attn_q`, `ffn_gate`, …).
    public var ggufName: String {
        switch self {
        case .q: "attn_q"
        case .k: "attn_k"
        case .v: "attn_v"
        case .o: "attn_output"
        case .gate: "ffn_gate"
        case .up: "ffn_up"
        case .down: "ffn_down"
        }
    }
}

/// Which projection of which layer a LoRA pair belongs to.
public struct LoRAKey: Hashable, Sendable, Codable {
    public let layer: Int
    public let projection: LlamaProjection
    public init(layer: Int, projection: LlamaProjection) {
        self.layer = layer
        self.projection = projection
    }
}

/// One low-rank pair: delta(x) = B · (A · x).
public struct LoRAPair: Sendable {
    public let rank: Int
    public let inFeatures: Int
    public let outFeatures: Int
    /// (rank, inFeatures), row-major.
    public var a: [Float]
    /// (outFeatures, rank), row-major.
    public var b: [Float]

    public init(rank: Int, inFeatures: Int, outFeatures: Int, a: [Float], b: [Float]) {
        precondition(a.count == rank * inFeatures && b.count == outFeatures * rank, "LoRA pair shape mismatch")
        self.rank = rank
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.a = a
        self.b = b
    }
}

/// A whole adapter: pairs for some projections of some layers, and the trained scale.
public struct LoRAWeights: Sendable {
    public var rank: Int
    public var alpha: Float
    /// rsLoRA uses alpha / sqrt(rank) instead of alpha / rank.
    public var useRSLoRA: Bool
    public var pairs: [LoRAKey: LoRAPair]

    public init(rank: Int, alpha: Float, useRSLoRA: Bool = false, pairs: [LoRAKey: LoRAPair] = [:]) {
        self.rank = rank
        self.alpha = alpha
        self.useRSLoRA = useRSLoRA
        self.pairs = pairs
    }

    /// The factor the delta is multiplied by at training time (before any run-time scale).
    public var scale: Float {
        useRSLoRA ? alpha / Float(rank).squareRoot() : alpha / Float(rank)
    }
}
