// Training data from JSONL: OpenAI chat ({"messages":[{"role","content"},…]}), prompt/completion
// ({"prompt","completion"}) and Alpaca ({"instruction","input","output"}), one example a line.
// Malformed lines are reported by number and skipped, or stop the read in strict mode.
import Foundation
import ModelFiles
import Tokenizers

/// One training example: a conversation whose assistant turns are the targets.
public struct ChatExample: Sendable, Equatable {
    public var messages: [ChatMessage]
    /// 1-based line in the source file.
    public var line: Int
}

/// A line that could not be used, and why.
public struct MalformedLine: Sendable, Equatable, Codable {
    public var line: Int
    public var reason: String
}

public enum ChatDataset {
    /// The system message added when an example has none: the fine-tuned arm's default prompt.
    public static let defaultSystemPrompt = "You are a helpful assistant."

    /// Reads every example of a JSONL file. In strict mode the first malformed line throws.
    public static func read(url: URL, strict: Bool) throws -> (examples: [ChatExample], malformed: [MalformedLine]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingError.dataFileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(data, path: url.path, strict: strict)
    }

    /// Parses JSONL bytes (empty lines are ignored).
    public static func parse(_ data: Data, path: String, strict: Bool) throws -> (examples: [ChatExample], malformed: [MalformedLine]) {
        var examples: [ChatExample] = []
        var malformed: [MalformedLine] = []
        var number = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let line = Data(raw)
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            switch parseLine(line) {
            case .success(let messages):
                examples.append(ChatExample(messages: messages, line: number))
            case .failure(let problem):
                if strict { throw TrainingError.malformedLine(path: path, line: number, reason: problem.reason) }
                malformed.append(MalformedLine(line: number, reason: problem.reason))
            }
        }
        if examples.isEmpty { throw TrainingError.noExamples(path: path) }
        return (examples, malformed)
    }

    struct Problem: Error { let reason: String }

    /// One line in any of the three forms, normalised to messages with a system message first.
    static func parseLine(_ line: Data) -> Result<[ChatMessage], Problem> {
        guard let object = (try? JSONGuard.object(from: line)) as? [String: Any] else {
            return .failure(Problem(reason: "not a JSON object"))
        }
        var messages: [ChatMessage]
        if let list = object["messages"] {
            guard let items = list as? [[String: Any]], !items.isEmpty else {
                return .failure(Problem(reason: "\"messages\" must be a non-empty array of {\"role\", \"content\"} objects"))
            }
            messages = []
            for (i, item) in items.enumerated() {
                guard let role = item["role"] as? String, let content = item["content"] as? String else {
                    return .failure(Problem(reason: "message \(i + 1) needs string \"role\" and \"content\""))
                }
                guard let known = ChatMessage.Role(rawValue: role) else {
                    return .failure(Problem(reason: "message \(i + 1) has role \"\(role)\"; expected system, user or assistant"))
                }
                messages.append(ChatMessage(role: known, content: content))
            }
        } else if let prompt = object["prompt"] as? String, let completion = object["completion"] as? String {
            messages = [.user(prompt), .assistant(completion)]
        } else if let instruction = object["instruction"] as? String, let output = object["output"] as? String {
            let input = (object["input"] as? String) ?? ""
            let user = input.isEmpty ? instruction : instruction + "\n\n" + input
            messages = [.user(user), .assistant(output)]
        } else {
            return .failure(Problem(reason: "expected \"messages\", \"prompt\"+\"completion\" or \"instruction\"+\"output\" with string values"))
        }
        guard messages.contains(where: { $0.role == .assistant }) else {
            return .failure(Problem(reason: "no assistant message to learn from"))
        }
        if messages.first?.role != .system {
            messages.insert(.system(defaultSystemPrompt), at: 0)
        }
        return .success(messages)
    }
}
