// Crash-safe writes in-process: a checkpoint keeps its predecessor and resume falls back to it
// when the newest is torn; adapter files are published by swapping a staged folder (other files
// kept); hidden folders a kill leaves behind are never listed and are repaired or removed.
import Foundation
import Models
import Testing
@testable import Training

@Suite("Durable adapter and checkpoint files")
struct DurableFilesTests {
    static func state(step: Int) -> TrainingCheckpointState {
        TrainingCheckpointState(step: step, optimizerStep: step, bestValidationLoss: nil, evaluationsWithoutImprovement: 0,
                                epochOrders: [[0, 1]], settingsFingerprint: "s", dataFingerprint: "d", lastLoss: Double(step))
    }

    @Test func tornNewestCheckpointFallsBackToThePreviousOne() throws {
        let dir = try TrainingFixtures.temporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lora = LoRAParameterSet(weights: AdapterFilesTests.randomAdapter(config: TrainingFixtures.tinyConfig, rank: 2))
        let optimizer = AdamW(parameterCount: lora.parameterCount)
        try TrainingCheckpoint.save(state: Self.state(step: 4), lora: lora, optimizer: optimizer, best: nil, to: dir)
        lora.values.pointer[0] += 1
        try TrainingCheckpoint.save(state: Self.state(step: 8), lora: lora, optimizer: optimizer, best: nil, to: dir)
        let newest = try TrainingCheckpoint.load(from: dir, parameterCount: lora.parameterCount)
        #expect(newest.state.step == 8 && newest.fallbackNote == nil && newest.values[0] == lora.values.pointer[0])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
                == [TrainingCheckpoint.previousFileName, TrainingCheckpoint.fileName])

        // Torn (half the bytes), then missing: both fall back to step 4, with a note saying so.
        let url = dir.appendingPathComponent(TrainingCheckpoint.fileName)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        let torn = try TrainingCheckpoint.load(from: dir, parameterCount: lora.parameterCount)
        #expect(torn.state.step == 4 && torn.values[0] == lora.values.pointer[0] - 1)
        #expect(torn.fallbackNote?.contains("previous complete one, after step 4") == true, "\(torn.fallbackNote ?? "no note")")
        try FileManager.default.removeItem(at: url)
        #expect(try TrainingCheckpoint.load(from: dir, parameterCount: lora.parameterCount).state.step == 4)

        // Nothing usable: the newest checkpoint's error.
        try Data("junk".utf8).write(to: dir.appendingPathComponent(TrainingCheckpoint.previousFileName))
        #expect(throws: TrainingError.self) { try TrainingCheckpoint.load(from: dir, parameterCount: lora.parameterCount) }
    }

    @Test func publishingSwapsTheFolderAndKeepsTheOtherFiles() throws {
        let workspace = try TrainingFixtures.temporaryDirectory("publish")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let config = TrainingFixtures.tinyConfig
        let store = AdapterStore(workspace: workspace)
        let dir = try store.directory(named: "tiny")
        try AdapterFiles.save(AdapterFilesTests.randomAdapter(config: config, rank: 2), headDim: config.headDim, to: dir)
        try Data("{\"event\":\"step\",\"step\":3}\n".utf8).write(to: dir.appendingPathComponent(AdapterFiles.logFile))
        // A user's own notes in a subfolder, and a link to them, outlive the save too.
        let notes = dir.appendingPathComponent("notes/run 1")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("kept".utf8).write(to: notes.appendingPathComponent("plot.txt"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("latest").path, withDestinationPath: "notes/run 1")
        try AdapterFiles.save(AdapterFilesTests.randomAdapter(config: config, rank: 4), headDim: config.headDim, to: dir)
        #expect(try AdapterFiles.load(from: dir, config: config).rank == 4)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(AdapterFiles.logFile).path))
        #expect(try String(contentsOf: dir.appendingPathComponent("notes/run 1/plot.txt"), encoding: .utf8) == "kept")
        #expect(try String(contentsOf: dir.appendingPathComponent("latest/plot.txt"), encoding: .utf8) == "kept")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("latest").path) == "notes/run 1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.path) == ["tiny"])
        #expect(store.names() == ["tiny"])
    }

    @Test func foldersLeftByAKilledSaveAreNotListedAndAreRepaired() throws {
        let workspace = try TrainingFixtures.temporaryDirectory("interrupted")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let config = TrainingFixtures.tinyConfig
        let store = AdapterStore(workspace: workspace)
        let adapter = AdapterFilesTests.randomAdapter(config: config, rank: 2)
        // A save killed after staging (no live process has that pid), and one killed between the
        // two renames of the fallback path (the old folder moved aside, the new one not in place).
        let dead: Int32 = 9_999_999
        try AdapterFiles.save(adapter, headDim: config.headDim, to: store.root.appendingPathComponent(".staged.saving-\(dead)"))
        try AdapterFiles.save(adapter, headDim: config.headDim, to: store.root.appendingPathComponent(".moved.replaced-\(dead)"))
        #expect(store.names() == ["moved"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.path).sorted() == ["moved"])
        #expect(try store.weights(named: "moved", config: config).rank == 2)
        #expect(!AdapterStore.isValidName(".hidden"))
    }
}
