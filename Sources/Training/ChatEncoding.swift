// Turning chat examples into tokens with a loss mask. The tokenizer sits behind a small protocol so
// the dataset code runs with any tokenizer (the BPE one from Tokenizers, or a fake in tests).

/// A conversation as tokens, with which positions are trained on.
public struct EncodedChat: Sendable, Equatable {
    public var tokens: [Int32]
    /// Per token: true where the model should learn to produce this token.
    public var trainMask: [Bool]
    public init(tokens: [Int32], trainMask: [Bool]) {
        self.tokens = tokens
        self.trainMask = trainMask
    }
}

/// Encodes a conversation into ChatML tokens with an assistant-token mask.
public protocol ChatEncoding: Sendable {
    func encodeChat(_ messages: [ChatMessage]) throws -> EncodedChat
}

/// The text-level tokenizer ChatMLEncoder needs.
public protocol TextTokenizing: Sendable {
    /// Token ids of plain text (no special-token parsing).
    func encodeText(_ text: String) -> [Int32]
    /// The id of a special token such as "<|im_start|>", if the vocabulary has it.
    func specialTokenID(_ text: String) -> Int32?
}

/// ChatML rendering: `<|im_start|>ROLE\nCONTENT<|im_end|>\n` per message. Assistant content and its
/// closing `<|im_end|>` are trained on; headers, system and user turns are not.
public struct ChatMLEncoder<Tokenizer: TextTokenizing>: ChatEncoding {
    public let tokenizer: Tokenizer

    public init(tokenizer: Tokenizer) { self.tokenizer = tokenizer }

    public func encodeChat(_ messages: [ChatMessage]) throws -> EncodedChat {
        guard let start = tokenizer.specialTokenID("<|im_start|>"), let end = tokenizer.specialTokenID("<|im_end|>") else {
            throw TrainingError.invalidSetting(name: "model", value: "tokenizer", reason: "the vocabulary has no ChatML <|im_start|>/<|im_end|> tokens")
        }
        var tokens: [Int32] = [], mask: [Bool] = []
        func append(_ ids: [Int32], _ train: Bool) {
            tokens += ids
            mask += Array(repeating: train, count: ids.count)
        }
        let newline = tokenizer.encodeText("\n")
        for message in messages {
            let isAssistant = message.role == "assistant"
            append([start] + tokenizer.encodeText(message.role) + newline, false)
            append(tokenizer.encodeText(message.content) + [end], isAssistant)
            append(newline, false)
        }
        return EncodedChat(tokens: tokens, trainMask: mask)
    }
}
