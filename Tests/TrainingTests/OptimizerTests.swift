// AdamW against torch.optim.AdamW (Fixtures/adamw_reference.json from scripts/goldens/
// adamw_reference.py): five steps within 1e-6; gradient clipping by global norm.
import Foundation
import Models
import Testing
@testable import Training

@Suite("Optimiser")
struct OptimizerTests {
    @Test func adamWMatchesTorch() throws {
        struct Reference: Decodable { let lr: Float; let weight_decay: Float; let trajectory: [[Float]] }
        let url = try #require(Bundle.module.url(forResource: "adamw_reference", withExtension: "json", subdirectory: "Fixtures"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        let p = TrainingTensor((0..<12).map { Float(sin(Double($0 + 1))) })
        let g = TrainingTensor(count: 12)
        var settings = AdamWSettings()
        settings.weightDecay = reference.weight_decay
        let adam = AdamW(parameterCount: 12, settings: settings)
        for (s, expected) in reference.trajectory.enumerated() {
            let step = Double(s + 1)
            for i in 0..<12 { g.pointer[i] = Float(cos(0.7 * Double(i) + step) * (1 + 0.3 * step)) - 0.2 * p.pointer[i] }
            adam.update(parameters: p, gradients: g, lr: reference.lr)
            for i in 0..<12 { #expect(abs(p.pointer[i] - expected[i]) <= 1e-6, "step \(s + 1) [\(i)]: \(p.pointer[i]) vs \(expected[i])") }
        }
        #expect(adam.step == 5)
    }

    @Test func clippingScalesToTheMaximumNorm() {
        let g = TrainingTensor([3, 4, 0, 0])
        let before = AdamW.clip(g, maxNorm: 1)
        #expect(abs(before - 5) < 1e-6)
        #expect(abs(g.pointer[0] - 0.6) < 1e-5 && abs(g.pointer[1] - 0.8) < 1e-5)
        let small = TrainingTensor([0.3, 0.4])
        AdamW.clip(small, maxNorm: 1)
        #expect(small.array == [0.3, 0.4])
    }
}
