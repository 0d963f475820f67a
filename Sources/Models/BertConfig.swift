// BERT encoder hyper-parameters from a Hugging Face config.json, and the Models errors for BERT.
import Foundation
import ModelFiles

/// Why a BERT model could not be loaded or run.
public enum BertError: Error, CustomStringConvertible {
    case missingFile(path: String)
    case badConfig(path: String, reason: String)
    case unsupported(String)
    case weights(String)
    case badInput(String)
    case cancelled

    public var description: String {
        switch self {
        case let .missingFile(path):
            "The embedding model file \(path) is missing. Run `make models` (or set PARALLAX_MODELS) to fetch all-MiniLM-L6-v2."
        case let .badConfig(path, reason):
            "The model config \(path) is not usable: \(reason)."
        case let .unsupported(reason):
            "This BERT model is not supported: \(reason)."
        case let .weights(reason):
            "The BERT weights do not fit the config: \(reason). Is the folder an all-MiniLM-L6-v2 style model?"
        case let .badInput(reason):
            "The embedder was given input it cannot encode: \(reason)."
        case .cancelled:
            "Embedding was cancelled."
        }
    }
}

/// The encoder shape (names follow Hugging Face `BertConfig`).
public struct BertConfig: Sendable, Equatable {
    public var vocabularySize = 30522
    public var hiddenSize = 384
    public var layerCount = 6
    public var headCount = 12
    public var intermediateSize = 1536
    public var maxPositions = 512
    public var typeVocabularySize = 2
    public var layerNormEpsilon: Float = 1e-12

    /// all-MiniLM-L6-v2.
    public static let miniLM = BertConfig()

    public init() {}

    public var headDimension: Int { hiddenSize / headCount }

    /// Reads config.json, keeping the defaults for absent keys; rejects shapes the encoder cannot run.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw BertError.missingFile(path: url.path) }
        guard let json = (try? JSONGuard.object(from: data)) as? [String: Any] else {
            throw BertError.badConfig(path: url.path, reason: "not a JSON object")
        }
        func int(_ key: String, _ fallback: Int) throws -> Int {
            guard let value = json[key] else { return fallback }
            guard let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded(),
                  number.intValue > 0, number.intValue < 1_000_000 else {
                throw BertError.badConfig(path: url.path, reason: "\(key) should be a positive integer")
            }
            return number.intValue
        }
        vocabularySize = try int("vocab_size", vocabularySize)
        hiddenSize = try int("hidden_size", hiddenSize)
        layerCount = try int("num_hidden_layers", layerCount)
        headCount = try int("num_attention_heads", headCount)
        intermediateSize = try int("intermediate_size", intermediateSize)
        maxPositions = try int("max_position_embeddings", maxPositions)
        typeVocabularySize = try int("type_vocab_size", typeVocabularySize)
        if let eps = json["layer_norm_eps"] as? NSNumber { layerNormEpsilon = eps.floatValue }
        if let act = json["hidden_act"] as? String, act != "gelu" {
            throw BertError.unsupported("hidden_act \(act) (only the erf form \"gelu\" is implemented)")
        }
        if let kind = json["position_embedding_type"] as? String, kind != "absolute" {
            throw BertError.unsupported("position_embedding_type \(kind)")
        }
        guard hiddenSize % headCount == 0, headDimension % 16 == 0 else {
            throw BertError.unsupported("head size \(hiddenSize)/\(headCount) must be a multiple of 16")
        }
    }
}
