// Kills `parallax train` and `parallax adapters export` (the real binary and model) at random
// moments and inside a checkpoint write, and checks: every adapter `adapters list` shows loads;
// `train --resume` continues from the last complete checkpoint (falling back to the previous one,
// with a note, when the newest is torn) and ends at the uninterrupted run's final loss; an
// exported GGUF is either absent, the old file, or the whole new one. Kill times come from a
// seed printed in the output (PARALLAX_KILL_SEED repeats it). Skipped with a message when the
// model is not in the cache.
import Foundation
import ModelFiles
import Models
import TestSupport
import Testing
@testable import Training

@Suite(.serialized) struct TrainingKillTests {
    struct Setup {
        let binary: URL
        let folder: URL
        let workspace: URL
        let data: URL
        let config: LlamaTrainingConfig
        let log: URL

        func train(_ name: String, resume: Bool = false) -> [String] {
            ["train", "--data", data.path, "--name", name, "--workspace", workspace.path, "--json",
             "--steps", "6", "--checkpoint-every", "2", "--batch", "2", "--seq", "64", "--rank", "4",
             "--targets", "q,v", "--val-split", "0", "--warmup", "1", "--lr", "1e-3"] + (resume ? ["--resume"] : [])
        }

        var store: AdapterStore { AdapterStore(workspace: workspace) }
        func adapterDirectory(_ name: String) -> URL { workspace.appendingPathComponent("adapters/\(name)") }
    }

    static func setup() throws -> Setup? {
        let modelURL = ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            print("skipping training kill tests: \(modelURL.path) is absent (run `make models`)")
            return nil
        }
        let binary = try #require(KillHarness.binary(), "build the parallax binary first (make test sets PARALLAX_BIN)")
        let folder = try TrainingFixtures.temporaryDirectory("kills")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lines = try String(contentsOf: root.appendingPathComponent("samples/datasets/json-answers/train.jsonl"), encoding: .utf8)
            .split(separator: "\n").filter { $0.contains("You are a helpful assistant.") }.prefix(16)
        let data = folder.appendingPathComponent("train.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: data)
        return Setup(binary: binary, folder: folder, workspace: folder.appendingPathComponent("ws"), data: data,
                     config: try LlamaTrainingConfig(gguf: GGUFFile(url: modelURL)), log: folder.appendingPathComponent("log.txt"))
    }

