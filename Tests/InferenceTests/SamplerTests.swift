// Sampling: greedy is argmax, top-k and top-p keep exactly the right tokens with renormalised
// probabilities, draws follow the distribution, and a seed fixes the sequence.
import Foundation
import Testing
@testable import Inference

@Suite struct SamplerTests {
    static func logits(ofProbabilities p: [Double]) -> [Float] { p.map { Float(Foundation.log($0)) } }

    @Test func greedyIsArgmaxWithLowestIndexOnTies() {
        var s = Sampler(settings: .greedy)
        #expect(s.sample([0.1, 3, -2, 3, 1]) == 1)
        #expect(Sampler.argmax([-5, -4, -4.5]) == 1)
    }

    @Test func topKKeepsTheKLargestRenormalised() {
        let logits: [Float] = [1, 5, 3, 4, 2, 0]
        let c = Sampler.candidates(logits, temperature: 1, topK: 3, topP: 1)
        #expect(c.map(\.id) == [1, 3, 2])
        let e = [5.0, 4, 3].map { Foundation.exp($0) }
        let total = e.reduce(0, +)
        for (got, want) in zip(c.map(\.p), e.map { $0 / total }) { #expect(abs(got - want) < 1e-12) }
    }

    @Test func topPKeepsTheSmallestSetReachingP() {
        let logits = Self.logits(ofProbabilities: [0.05, 0.5, 0.15, 0.3])
        #expect(Sampler.candidates(logits, temperature: 1, topK: 0, topP: 0.7).map(\.id) == [1, 3])
        #expect(Sampler.candidates(logits, temperature: 1, topK: 0, topP: 0.85).map(\.id) == [1, 3, 2])
        #expect(Sampler.candidates(logits, temperature: 1, topK: 0, topP: 0.4).map(\.id) == [1])
        let kept = Sampler.candidates(logits, temperature: 1, topK: 0, topP: 0.85)
        #expect(abs(kept[0].p - 0.5 / 0.95) < 1e-6)
        // top-k first, then top-p over the renormalised top-k distribution: 0.5/0.8 < 0.7 ≤ 1.
        #expect(Sampler.candidates(logits, temperature: 1, topK: 2, topP: 0.7).map(\.id) == [1, 3])
    }

    @Test func topPWithANucleusWiderThanTheCandidateWindow() {
        var logits = [Float](repeating: 0, count: 3000)
        logits[7] = 0.5
        let c = Sampler.candidates(logits, temperature: 1, topK: 0, topP: 0.5)
        // Every token is nearly equally likely: about half the vocabulary is needed.
        #expect(c.count > 1400 && c.count < 1600)
        #expect(c[0].id == 7)
    }

    @Test func temperatureSharpensAndFlattens() {
        let logits: [Float] = [2, 1, 0]
        let cold = Sampler.candidates(logits, temperature: 0.25, topK: 0, topP: 1)
        let hot = Sampler.candidates(logits, temperature: 4, topK: 0, topP: 1)
        #expect(cold[0].p > 0.98)
        #expect(hot[0].p < 0.45)
    }

    @Test func heapSelectionMatchesSorting() {
        var rng = SeededGenerator(seed: 5)
        let values = (0..<1000).map { _ in Float(Int(rng.next() % 200)) }   // many ties
        let got = Sampler.largest(values, count: 37).sorted()
        let want = Array(values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(37)).sorted()
        #expect(got == want)
    }

    @Test func drawsFollowTheDistribution() {
        let p = [0.5, 0.3, 0.15, 0.05]
        var s = Sampler(settings: SamplerSettings(temperature: 1, seed: 42))
        var counts = [0, 0, 0, 0]
        let n = 20_000
        for _ in 0..<n { counts[s.sample(Self.logits(ofProbabilities: p))] += 1 }
        for i in 0..<4 {
            // Binomial standard deviation ≤ 0.0036 at n = 20000: 5 sigma is 0.018.
            #expect(abs(Double(counts[i]) / Double(n) - p[i]) < 0.018)
        }
    }

    @Test func sameSeedSameSequenceOtherSeedOtherSequence() {
        let logits: [Float] = (0..<200).map { Float($0 % 17) * 0.3 }
        func run(_ seed: UInt64) -> [Int] {
            var s = Sampler(settings: SamplerSettings(temperature: 1.2, topK: 50, topP: 0.95, seed: seed))
            return (0..<64).map { _ in s.sample(logits) }
        }
        #expect(run(7) == run(7))
        #expect(run(7) != run(8))
    }

    @Test func invalidSettingsAreRejected() {
        #expect(throws: InferenceError.self) { try SamplerSettings(temperature: -1).validate() }
        #expect(throws: InferenceError.self) { try SamplerSettings(topK: -3).validate() }
        #expect(throws: InferenceError.self) { try SamplerSettings(topP: 0).validate() }
        #expect(throws: InferenceError.self) { try SamplerSettings(topP: .nan).validate() }
        #expect(throws: Never.self) { try SamplerSettings(temperature: 0.7, topK: 40, topP: 0.9).validate() }
    }
}
