// BERT encoder weights read from safetensors into f32 arrays, with q|k|v fused into one matrix.
import ModelFiles

/// One transformer layer's parameters. Linear weights are (out, in) row-major, as PyTorch stores them.
struct BertLayerWeights: Sendable {
    /// (2C, C): query rows, then value rows.
    var queryValueWeight: [Float]
    /// (2C)
    var queryValueBias: [Float]
    /// (C, C): keys are computed transposed, Kᵀ = Wk · xᵀ, so attention needs no transpose.
    var keyWeight: [Float]
    /// (C)
    var keyBias: [Float]
    /// (C, C)
    var outputWeight: [Float]
    var outputBias: [Float]
    var attentionNormGamma: [Float]
    var attentionNormBeta: [Float]
    /// (F, C)
    var intermediateWeight: [Float]
    var intermediateBias: [Float]
    /// (C, F)
    var ffnOutputWeight: [Float]
    var ffnOutputBias: [Float]
    var outputNormGamma: [Float]
    var outputNormBeta: [Float]
}

/// All encoder parameters (the pooler is not used by sentence-transformers' mean pooling).
struct BertWeights: Sendable {
    /// (V, C)
    var wordEmbeddings: [Float]
    /// (P, C)
    var positionEmbeddings: [Float]
    /// (C): row 0 of the token-type table; every token is type 0 for single sentences.
    var tokenTypeEmbedding: [Float]
    var embeddingNormGamma: [Float]
    var embeddingNormBeta: [Float]
    var layers: [BertLayerWeights]

    init(file: SafetensorsFile, config: BertConfig) throws {
        let c = config.hiddenSize, f = config.intermediateSize
        // Some checkpoints prefix every name with "bert.".
        let prefix = file.tensors["embeddings.word_embeddings.weight"] == nil
            && file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            do {
                return try file.floats(prefix + name, shape: shape)
            } catch let error as SafetensorsError {
                throw BertError.weights(error.description)
            }
        }
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [config.vocabularySize, c])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [config.maxPositions, c])
        tokenTypeEmbedding = Array(try tensor("embeddings.token_type_embeddings.weight",
                                              [config.typeVocabularySize, c]).prefix(c))
        embeddingNormGamma = try tensor("embeddings.LayerNorm.weight", [c])
        embeddingNormBeta = try tensor("embeddings.LayerNorm.bias", [c])
        layers = try (0..<config.layerCount).map { index in
            let p = "encoder.layer.\(index)."
            return BertLayerWeights(
                queryValueWeight: try tensor(p + "attention.self.query.weight", [c, c])
                    + tensor(p + "attention.self.value.weight", [c, c]),
                queryValueBias: try tensor(p + "attention.self.query.bias", [c])
                    + tensor(p + "attention.self.value.bias", [c]),
                keyWeight: try tensor(p + "attention.self.key.weight", [c, c]),
                keyBias: try tensor(p + "attention.self.key.bias", [c]),
                outputWeight: try tensor(p + "attention.output.dense.weight", [c, c]),
                outputBias: try tensor(p + "attention.output.dense.bias", [c]),
                attentionNormGamma: try tensor(p + "attention.output.LayerNorm.weight", [c]),
                attentionNormBeta: try tensor(p + "attention.output.LayerNorm.bias", [c]),
                intermediateWeight: try tensor(p + "intermediate.dense.weight", [f, c]),
                intermediateBias: try tensor(p + "intermediate.dense.bias", [f]),
                ffnOutputWeight: try tensor(p + "output.dense.weight", [c, f]),
                ffnOutputBias: try tensor(p + "output.dense.bias", [c]),
                outputNormGamma: try tensor(p + "output.LayerNorm.weight", [c]),
                outputNormBeta: try tensor(p + "output.LayerNorm.bias", [c]))
        }
    }
}
