// ChatML rendering (the format SmolLM2's template specifies) to token ids with an assistant mask.

/// One message of a conversation.
public struct ChatMessage: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable { case system, user, assistant }
    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// An assistant message (its tokens are marked in `RenderedChat.isAssistant`).
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
}

/// A conversation rendered for the model.
public struct RenderedChat: Sendable, Equatable {
    /// Token ids, special tokens included as ids.
    public var ids: [Int]
    /// One flag per id: true for tokens of assistant replies (their content and the closing
    /// `<|im_end|>`, not the `<|im_start|>assistant\n` header). The mask for training with the
    /// loss on assistant tokens only.
    public var isAssistant: [Bool]
    /// The same conversation as text, special tokens written out, for display.
    public var text: String
}

/// The ChatML format: `<|im_start|>ROLE\nCONTENT<|im_end|>\n` per message, then
/// `<|im_start|>assistant\n` when a reply is wanted. Built from the model's
/// `tokenizer.chat_template` (a Jinja template this type recognises rather than interprets):
/// it must be ChatML, and a default system prompt written in it (SmolLM2: "You are a helpful AI
/// assistant named SmolLM, trained by Hugging Face") is used when the conversation has none.
///
/// Message content is encoded as plain text with `BPETokenizer.encode`: text that looks like
/// `<|im_end|>` cannot close a turn. Only this renderer places the special token ids.
public struct ChatTemplate: Sendable {
    public let tokenizer: BPETokenizer
    /// The system prompt used when neither the messages nor the caller give one (nil: none).
    public let defaultSystemPrompt: String?
    /// `<|im_start|>` and `<|im_end|>`.
    public let startID: Int
    public let endID: Int

    /// The template of the tokenizer's model (ChatML assumed when the model has no template).
    public init(tokenizer: BPETokenizer) throws(TokenizerError) {
        try self.init(tokenizer: tokenizer, templateText: tokenizer.vocabulary.chatTemplate)
    }

    /// A template from its Jinja text (nil: plain ChatML with no default system prompt).
    public init(tokenizer: BPETokenizer, templateText: String?) throws(TokenizerError) {
        guard let startID = tokenizer.specialTokenID("<|im_start|>") else { throw .missingSpecialToken("<|im_start|>") }
        guard let endID = tokenizer.specialTokenID("<|im_end|>") else { throw .missingSpecialToken("<|im_end|>") }
        self.tokenizer = tokenizer
        self.startID = startID
        self.endID = endID
        var stops: Set<Int> = [endID]
        if let eos = tokenizer.eosID { stops.insert(eos) }
        if let endOfText = tokenizer.specialTokenID("<|endoftext|>") { stops.insert(endOfText) }
        stopTokenIDs = stops
        if let templateText {
            guard templateText.contains("<|im_start|>"), templateText.contains("<|im_end|>") else {
                throw .unsupportedChatTemplate(reason: "it does not use <|im_start|> and <|im_end|>")
            }
            defaultSystemPrompt = Self.defaultSystemPrompt(in: templateText)
        } else {
            defaultSystemPrompt = nil
        }
    }

    /// Token ids that end an assistant turn: `<|im_end|>`, the model's EOS and `<|endoftext|>`.
    public let stopTokenIDs: Set<Int>

    /// Renders a conversation.
    /// - Parameters:
    ///   - systemPrompt: used when `messages` does not start with a system message; nil means
    ///     the template's default.
    ///   - addGenerationPrompt: end with `<|im_start|>assistant\n` so the model writes the reply.
    public func render(_ messages: [ChatMessage], systemPrompt: String? = nil,
                       addGenerationPrompt: Bool) -> RenderedChat {
        var all = messages
        if all.first?.role != .system, let system = systemPrompt ?? defaultSystemPrompt {
            all.insert(.system(system), at: 0)
        }
        var chat = RenderedChat(ids: [], isAssistant: [], text: "")
        if tokenizer.vocabulary.addBOS, let bos = tokenizer.bosID {
            chat.ids.append(bos)
            chat.isAssistant.append(false)
            chat.text += tokenizer.tokenString(bos) ?? ""
        }
        for message in all {
            append(header: message.role.rawValue, content: message.content,
                   isAssistant: message.role == .assistant, to: &chat)
            // "\n" after <|im_end|> is encoded on its own, as the reference does with the
            // rendered string (it sits between two special tokens).
            appendPlain("\n", to: &chat)
        }
        if addGenerationPrompt {
            appendSpecial(startID, "<|im_start|>", to: &chat)
            appendPlain("assistant\n", to: &chat)
        }
        return chat
    }

    /// The prompt for one user turn with the generation prompt: what `generate` feeds the model.
    public func prompt(user: String, systemPrompt: String? = nil) -> RenderedChat {
        render([.user(user)], systemPrompt: systemPrompt, addGenerationPrompt: true)
    }

    private func append(header role: String, content: String, isAssistant: Bool, to chat: inout RenderedChat) {
        appendSpecial(startID, "<|im_start|>", to: &chat)
        // "ROLE\nCONTENT" is one run of text between special tokens: encode it whole, as the
        // reference tokenizes the rendered string, and mark pieces that reach into the content.
        let header = role + "\n"
        let headerBytes = header.utf8.count
        tokenizer.encodePieces(header + content) { ids, pieceEnd in
            let assistant = isAssistant && pieceEnd > headerBytes
            for id in ids {
                chat.ids.append(Int(id))
                chat.isAssistant.append(assistant)
            }
        }
        chat.text += header + content
        chat.ids.append(endID)
        chat.isAssistant.append(isAssistant)
        chat.text += "<|im_end|>"
    }

    private func appendSpecial(_ id: Int, _ text: String, to chat: inout RenderedChat) {
        chat.ids.append(id)
        chat.isAssistant.append(false)
        chat.text += text
    }

    private func appendPlain(_ text: String, to chat: inout RenderedChat) {
        for id in tokenizer.encode(text) {
            chat.ids.append(id)
            chat.isAssistant.append(false)
        }
        chat.text += text
    }

    /// The text between `<|im_start|>system\n` and `<|im_end|>` in a template, if written there
    /// literally (Jinja string escapes `\n`, `\'`, `\"`, `\\` undone).
    static func defaultSystemPrompt(in template: String) -> String? {
        for marker in ["<|im_start|>system\n", "<|im_start|>system\\n"] {
            guard let start = template.range(of: marker) else { continue }
            guard let end = template[start.upperBound...].range(of: "<|im_end|>") else { return nil }
            let raw = template[start.upperBound..<end.lowerBound]
            // Anything Jinja-like inside means the prompt is computed, not literal.
            if raw.contains("{{") || raw.contains("{%") || (raw.contains("'") && !raw.contains("\\'")) { return nil }
            return unescapeJinja(String(raw))
        }
        return nil
    }

    private static func unescapeJinja(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
