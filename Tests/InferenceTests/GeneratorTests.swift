// The streaming generator on the real default model: greedy text is reproducible, stop tokens
// end the answer, max tokens is honoured, and cancellation stops work promptly.
import Foundation
import Testing
import TestSupport
import ModelFiles
import Models
@testable import Inference

/// The default model's generator, loaded once; nil (tests skip) when the model is not cached.
let sharedGenerator: Generator? = {
    let url = ModelCache().generatorURL
    guard FileManager.default.fileExists(atPath: url.path) else {
        print("skipping generator tests: \(url.path) is missing (run `make models`)")
        return nil
    }
    return try? Generator(url: url)
}()

@Suite(.serialized) struct GeneratorTests {
    @Test func greedyAnswerStopsAtEndOfTurnAndIsReproducible() async throws {
        guard let g = sharedGenerator else { return }
        let request = GenerationRequest(promptTokens: g.chatPrompt(user: "What is the capital of France?"), maxTokens: 64)
        let a = await g.generate(request)
        let b = await g.generate(request)
        #expect(a.stats.stopReason == .endOfTurn)
        #expect(a.text.contains("Paris"))
        #expect(a.tokens == b.tokens && a.text == b.text)
        #expect(a.text == g.tokenizer.decode(a.tokens))
        #expect(a.stats.generatedTokens == a.tokens.count)
        #expect(a.stats.promptTokens == request.promptTokens.count)
        #expect(a.stats.prefillTokensPerSecond > 0 && a.stats.decodeTokensPerSecond > 0 && a.stats.timeToFirstToken > 0)
    }

    @Test func maxTokensAndSeededSampling() async throws {
        guard let g = sharedGenerator else { return }
        let prompt = g.chatPrompt(user: "Tell me a story about a dragon.")
        let settings = SamplerSettings(temperature: 0.9, topK: 40, topP: 0.95, seed: 3)
        let a = await g.generate(GenerationRequest(promptTokens: prompt, maxTokens: 12, sampler: settings, stopTokens: []))
        let b = await g.generate(GenerationRequest(promptTokens: prompt, maxTokens: 12, sampler: settings, stopTokens: []))
        #expect(a.tokens.count == 12 && a.stats.stopReason == .maxTokens)
        #expect(a.tokens == b.tokens)
    }

    @Test func concurrentStreamsOnOneModelMatchSequentialOnes() async throws {
        guard let g = sharedGenerator else { return }
        let r1 = GenerationRequest(promptTokens: g.chatPrompt(user: "Name three colours."), maxTokens: 16)
        let r2 = GenerationRequest(promptTokens: g.chatPrompt(user: "What is 2 + 2?"), maxTokens: 16)
        let s1 = await g.generate(r1), s2 = await g.generate(r2)
        async let c1 = g.generate(r1)
        async let c2 = g.generate(r2)
        let (p1, p2) = await (c1, c2)
        #expect(p1.tokens == s1.tokens && p2.tokens == s2.tokens)
    }

    @Test func cancellingTheConsumerStopsGeneration() async throws {
        guard let g = sharedGenerator else { return }
        let request = GenerationRequest(promptTokens: g.chatPrompt(user: "Write a very long essay about the ocean."),
                                        maxTokens: 2000, stopTokens: [])
        let started = Date()
        let consumer = Task { () -> Int in
            var seen = 0
            for await event in g.stream(request) {
                if case .token = event {
                    seen += 1
                    if seen == 3 { withUnsafeCurrentTask { $0?.cancel() } }
                }
            }
            return seen
        }
        let seen = await consumer.value
        #expect(seen >= 3 && seen < 50)
        #expect(Date().timeIntervalSince(started) < WallClock.limit(10))
    }

    @Test func runStopsWhenAskedAndReportsCancelled() throws {
        guard let g = sharedGenerator else { return }
        var emitted = 0
        let stats = g.run(GenerationRequest(promptTokens: g.chatPrompt(user: "Count to one hundred."), maxTokens: 500, stopTokens: []),
                          isCancelled: { emitted >= 5 }) { _ in emitted += 1 }
        #expect(stats.stopReason == .cancelled)
        #expect(stats.generatedTokens == 5)
    }

    @Test func badRequestsFailWithAReason() throws {
        guard let g = sharedGenerator else { return }
        let empty = g.run(GenerationRequest(promptTokens: []), isCancelled: { false }) { _ in }
        #expect(empty.stopReason == .failed(InferenceError.emptyPrompt.description))
        let outside = g.run(GenerationRequest(promptTokens: [1, 999_999]), isCancelled: { false }) { _ in }
        guard case .failed(let why) = outside.stopReason else { Issue.record("expected a failure"); return }
        #expect(why.contains("999999"))
    }
}
