// The plain data a byte-level BPE tokenizer is built from (as stored in GGUF metadata).

/// What a vocabulary entry is, as in GGUF `tokenizer.ggml.token_type` (llama.cpp's values).
public enum TokenType: Int, Sendable {
    case undefined = 0
    case normal = 1
    case unknown = 2
    /// Control tokens (`<|im_start|>`, `<|endoftext|>`…): never produced from text by `encode`.
    case control = 3
    case userDefined = 4
    case unused = 5
    case byte = 6

    /// The type for a raw value; unknown values read as `.normal`.
    public init(raw: Int) { self = TokenType(rawValue: raw) ?? .normal }
}

/// Everything a `BPETokenizer` needs, as plain arrays: the GGUF keys `tokenizer.ggml.tokens`,
/// `token_type`, `merges`, `pre`, the special ids and `tokenizer.chat_template`.
public struct BPEVocabulary: Sendable {
    /// Token strings in GPT-2's byte-level alphabet (see `ByteLevel`), indexed by id.
    public var tokens: [String]
    /// One type per token.
    public var tokenTypes: [TokenType]
    /// Merge rules "left right", best (lowest rank) first.
    public var merges: [String]
    public var preTokenizer: PreTokenizerKind
    public var bosID: Int?
    public var eosID: Int?
    public var unknownID: Int?
    public var paddingID: Int?
    /// Whether prompts start with BOS (`tokenizer.ggml.add_bos_token`; false for SmolLM2).
    public var addBOS: Bool
    /// The Jinja chat template text, when the model has one.
    public var chatTemplate: String?

    public init(tokens: [String], tokenTypes: [TokenType], merges: [String], preTokenizer: PreTokenizerKind,
                bosID: Int? = nil, eosID: Int? = nil, unknownID: Int? = nil, paddingID: Int? = nil,
                addBOS: Bool = false, chatTemplate: String? = nil) {
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.preTokenizer = preTokenizer
        self.bosID = bosID
        self.eosID = eosID
        self.unknownID = unknownID
        self.paddingID = paddingID
        self.addBOS = addBOS
        self.chatTemplate = chatTemplate
    }
}
