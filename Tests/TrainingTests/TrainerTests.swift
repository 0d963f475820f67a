// The trainer end to end on a tiny random model with a byte tokenizer: it overfits 4 examples,
// a cancelled-then-resumed run reproduces the uninterrupted loss curve exactly, the schedule
// warms up then decays, events arrive through the AsyncStream.
import Foundation
import Models
import Tokenizers
import Testing
@testable import Training

@Suite("LoRA trainer")
struct TrainerTests {
    static func job(_ directory: URL, data: URL, steps: Int, resume: Bool = false, settings edit: (inout TrainingSettings) -> Void = { _ in }) -> TrainingJob {
        var settings = TrainingSettings()
        settings.maxSteps = steps
        settings.batchSize = 2
        settings.seqLen = 64
        settings.rank = 4
        settings.alpha = 8
        settings.learningRate = 1e-2
        settings.warmupSteps = 2
        settings.validationFraction = 0
        settings.checkpointEvery = 4
        settings.targets = LlamaProjection.allCases
        edit(&settings)
        return TrainingJob(settings: settings, dataURL: data,
                           model: .weights(LlamaTrainingWeights.random(config: TrainingFixtures.tinyConfig, seed: 11)),
                           encoder: ByteChatEncoder(), padToken: 0,
                           adapterDirectory: directory.appendingPathComponent("adapters/tiny"), resume: resume)
    }

    static func collect(_ job: TrainingJob, cancelAfter: Int? = nil) -> [TrainingEvent] {
        var events: [TrainingEvent] = []
        var steps = 0
        LoRATrainer.run(job, emit: { event in
            events.append(event)
            if case .step = event { steps += 1 }
        }, isCancelled: { cancelAfter.map { steps >= $0 } ?? false })
        return events
    }

