// The prompts of the answer arms: the RAG prompt quotes retrieved passages as numbered,
// citable sources; the plain prompt is the question alone. The training datasets in
// samples/datasets use exactly these system messages and passage layout.
import Tokenizers

/// A retrieved passage as the model sees it: `[n] (source) text`.
public struct PromptPassage: Sendable, Equatable {
    /// Where it comes from, e.g. "policies/travel.md › Travel > Per diem".
    public var source: String
    public var text: String

    public init(source: String, text: String) {
        self.source = source
        self.text = text
    }

    /// A passage from a document and its heading path ("Travel > Per diem"): the source reads
    /// "document › heading path", as in the training datasets.
    public init(document: String, headingPath: String, text: String) {
        self.init(source: headingPath.isEmpty ? document : "\(document) › \(headingPath)", text: text)
    }
}

public enum RAGPrompt {
    /// System message of the arms that read passages.
    public static let ragSystem = "You are a careful assistant. Answer the question using only the numbered passages. Cite the passages you use like [1]. If the passages do not contain the answer, say you don't know."
    /// System message of the arms without passages.
    public static let plainSystem = "You are a helpful assistant."

    /// The format instruction given to arms without an adapter (an adapter was trained to
    /// produce the format without being told).
    public static func formatInstruction(_ format: AnswerFormat) -> String? {
        switch format {
        case .none: nil
        case .json: #"Answer with only a JSON object with keys "answer" (string), "confidence" (number from 0 to 1) and "sources" (array of passage numbers)."#
        case .xml: #"Answer with only an XML <record> element containing <type>, <date> (YYYY-MM-DD), <parties> with <party role="…">, <summary>, <findings> with <finding>, and <outcome>."#
        }
    }

    /// The user message: passages (when any) then the question. Passage text is content:
    /// the chat template encodes it as plain text, so `<|im_end|>` inside a document cannot
    /// close the turn.
    public static func userMessage(question: String, passages: [PromptPassage]) -> String {
        guard !passages.isEmpty else { return question }
        var text = "Passages:\n"
        for (i, p) in passages.enumerated() {
            let body = p.text.split(whereSeparator: \.isNewline).joined(separator: " ")
            text += "[\(i + 1)] (\(p.source)) \(body)\n"
        }
        return text + "\nQuestion: " + question
    }

    /// The conversation for one arm.
    public static func messages(question: String, passages: [PromptPassage], format: AnswerFormat,
                                instructFormat: Bool) -> [ChatMessage] {
        var system = passages.isEmpty ? plainSystem : ragSystem
        if instructFormat, let instruction = formatInstruction(format) { system += " " + instruction }
        return [ChatMessage(role: .system, content: system),
                ChatMessage(role: .user, content: userMessage(question: question, passages: passages))]
    }
}
