// What the two ways of teaching the model cost: absorbing a knowledge change (re-index vs
// re-train, from `eval update`) and training the adapter once (from its training log).
import Foundation
import ModelFiles

/// What absorbing a knowledge change cost each approach (from `eval update`).
public struct UpdateCost: Sendable, Codable, Equatable {
    public var reindexSeconds: Double
    public var reindexCPUSeconds: Double
    public var retrainSeconds: Double
    public var retrainCPUSeconds: Double
    /// Gold-contained on the changed facts: RAG after re-index; adapter before and after re-training.
    public var ragAccuracyAfter: Double
    /// nil when no stale adapter was given.
    public var staleAdapterAccuracy: Double?
    public var retrainedAdapterAccuracy: Double
    public var changedQuestions: Int
    /// The `eval update` run these figures come from (its folder name under `runs/`).
    public var runID: String?
    /// What the re-index did, e.g. "7 changed, 32 unchanged, 45 chunks embedded".
    public var reindexSummary: String?
    /// Optimiser steps of the re-training.
    public var retrainSteps: Int?
    /// What the facts adapter was re-trained on, e.g. "the 20 changed questions and their new answers"
    /// (then its accuracy after is measured on the very pairs it learned).
    public var retrainData: String?
    /// True when the re-trained adapter is scored on the questions it was trained on.
    public var retrainedOnScoredQuestions: Bool?

    public init(reindexSeconds: Double, reindexCPUSeconds: Double, retrainSeconds: Double, retrainCPUSeconds: Double,
                ragAccuracyAfter: Double, staleAdapterAccuracy: Double?, retrainedAdapterAccuracy: Double, changedQuestions: Int,
                runID: String? = nil, reindexSummary: String? = nil, retrainSteps: Int? = nil,
                retrainData: String? = nil, retrainedOnScoredQuestions: Bool? = nil) {
        self.reindexSeconds = reindexSeconds
        self.reindexCPUSeconds = reindexCPUSeconds
        self.retrainSeconds = retrainSeconds
        self.retrainCPUSeconds = retrainCPUSeconds
        self.ragAccuracyAfter = ragAccuracyAfter
        self.staleAdapterAccuracy = staleAdapterAccuracy
        self.retrainedAdapterAccuracy = retrainedAdapterAccuracy
        self.changedQuestions = changedQuestions
        self.runID = runID
        self.reindexSummary = reindexSummary
        self.retrainSteps = retrainSteps
        self.retrainData = retrainData
        self.retrainedOnScoredQuestions = retrainedOnScoredQuestions
    }
}

/// What training the adapter cost once (from its training log).
public struct TrainingCost: Sendable, Codable, Equatable {
    public var adapter: String
    public var seconds: Double
    /// nil when the trainer did not log it.
    public var cpuSeconds: Double?
    public var steps: Int
    /// Real (non-padding) tokens processed; nil when the trainer did not log them.
    public var tokens: Int?
    /// Training examples and epochs (from the log's "prepared" record and the adapter's settings).
    public var examples: Int?
    public var epochs: Int?

    public init(adapter: String, seconds: Double, cpuSeconds: Double?, steps: Int, tokens: Int?,
                examples: Int? = nil, epochs: Int? = nil) {
        self.adapter = adapter
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
        self.steps = steps
        self.tokens = tokens
        self.examples = examples
        self.epochs = epochs
    }
}

extension TrainingCost {
    /// Reads an adapter's `training_log.jsonl`: seconds and steps from the last "finished" record
    /// (CPU-seconds and tokens too when the trainer logged them, under `cpuSeconds`/`cpu_seconds`
    /// and `tokens`), the training examples from the "prepared" record and, when it is next to the
    /// log, the epochs from `training_settings.json`. nil when the log has no finished run.
    public static func fromTrainingLog(_ url: URL, adapter: String) -> TrainingCost? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        var cost: TrainingCost?
        var examples: Int?
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = (try? JSONGuard.object(from: Data(line))) as? [String: Any] else { continue }
            switch object["event"] as? String {
            case "prepared":
                examples = (object["trainExamples"] as? NSNumber)?.intValue
            case "finished":
                guard let seconds = number(object["seconds"]) else { continue }
                cost = TrainingCost(adapter: adapter, seconds: seconds,
                                    cpuSeconds: number(object["cpuSeconds"]) ?? number(object["cpu_seconds"]),
                                    steps: (object["steps"] as? NSNumber)?.intValue ?? 0,
                                    tokens: (number(object["tokens"]) ?? number(object["trainedTokens"])).flatMap { Int(exactly: $0.rounded(.towardZero)) },
                                    examples: examples)
            default: continue
            }
        }
        let settingsURL = url.deletingLastPathComponent().appendingPathComponent("training_settings.json")
        if cost != nil, let settings = (try? Data(contentsOf: settingsURL))
            .flatMap({ (try? JSONGuard.object(from: $0)) as? [String: Any] }) {
            cost?.epochs = (settings["epochs"] as? NSNumber)?.intValue
        }
        return cost
    }

    private static func number(_ value: Any?) -> Double? {
        guard let n = value as? NSNumber else { return nil }
        let x = n.doubleValue
        return x.isFinite ? x : nil
    }
}
