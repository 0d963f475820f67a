// BERT encoder weights read from safetensors into f32 arrays, with q|k|v fused into one matrix.
import ModelFiles

/// One transformer layer's parameters.
struct BertLayerWeights: Sendable {
    /// C → 2C: query columns, then value columns.
    var queryValue: BertLinear
    /// C → C: keys (computed transposed for batches, so attention needs no transpose).
    var key: BertLinear
    /// C → C
    var output: BertLinear
    var attentionNormGamma: [Float]
    var attentionNormBeta: [Float]
    /// C → F
    var intermediate: BertLinear
    /// F → C
    var ffnOutput: BertLinear
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
            let query = try tensor(p + "attention.self.query.weight", [c, c])
            let value = try tensor(p + "attention.self.value.weight", [c, c])
            return BertLayerWeights(
                queryValue: BertLinear(weight: query + value,
                                       bias: try tensor(p + "attention.self.query.bias", [c])
                                           + tensor(p + "attention.self.value.bias", [c]),
                                       inputs: c, outputs: 2 * c),
                key: BertLinear(weight: try tensor(p + "attention.self.key.weight", [c, c]),
                                bias: try tensor(p + "attention.self.key.bias", [c]), inputs: c, outputs: c),
                output: BertLinear(weight: try tensor(p + "attention.output.dense.weight", [c, c]),
                                   bias: try tensor(p + "attention.output.dense.bias", [c]), inputs: c, outputs: c),
                attentionNormGamma: try tensor(p + "attention.output.LayerNorm.weight", [c]),
                attentionNormBeta: try tensor(p + "attention.output.LayerNorm.bias", [c]),
                intermediate: BertLinear(weight: try tensor(p + "intermediate.dense.weight", [f, c]),
                                         bias: try tensor(p + "intermediate.dense.bias", [f]), inputs: c, outputs: f),
                ffnOutput: BertLinear(weight: try tensor(p + "output.dense.weight", [c, f]),
                                      bias: try tensor(p + "output.dense.bias", [c]), inputs: f, outputs: c),
                outputNormGamma: try tensor(p + "output.LayerNorm.weight", [c]),
                outputNormBeta: try tensor(p + "output.LayerNorm.bias", [c]))
        }
    }
}
