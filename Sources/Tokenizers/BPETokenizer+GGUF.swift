// Builds a byte-level BPE tokenizer from a GGUF file's `tokenizer.*` metadata.
import Foundation
import ModelFiles

extension BPEVocabulary {
    /// Reads `tokenizer.ggml.{model, pre, tokens, token_type, merges, *_token_id}` and
    /// `tokenizer.chat_template`. Throws a `TokenizerError` naming the first missing or unusable key.
    public init(gguf file: GGUFFile) throws(TokenizerError) {
        guard let model = file.string("tokenizer.ggml.model") else { throw .missingMetadata(key: "tokenizer.ggml.model") }
        guard model == "gpt2" else { throw .unsupportedModel(model) }
        guard let tokens = file.strings("tokenizer.ggml.tokens") else { throw .missingMetadata(key: "tokenizer.ggml.tokens") }
        guard let merges = file.strings("tokenizer.ggml.merges") else { throw .missingMetadata(key: "tokenizer.ggml.merges") }
        let types: [TokenType]
        if let raw = file.ints("tokenizer.ggml.token_type") {
            guard raw.count == tokens.count else {
                throw .inconsistentVocabulary(what: "tokenizer.ggml.token_type", expected: tokens.count, actual: raw.count)
            }
            types = raw.map(TokenType.init(raw:))
        } else {
            throw .missingMetadata(key: "tokenizer.ggml.token_type")
        }
        // Old conversions have no `pre` (llama.cpp then warns and falls back to its "default"
        // rules); GPT-2's own rule is the closest match for a gpt2 vocabulary.
        let preName = file.string("tokenizer.ggml.pre") ?? "gpt2"
        let preTokenizer = try PreTokenizerKind(name: preName == "default" ? "gpt2" : preName)
        self.init(tokens: tokens, tokenTypes: types, merges: merges, preTokenizer: preTokenizer,
                  bosID: file.int("tokenizer.ggml.bos_token_id"),
                  eosID: file.int("tokenizer.ggml.eos_token_id"),
                  unknownID: file.int("tokenizer.ggml.unknown_token_id"),
                  paddingID: file.int("tokenizer.ggml.padding_token_id"),
                  addBOS: file.bool("tokenizer.ggml.add_bos_token") ?? false,
                  chatTemplate: file.string("tokenizer.chat_template"))
    }
}

extension BPETokenizer {
    /// The tokenizer stored in a GGUF model file.
    public convenience init(gguf file: GGUFFile) throws(TokenizerError) {
        try self.init(vocabulary: BPEVocabulary(gguf: file))
    }

    /// The tokenizer of the GGUF model at `url` (throws `GGUFError` for an unreadable file,
    /// `TokenizerError` for one without a usable tokenizer).
    public convenience init(modelURL url: URL) throws {
        try self.init(gguf: GGUFFile(url: url))
    }
}