    static func losses(_ events: [TrainingEvent]) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for case .step(let s) in events { out[s.step] = s.loss }
        return out
    }

    /// Overfit bound: 4 examples, 60 steps at lr 1e-2 must take the mean loss below 0.5 nats
    /// (from ≈ ln 259 ≈ 5.6).
    @Test func overfitsFourExamples() throws {
        let dir = try TrainingFixtures.temporaryDirectory("overfit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try TrainingFixtures.writeLines(Array(TrainingFixtures.exampleLines(4)), in: dir)
        let events = Self.collect(Self.job(dir, data: data, steps: 60) { $0.batchSize = 4; $0.checkpointEvery = 0 })
        let losses = Self.losses(events)
        let first = try #require(losses[1]), last = try #require(losses[60])
        #expect(first > 4)
        #expect(last < 0.5, "final loss \(last) (first \(first))")
        guard case .finished(let outcome)? = events.last else { Issue.record("no finished event: \(events.last.map { "\($0)" } ?? "none")"); return }
        #expect(outcome.steps == 60)
        for file in [AdapterFiles.modelFile, AdapterFiles.configFile, AdapterFiles.settingsFile, AdapterFiles.logFile] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("adapters/tiny/\(file)").path), "\(file)")
        }
    }

    @Test func resumeAfterCancelReproducesTheUninterruptedRun() throws {
        let dir = try TrainingFixtures.temporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try TrainingFixtures.writeLines(TrainingFixtures.exampleLines(12), in: dir)
        let straight = Self.losses(Self.collect(Self.job(dir.appendingPathComponent("a"), data: data, steps: 12) { $0.dropout = 0.1 }))
        let interrupted = Self.collect(Self.job(dir.appendingPathComponent("b"), data: data, steps: 12) { $0.dropout = 0.1 }, cancelAfter: 6)
        guard case .cancelled(let step, let checkpoint)? = interrupted.last else { Issue.record("not cancelled"); return }
        #expect(step == 6 && checkpoint == 4)
        let resumed = Self.collect(Self.job(dir.appendingPathComponent("b"), data: data, steps: 12, resume: true) { $0.dropout = 0.1 })
        guard case .prepared(let summary)? = resumed.first else { Issue.record("no prepared event"); return }
        #expect(summary.resumedFromStep == 4)
        let again = Self.losses(resumed)
        #expect(again.keys.sorted() == Array(5...12))
        // Run alone, the curves are bit-identical; the test runner's parallel suites share OpenBLAS's
        // global thread count, whose changes move the last bits, hence a 1e-6 relative tolerance.
        for s in 5...12 {
            let (x, y) = (again[s] ?? .nan, straight[s] ?? .nan)
            #expect(abs(x - y) <= 1e-6 * abs(y), "step \(s): \(x) vs \(y)")
        }
        // The resumed adapter matches the uninterrupted one.
        let config = TrainingFixtures.tinyConfig
        let a = try AdapterFiles.load(from: dir.appendingPathComponent("a/adapters/tiny"), config: config)
        let b = try AdapterFiles.load(from: dir.appendingPathComponent("b/adapters/tiny"), config: config)
        for (key, pair) in a.pairs {
            let other = try #require(b.pairs[key])
            for (x, y) in zip(pair.a + pair.b, other.a + other.b) { #expect(abs(x - y) <= 1e-5 * max(1, abs(x))) }
        }
        // A resume with other settings is refused.
        let refused = Self.collect(Self.job(dir.appendingPathComponent("b"), data: data, steps: 12, resume: true) { $0.dropout = 0.2 })
        guard case .failed(let message)? = refused.last else { Issue.record("resume with other settings ran"); return }
        #expect(message.contains("different settings"))
    }

    /// A checkpoint whose run state was edited (a negative step) is refused with a message, never
    /// trusted (it would index the schedule out of range).
    @Test func resumeRefusesAnEditedRunState() throws {
        let dir = try TrainingFixtures.temporaryDirectory("edited-state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try TrainingFixtures.writeLines(TrainingFixtures.exampleLines(12), in: dir)
        let interrupted = Self.collect(Self.job(dir, data: data, steps: 12), cancelAfter: 6)
        guard case .cancelled(_, 4)? = interrupted.last else { Issue.record("no checkpoint at step 4"); return }
        // Edit the state inside the safetensors header: "step":4 becomes "step":-4 (header length + 1).
        let url = dir.appendingPathComponent("adapters/tiny").appendingPathComponent(TrainingCheckpoint.fileName)
        var bytes = [UInt8](try Data(contentsOf: url))
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        var header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        // The key's place in the object is not part of the format, so it may end in ',' or '}'.
        let step = try #require(header.range(of: #"\\"step\\":4(?=[,}])"#, options: .regularExpression))
        header.replaceSubrange(step, with: #"\"step\":-4"#)
        let newHeader = Array(header.utf8)
        bytes = (0..<8).map { UInt8(truncatingIfNeeded: newHeader.count >> (8 * $0)) } + newHeader + bytes[(8 + headerLength)...]
        try Data(bytes).write(to: url)
        let resumed = Self.collect(Self.job(dir, data: data, steps: 12, resume: true))
        guard case .failed(let message)? = resumed.last else { Issue.record("an edited checkpoint was resumed"); return }
        #expect(message.contains("out of range"), "\(message)")
    }

    @Test func validationAndEarlyStoppingThroughTheStream() async throws {
        let dir = try TrainingFixtures.temporaryDirectory("stream")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try TrainingFixtures.writeLines(TrainingFixtures.exampleLines(20), in: dir)
        let job = Self.job(dir, data: data, steps: 40) {
            $0.validationFraction = 0.2; $0.validationEvery = 2; $0.earlyStoppingPatience = 2; $0.learningRate = 5e-2
            $0.checkpointEvery = 0
        }
        let (stream, _) = LoRATrainer.start(job)
        var validations = 0, steps = 0
        var last: TrainingEvent?
        for await event in stream {
            if case .validation = event { validations += 1 }
            if case .step(let s) = event {
                steps += 1
                #expect(s.tokensPerSecond > 0 && s.totalSteps == 40 && s.loss.isFinite)
            }
            last = event
        }
        #expect(validations >= 1)
        guard case .finished(let outcome)? = last else { Issue.record("no finished event"); return }
        #expect(outcome.bestValidationLoss != nil)
        #expect(outcome.stoppedEarly == (outcome.steps < 40))
        #expect(steps == outcome.steps)
    }

    @Test func learningRateWarmsUpThenDecays() {
        let s = LearningRateSchedule(peak: 1, warmupSteps: 4, totalSteps: 14)
        #expect(s.rate(step: 1) == 0.25 && s.rate(step: 4) == 1)
        #expect(abs(s.rate(step: 9) - 0.5) < 1e-6)
        #expect(s.rate(step: 14) < 1e-6)
        for step in 5..<14 { #expect(s.rate(step: step + 1) < s.rate(step: step)) }
    }
}
