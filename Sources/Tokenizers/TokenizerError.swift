// The errors of the Tokenizers module: what was wrong with a vocabulary, a model file or a template.

/// Why a tokenizer could not be built or used. Each case says what was wrong and what to do.
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A metadata key the tokenizer needs is absent (or has the wrong type) in the model file.
    case missingMetadata(key: String)
    /// `tokenizer.ggml.model` names a tokenizer kind this build does not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer this build does not implement.
    case unsupportedPreTokenizer(String)
    /// Two vocabulary arrays that must have one entry per token disagree in length.
    case inconsistentVocabulary(what: String, expected: Int, actual: Int)
    /// A merge rule is not of the form "left right".
    case malformedMerge(index: Int, text: String)
    /// A token id outside the vocabulary.
    case tokenOutOfRange(id: Int, vocabularySize: Int)
    /// One of the 256 byte tokens byte-level BPE needs is not in the vocabulary.
    case missingByteToken(byte: UInt8)
    /// The chat template is not one this build can render.
    case unsupportedChatTemplate(reason: String)
    /// A special token the chat format or the WordPiece encoder needs is not in the vocabulary.
    case missingSpecialToken(String)
    /// A vocabulary file (WordPiece `vocab.txt`) could not be read.
    case cannotReadVocabulary(path: String, reason: String)
    /// A vocabulary file has no tokens.
    case emptyVocabulary

    public var description: String {
        switch self {
        case .missingMetadata(let key):
            return "The model file has no usable tokenizer: metadata key '\(key)' is missing or of the wrong type. "
                + "Use a GGUF converted with its tokenizer (llama.cpp's convert_hf_to_gguf.py writes it)."
        case .unsupportedModel(let name):
            return "Tokenizer model '\(name)' is not supported (only byte-level BPE, 'gpt2', is). "
                + "Use a GGUF whose tokenizer.ggml.model is 'gpt2'."
        case .unsupportedPreTokenizer(let name):
            return "Pre-tokenizer '\(name)' is not supported; supported: \(PreTokenizerKind.supportedNames.joined(separator: ", ")). "
                + "Use a model with one of these, or add its split rules to PreTokenizerKind."
        case .inconsistentVocabulary(let what, let expected, let actual):
            return "The tokenizer vocabulary is inconsistent: \(what) has \(actual) entries, expected \(expected). The model file is damaged or was converted wrongly."
        case .malformedMerge(let index, let text):
            return "Merge rule \(index) ('\(text.prefix(40))') is not of the form 'left right'. The model file is damaged or was converted wrongly."
        case .tokenOutOfRange(let id, let size):
            return "Token id \(id) is outside the vocabulary (0..<\(size))."
        case .missingByteToken(let byte):
            return "The vocabulary has no token for byte 0x\(String(byte, radix: 16)); byte-level BPE needs all 256. The model file is damaged or not byte-level BPE."
        case .unsupportedChatTemplate(let reason):
            return "The chat template cannot be rendered: \(reason). Only ChatML-style templates (<|im_start|> … <|im_end|>) are supported."
        case .missingSpecialToken(let text):
            return "The vocabulary has no special token '\(text)'; the model's tokenizer files are damaged or of another kind."
        case .cannotReadVocabulary(let path, let reason):
            return "Cannot read the vocabulary \(path): \(reason). Re-run `make models` to fetch it."
        case .emptyVocabulary:
            return "The vocabulary is empty; a WordPiece vocab.txt lists one token per line."
        }
    }
}
