// The step profile behind `bench train --profile`: attached, it times every part of the step and
// leaves the gradients bit for bit as they are without it.
import Kernels
import Testing
@testable import Models

@Suite("Step profile")
struct StepProfileTests {
    @Test func timesEveryPartWithoutChangingGradients() throws {
        let weights = LlamaTrainingWeights.random(config: BackwardModelTests.config, seed: 5)
        func step(profile: StepProfile?) throws -> ([Float], Double) {
            let lora = LoRAParameterSet(weights: BackwardModelTests.randomLoRA(rank: 4, seed: 7))
            let model = LlamaTrainingModel(weights: weights, lora: lora, maxBatch: 2, maxSeq: 8)
            model.profile = profile
            lora.gradients.zero()
            let loss = try model.accumulateGradients(BackwardModelTests.batch(), gradScale: 1).lossSum
            return (lora.gradients.array, loss)
        }
        let profile = StepProfile()
        let (plain, plainLoss) = try step(profile: nil)
        let (timed, timedLoss) = try step(profile: profile)
        #expect(plain == timed)
        #expect(plainLoss == timedLoss)
        // Every projection carries LoRA here, so every part of the step ran.
        for (part, seconds) in profile.totals { #expect(seconds > 0, "\(part.rawValue) was not timed") }
        profile.reset()
        #expect(profile.totals.allSatisfy { $0.seconds == 0 })
    }
}
