// Turning chat examples into tokens with a loss mask. The tokenizer sits behind a small protocol so
// the dataset code runs with the model's ChatML template or with a fake in tests.
import Tokenizers

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

/// Encodes a conversation into tokens with an assistant-token mask.
public protocol ChatEncoding: Sendable {
    func encodeChat(_ messages: [ChatMessage]) throws -> EncodedChat
}

extension ChatTemplate: ChatEncoding {
    /// ChatML rendering with the template's assistant mask (assistant content and its `<|im_end|>`).
    public func encodeChat(_ messages: [ChatMessage]) throws -> EncodedChat {
        let chat = render(messages, addGenerationPrompt: false)
        return EncodedChat(tokens: chat.ids.map { Int32($0) }, trainMask: chat.isAssistant)
    }
}
