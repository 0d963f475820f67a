// The workspace adapter store: names, details from the training log, removal, bad names refused.
import Foundation
import ModelFiles
import Models
import Testing
@testable import Training

@Suite("Adapter store")
struct AdapterStoreTests {
    @Test func listsShowsAndRemoves() throws {
        let workspace = try TrainingFixtures.temporaryDirectory("store")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let store = AdapterStore(workspace: workspace)
        #expect(store.names().isEmpty)
        let config = TrainingFixtures.tinyConfig
        let weights = LoRAWeights.peftInitialized(config: config, rank: 2, alpha: 4, targets: [.q, .v], seed: 1)
        let dir = try store.directory(named: "fmt-1")
        try AdapterFiles.save(weights, headDim: config.headDim, to: dir)
        let log = [TrainingEvent.step(StepProgress(step: 3, totalSteps: 3, epoch: 1, loss: 0.5, learningRate: 1e-3, gradientNorm: 1,
                                                   tokensPerSecond: 10, etaSeconds: 0)),
                   .validation(step: 3, loss: 0.75)].map(\.jsonLine).joined(separator: "\n")
        try Data(log.utf8).write(to: dir.appendingPathComponent(AdapterFiles.logFile))
        #expect(store.names() == ["fmt-1"])
        let info = try store.info(named: "fmt-1")
        #expect(info.rank == 2 && info.steps == 3 && info.finalLoss == 0.5 && info.bestValidationLoss == 0.75)
        #expect(Set(info.targets) == ["q_proj", "v_proj"])
        let loaded = try store.weights(named: "fmt-1", config: config)
        #expect(loaded.pairs.count == weights.pairs.count)
        #expect(throws: PathSafetyError.self) { try store.directory(named: "../escape") }
        #expect(throws: TrainingError.adapterNotFound(name: "nope", directory: store.root.path)) { try store.info(named: "nope") }
        try store.remove(named: "fmt-1")
        #expect(store.names().isEmpty)
    }

    @Test func foldersThatCannotBeUsedByNameAreReportedNotHidden() throws {
        let workspace = try TrainingFixtures.temporaryDirectory("unlisted")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let store = AdapterStore(workspace: workspace)
        let config = TrainingFixtures.tinyConfig
        let weights = LoRAWeights.peftInitialized(config: config, rank: 2, alpha: 4, targets: [.q], seed: 1)
        // A PEFT folder copied in under a name with a space, a good one, and a folder with no adapter.
        try AdapterFiles.save(weights, headDim: config.headDim, to: store.root.appendingPathComponent("my adapter"))
        try AdapterFiles.save(weights, headDim: config.headDim, to: store.root.appendingPathComponent("good"))
        try FileManager.default.createDirectory(at: store.root.appendingPathComponent("empty folder"), withIntermediateDirectories: true)
        #expect(store.names() == ["good"])
        let unlisted = store.unlisted()
        #expect(unlisted.map(\.folder) == ["my adapter"])
        #expect(unlisted.first?.reason.contains("invalid adapter name 'my adapter': it contains ' '") == true)
    }
}
