// Format compliance on held-out chat prompts: does the model answer in the trained format?
// Compared three ways on the same prompts: the base model as prompted in the dataset, the base
// model also told the format (the prompt-engineering baseline), and the model with the adapter.
import Foundation
import Inference
import ModelFiles
import Models
import Tokenizers

public struct FormatEvaluation: Sendable {
    public enum Variant: String, Sendable, Codable, CaseIterable {
        case base, instructedBase = "base+instruction", adapter
    }

    public struct Outcome: Sendable, Codable {
        public var variant: Variant
        public var example: Int
        public var answer: String
        public var compliant: Bool
        public var violation: String?
        public var generatedTokens: Int
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var variant: Variant
        public var examples: Int
        public var compliance: Double
        public var meanGeneratedTokens: Double
    }

    /// The prompts of a chat JSONL file: each example's messages up to its last user turn.
    public static func prompts(fromChatJSONL data: Data, path: String) throws -> [[ChatMessage]] {
        var prompts: [[ChatMessage]] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard let object = (try? JSONGuard.object(from: Data(line))) as? [String: Any],
                  let messages = object["messages"] as? [[String: Any]] else {
                throw EvaluationError.malformedLine(path: path, line: lineNumber, reason: "expected {\"messages\": [...]}")
            }
            var chat: [ChatMessage] = []
            for m in messages {
                guard let roleText = m["role"] as? String, let role = ChatMessage.Role(rawValue: roleText),
                      let content = m["content"] as? String else {
                    throw EvaluationError.malformedLine(path: path, line: lineNumber, reason: "a message needs a role and content")
                }
                chat.append(ChatMessage(role: role, content: content))
            }
            guard let lastUser = chat.lastIndex(where: { $0.role == .user }) else {
                throw EvaluationError.malformedLine(path: path, line: lineNumber, reason: "no user message")
            }
            prompts.append(Array(chat[...lastUser]))
        }
        return prompts
    }

    public var generator: Generator
    public var format: AnswerFormat
    public var adapter: LoRAWeights?
    public var maxTokens: Int

    public init(generator: Generator, format: AnswerFormat, adapter: LoRAWeights?, maxTokens: Int = 400) {
        self.generator = generator
        self.format = format
        self.adapter = adapter
        self.maxTokens = maxTokens
    }

    public func run(_ prompts: [[ChatMessage]], variants: [Variant],
                    progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        let total = prompts.count * variants.count
        for (i, prompt) in prompts.enumerated() {
            for variant in variants {
                try Task.checkCancellation()
                var messages = prompt
                if variant == .instructedBase, let instruction = RAGPrompt.formatInstruction(format) {
                    if messages.first?.role == .system {
                        messages[0] = ChatMessage(role: .system, content: messages[0].content + " " + instruction)
                    } else {
                        messages.insert(ChatMessage(role: .system, content: instruction), at: 0)
                    }
                }
                let ids = generator.template.render(messages, addGenerationPrompt: true).ids
                let request = GenerationRequest(promptTokens: ids, maxTokens: maxTokens,
                                                adapter: variant == .adapter ? adapter : nil)
                let result = await generator.generate(request)
                let verdict = FormatValidator.check(result.text, format: format)
                outcomes.append(Outcome(variant: variant, example: i, answer: result.text, compliant: verdict.compliant,
                                        violation: verdict.reason, generatedTokens: result.stats.generatedTokens))
                progress(outcomes.count, total)
            }
        }
        return outcomes
    }

    public static func summaries(_ outcomes: [Outcome]) -> [Summary] {
        Variant.allCases.compactMap { variant in
            let mine = outcomes.filter { $0.variant == variant }
            guard !mine.isEmpty else { return nil }
            return Summary(variant: variant, examples: mine.count,
                           compliance: Double(mine.filter(\.compliant).count) / Double(mine.count),
                           meanGeneratedTokens: Double(mine.map(\.generatedTokens).reduce(0, +)) / Double(mine.count))
        }
    }
}