    /// Every listed adapter loads; hidden staging folders are never listed.
    static func checkListing(_ setup: Setup, _ context: String) {
        for name in setup.store.names() {
            #expect(!name.hasPrefix("."), "\(context): hidden folder \(name) listed")
            #expect(throws: Never.self, "\(context): listed adapter \(name) does not load") {
                _ = try setup.store.weights(named: name, config: setup.config)
            }
        }
    }

    /// The JSON events a run printed to `log` since `offset` (bytes).
    static func events(_ log: URL, from offset: Int) -> [[String: Any]] {
        guard let data = try? Data(contentsOf: log), data.count >= offset else { return [] }
        return String(decoding: data[offset...], as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    static func size(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Runs to the end and returns the final loss (and the `prepared` event).
    static func finish(_ setup: Setup, _ arguments: [String]) throws -> (loss: Double, prepared: [String: Any]?) {
        let offset = size(setup.log)
        let ended = try KillHarness.run(setup.binary, arguments, log: setup.log)
        let events = events(setup.log, from: offset)
        try #require(ended.status == 0, "train failed: \(events.last ?? [:])")
        let finished = try #require(events.last { $0["event"] as? String == "finished" })
        return (try #require(finished["finalLoss"] as? Double), events.first { $0["event"] as? String == "prepared" })
    }

    @Test func killsDuringStepsAndCheckpointWritesThenResume() throws {
        guard let setup = try Self.setup() else { return }
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        var random = KillHarness.SeededRandom.fromEnvironment()

        let started = Date()
        let reference = try Self.finish(setup, setup.train("reference")).loss
        let window = Date().timeIntervalSince(started)
        print("TrainingKillTests: seed \(random.seed) (PARALLAX_KILL_SEED=\(random.seed) repeats it), run window "
              + String(format: "%.2f", window) + " s, reference final loss \(reference)")

        // 1. Kills at random moments (loading, steps, checkpoint writes), each time resuming.
        var resumable = false
        for trial in 0..<4 {
            let delay = random.uniform(0, window)
            let ended = try KillHarness.runAndKill(setup.binary, setup.train("random", resume: resumable), after: delay, log: setup.log)
            #expect(ended.exitedCleanlyOrKilled, "trial \(trial): train failed on its own")
            Self.checkListing(setup, "random kill \(trial) at \(delay) s")
            let directory = setup.adapterDirectory("random")
            if !ended.killed { try? FileManager.default.removeItem(at: directory) }  // finished: start over
            resumable = FileManager.default.fileExists(atPath: directory.appendingPathComponent(TrainingCheckpoint.fileName).path)
        }
        let randomLoss = try Self.finish(setup, setup.train("random", resume: resumable)).loss
        #expect(abs(randomLoss - reference) <= 1e-4 * abs(reference), "after random kills: \(randomLoss) vs \(reference)")

        // 2. Kills inside the second checkpoint write (the test hook pauses between its stages):
        //    after the new file is written, and after the new adapter folder is staged.
        for (stage, marker) in [(3, "new checkpoint written"), (5, "adapter folder staged")] {
            let name = "paused-\(stage)"
            let offset = Self.size(setup.log)
            let process = try KillHarness.start(setup.binary, setup.train(name), environment: ["PARALLAX_TEST_PAUSE_IN_CHECKPOINT": "60@\(stage)"],
                                                log: setup.log)
            let reached = KillHarness.wait(for: process, timeout: 120) {
                let text = String(decoding: (try? Data(contentsOf: setup.log))?.dropFirst(offset) ?? Data(), as: UTF8.self)
                return text.components(separatedBy: "checkpoint test pause").count - 1 >= stage
                    && text.components(separatedBy: "checkpoint test pause: ").last?.hasPrefix(marker) == true
            }
            _ = KillHarness.kill(process)
            try #require(reached, "the run never paused at stage \(stage) (\(marker))")
            Self.checkListing(setup, "kill at '\(marker)'")
            let directory = setup.adapterDirectory(name)
            let hidden = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
            #expect(stage != 3 || !hidden.isEmpty, "the kill should have left the temporary checkpoint behind")
            if stage == 5 {
                // Tear the newest checkpoint: resume must fall back to the previous one and say so.
                let url = directory.appendingPathComponent(TrainingCheckpoint.fileName)
                let bytes = try Data(contentsOf: url)
                try bytes.prefix(bytes.count / 2).write(to: url)
            }
            let resumed = try Self.finish(setup, setup.train(name, resume: true))
            #expect(abs(resumed.loss - reference) <= 1e-4 * abs(reference), "\(marker): \(resumed.loss) vs \(reference)")
            let from = resumed.prepared?["resumedFromStep"] as? Int
            let note = resumed.prepared?["resumeNote"] as? String
            if stage == 3 {
                #expect(from == 2 && note == nil, "resumed from \(from ?? -1), note \(note ?? "none")")
            } else {
                #expect(from == 2 && note?.contains("previous complete one") == true, "resumed from \(from ?? -1), note \(note ?? "none")")
            }
            Self.checkListing(setup, "after resuming \(name)")
        }
        #expect(!setup.store.names().contains { $0.hasPrefix(".") })
    }

    @Test func killedExportLeavesTheOldFileOrTheWholeNewOne() throws {
        guard let setup = try Self.setup() else { return }
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let config = setup.config
        func adapter(rank: Int, seed: UInt64) -> LoRAWeights {
            LoRAWeights.peftInitialized(config: config, rank: rank, alpha: 8, useRSLoRA: false, targets: [.q, .v], seed: seed)
        }
        // Two adapters of different ranks, saved as training saves them.
        for (name, rank) in [("small", 2), ("large", 8)] {
            try AdapterFiles.save(adapter(rank: rank, seed: UInt64(rank)), headDim: config.headDim, to: setup.adapterDirectory(name))
        }
        let out = setup.folder.appendingPathComponent("exported.gguf")
        func export(_ name: String) -> [String] { ["adapters", "export", name, "--gguf", out.path, "--workspace", setup.workspace.path] }
        _ = try KillHarness.run(setup.binary, export("small"))
        let old = try Data(contentsOf: out)
        let started = Date()
        _ = try KillHarness.run(setup.binary, export("large"))
        let window = Date().timeIntervalSince(started)
        let new = try Data(contentsOf: out)
        #expect(old != new)

        var random = KillHarness.SeededRandom.fromEnvironment()
        print("TrainingKillTests export: seed \(random.seed), window " + String(format: "%.2f", window) + " s")
        var outcomes: [String] = []
        for trial in 0..<8 {
            try old.write(to: out)
            let delay = random.uniform(0, window)
            _ = try KillHarness.runAndKill(setup.binary, export("large"), after: delay)
            let now = try Data(contentsOf: out)
            #expect(now == old || now == new, "trial \(trial): a torn export (\(now.count) bytes) after a kill at \(delay) s")
            outcomes.append(now == new ? "new" : "old")
            #expect(throws: Never.self) { _ = try GGUFFile(bytes: [UInt8](now)) }
        }
        print("TrainingKillTests export outcomes: \(outcomes.joined(separator: " "))")
    }
}
