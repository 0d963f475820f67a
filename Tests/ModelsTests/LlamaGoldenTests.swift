// The real default model against llama.cpp: last-position logits for four prompts and greedy
// 32-token continuations (fixture made by scripts/goldens/llama_reference.py).
import Foundation
import Testing
import ModelFiles
@testable import Models

struct LlamaGolden: Decodable {
    struct Case: Decodable {
        let text: String
        let prompt: [Int]
        let top_ids: [Int]
        let top_logits: [Float]
        let fixed_ids: [Int]
        let fixed_logits: [Float]
        let greedy: [Int]
        let greedy_margins: [Float]
    }
    let cases: [Case]

    static func load() throws -> LlamaGolden {
        let url = try #require(Bundle.module.url(forResource: "llama_golden", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(LlamaGolden.self, from: Data(contentsOf: url))
    }
}

/// The default model, loaded once for every test here; nil (tests skip) when it is not in the cache.
let defaultLlama: LlamaModel? = {
    let url = ModelCache().generatorURL
    guard FileManager.default.fileExists(atPath: url.path) else {
        print("skipping real-model tests: \(url.path) is missing (run `make models`)")
        return nil
    }
    return try? LlamaModel(url: url)
}()

@Suite(.serialized) struct LlamaGoldenTests {
    /// Tolerance on logits (which span about ±25): llama.cpp quantises the activations to Q8_1
    /// before every Q4_1 product (≈ 0.4 % relative error per product), where Parallax keeps
    /// them in f32, so the two differ by a few hundredths after 30 layers. 0.25 is well above
    /// that noise and far below the gaps a wrong kernel produces (whole units).
    static let tolerance: Float = 0.25

    static func compare(_ logits: [Float], _ golden: LlamaGolden.Case) -> Float {
        var worst: Float = 0
        for (i, v) in zip(golden.top_ids + golden.fixed_ids, golden.top_logits + golden.fixed_logits) {
            worst = max(worst, abs(logits[i] - v))
        }
        return worst
    }

    @Test func prefillLogitsMatchLlamaCpp() throws {
        guard let model = defaultLlama else { return }
        for c in try LlamaGolden.load().cases {
            let logits = try model.makeSession().prefill(c.prompt)
            let worst = Self.compare(logits, c)
            print("prefill \(c.prompt.count) tokens: max |Δlogit| = \(worst)")
            #expect(worst < Self.tolerance)
            #expect(logits.indices.max { logits[$0] < logits[$1] } == c.top_ids[0])
        }
    }

    @Test func decodeLogitsMatchLlamaCpp() throws {
        guard let model = defaultLlama else { return }
        for c in try LlamaGolden.load().cases.prefix(2) {
            let session = model.makeSession()
            var logits: [Float] = []
            for t in c.prompt { logits = try session.decode(t) }
            let worst = Self.compare(logits, c)
            print("decode \(c.prompt.count) tokens: max |Δlogit| = \(worst)")
            #expect(worst < Self.tolerance)
        }
    }

    @Test func greedyContinuationMatchesLlamaCpp() throws {
        guard let model = defaultLlama else { return }
        for c in try LlamaGolden.load().cases {
            let session = model.makeSession()
            var logits = try session.prefill(c.prompt)
            var produced: [Int] = []
            for _ in 0..<c.greedy.count {
                let next = logits.indices.max { logits[$0] < logits[$1] }!
                produced.append(next)
                logits = try session.decode(next)
            }
            #expect(produced == c.greedy, "prompt \(c.text.prefix(40))…")
        }
    }
}
