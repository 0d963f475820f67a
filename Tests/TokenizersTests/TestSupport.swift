// Shared helpers for the tokenizer tests: the golden fixture and the real model's tokenizer.
import Foundation
import ModelFiles
@testable import Tokenizers

/// Bpe_golden.json, written by scripts/goldens/bpe_reference.py.
struct BPEGolden: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let pieces: [String]?
    }
    struct Chat: Decodable {
        let messages: [ChatMessage]
        let add_generation_prompt: Bool
        let rendered: String
        let ids: [Int]
    }
    let model: String
    let reference: String
    let cases: [Case]
    let chats: [Chat]

    static let shared: BPEGolden? = {
        guard let url = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/bpe_golden.json"),
              let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(BPEGolden.self, from: data)
    }()

    static func load() throws -> BPEGolden {
        guard let golden = shared else { throw FixtureMissing(name: "bpe_golden.json") }
        return golden
    }
}

struct FixtureMissing: Error, CustomStringConvertible {
    let name: String
    var description: String { "test fixture \(name) is missing or unreadable" }
}

/// The default model's tokenizer, loaded once; nil (with a message) when the model file is absent.
enum RealTokenizer {
    static let shared: BPETokenizer? = {
        let url = ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("skipping real-model tokenizer tests: \(url.path) is absent (run `make models`)")
            return nil
        }
        do {
            return try BPETokenizer(modelURL: url)
        } catch {
            print("could not load the tokenizer from \(url.path): \(error)")
            return nil
        }
    }()
}
