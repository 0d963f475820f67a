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

    /// The most lines (non-blank, examples or malformed) read from one dataset. CPU training gets
    /// through far fewer in a session; the cap keeps memory bounded on a huge file.
    public static let maxLines = 100_000
    /// The longest line accepted (longer lines are malformed; their bytes are never held in memory).
    public static let maxLineBytes = 1 << 20

    /// Reads every example of a JSONL file, streaming it in chunks. In strict mode the first
    /// malformed line throws; more than `maxLines` non-blank lines throw `TrainingError.datasetTooLarge`
    /// as soon as the limit is passed (the rest of the file is not read).
    public static func read(url: URL, strict: Bool, maxLines: Int = ChatDataset.maxLines) throws
        -> (examples: [ChatExample], malformed: [MalformedLine]) {
        var reader = Accumulator(path: url.path, strict: strict, maxLines: maxLines)
        do {
            try LineReader.forEachLine(in: url, maxLineBytes: maxLineBytes) { number, line in
                try reader.add(line, number: number)
                return true
            }
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.dataFileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        return try reader.finish()
    }

    /// Parses JSONL bytes (empty lines are ignored).
    public static func parse(_ data: Data, path: String, strict: Bool, maxLines: Int = ChatDataset.maxLines) throws
        -> (examples: [ChatExample], malformed: [MalformedLine]) {
        var reader = Accumulator(path: path, strict: strict, maxLines: maxLines)
        var number = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            try reader.add(raw.count > maxLineBytes ? .tooLong(bytes: raw.count) : .text(Data(raw)), number: number)
        }
        return try reader.finish()
    }

    /// Collects examples and malformed lines, enforcing strict mode and the line cap.
    struct Accumulator {
        let path: String
        let strict: Bool
        let maxLines: Int
        var examples: [ChatExample] = []
        var malformed: [MalformedLine] = []
        var lines = 0

        mutating func add(_ line: BoundedLine, number: Int) throws {
            let outcome: Result<[ChatMessage], Problem>
            switch line {
            case .text(let data):
                if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
                outcome = ChatDataset.parseLine(data)
            case .tooLong(let bytes):
                outcome = .failure(Problem(reason: "the line is \(bytes) bytes, over the \(ChatDataset.maxLineBytes >> 20) MiB limit for one example"))
            }
            lines += 1
            if lines > maxLines { throw TrainingError.datasetTooLarge(path: path, limit: maxLines) }
            switch outcome {
            case .success(let messages):
                examples.append(ChatExample(messages: messages, line: number))
            case .failure(let problem):
                if strict { throw TrainingError.malformedLine(path: path, line: number, reason: problem.reason) }
                malformed.append(MalformedLine(line: number, reason: problem.reason))
            }
        }

        func finish() throws -> (examples: [ChatExample], malformed: [MalformedLine]) {
            if examples.isEmpty { throw TrainingError.noExamples(path: path) }
            return (examples, malformed)
        }
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
