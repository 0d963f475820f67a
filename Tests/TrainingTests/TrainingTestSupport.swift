// Shared pieces for the Training tests: a byte-level fake tokenizer, a tiny random model, temp folders.
import Foundation
import Models
import Tokenizers
@testable import Training

/// Bytes as tokens (id = byte + 3); 1 and 2 are <|im_start|> and <|im_end|>; 0 pads.
struct ByteTokenizer {
    func encodeText(_ text: String) -> [Int32] { text.utf8.map { Int32($0) + 3 } }
}

/// A fake ChatML encoder over `ByteTokenizer`: `<|im_start|>ROLE\nCONTENT<|im_end|>\n` per message,
/// assistant content and its `<|im_end|>` trained on.
struct ByteChatEncoder: ChatEncoding {
    func encodeChat(_ messages: [ChatMessage]) throws -> EncodedChat {
        let bytes = ByteTokenizer()
        var tokens: [Int32] = [], mask: [Bool] = []
        func append(_ ids: [Int32], _ train: Bool) {
            tokens += ids
            mask += Array(repeating: train, count: ids.count)
        }
        for message in messages {
            let assistant = message.role == .assistant
            append([1] + bytes.encodeText(message.role.rawValue + "\n"), false)
            append(bytes.encodeText(message.content) + [2], assistant)
            append(bytes.encodeText("\n"), false)
        }
        return EncodedChat(tokens: tokens, trainMask: mask)
    }
}

enum TrainingFixtures {
    static let tinyConfig = LlamaTrainingConfig(vocabSize: 259, dim: 32, layers: 2, heads: 4, kvHeads: 2, ffnDim: 64,
                                                ropeBase: 10_000, normEps: 1e-5)

    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-training-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func writeLines(_ lines: [String], in directory: URL, name: String = "data.jsonl") throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url
    }

    /// `count` short chat examples in the three accepted forms.
    static func exampleLines(_ count: Int) -> [String] {
        (0..<count).map { i in
            switch i % 3 {
            case 0: #"{"messages":[{"role":"user","content":"q\#(i)?"},{"role":"assistant","content":"{\"a\":\#(i % 7)}"}]}"#
            case 1: #"{"prompt":"say \#(i)","completion":"ok \#(i % 5)"}"#
            default: #"{"instruction":"n\#(i)","input":"x","output":"<r>\#(i % 4)</r>"}"#
            }
        }
    }
}
