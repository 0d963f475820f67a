// Typed progress events of a training run: the CLI, the TUI and tests consume the same stream.
import Foundation

/// What a run found in its data before the first step.
public struct TrainingSummary: Sendable, Codable, Equatable {
    public var examples: Int
    public var trainExamples: Int
    public var validationExamples: Int
    public var malformedLines: [MalformedLine]
    public var truncated: Int
    public var emptyAfterTruncation: Int
    public var totalSteps: Int
    public var trainableParameters: Int
    public var resumedFromStep: Int?
    /// Set when resume had to use the previous checkpoint (the newest was missing or torn).
    public var resumeNote: String? = nil
}

/// One optimiser step.
public struct StepProgress: Sendable, Codable, Equatable {
    public var step: Int
    public var totalSteps: Int
    public var epoch: Int
    /// Mean cross-entropy over the step's target tokens.
    public var loss: Double
    public var learningRate: Float
    public var gradientNorm: Float
    /// Real (non-padding) tokens per second over this step.
    public var tokensPerSecond: Double
    /// Estimated seconds to the end.
    public var etaSeconds: Double
}

/// How a run ended.
public struct TrainingOutcome: Sendable, Codable, Equatable {
    public var adapterDirectory: String
    public var steps: Int
    public var finalLoss: Double
    public var bestValidationLoss: Double?
    public var seconds: Double
    public var stoppedEarly: Bool
    /// CPU-seconds of the process over the run (every thread), for cost reports; nil in older logs.
    public var cpuSeconds: Double? = nil
    /// Real (non-padding) tokens the run's steps trained on; after `--resume`, those since the resume.
    public var tokens: Int? = nil
}

/// A progress event.
public enum TrainingEvent: Sendable, Equatable {
    case prepared(TrainingSummary)
    case step(StepProgress)
    case validation(step: Int, loss: Double)
    case checkpoint(step: Int, path: String)
    case earlyStop(step: Int, bestValidationLoss: Double)
    case finished(TrainingOutcome)
    /// Cancelled (Ctrl-C or the TUI); the last checkpoint, if any, is kept.
    case cancelled(step: Int, checkpointStep: Int?)
    case failed(message: String)

    /// The event as one JSON object (for `--json` and training_log.jsonl).
    public var jsonObject: [String: Any] {
        func encode<T: Encodable>(_ value: T) -> [String: Any] {
            guard let data = try? JSONEncoder().encode(value),
                  let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return [:] }
            return object
        }
        var object: [String: Any]
        switch self {
        case .prepared(let s): object = encode(s); object["event"] = "prepared"
        case .step(let s): object = encode(s); object["event"] = "step"
        case let .validation(step, loss): object = ["event": "validation", "step": step, "loss": loss]
        case let .checkpoint(step, path): object = ["event": "checkpoint", "step": step, "path": path]
        case let .earlyStop(step, best): object = ["event": "early_stop", "step": step, "best_validation_loss": best]
        case .finished(let o): object = encode(o); object["event"] = "finished"
        case let .cancelled(step, checkpointStep):
            object = ["event": "cancelled", "step": step, "checkpoint_step": checkpointStep.map { $0 as Any } ?? NSNull()]
        case .failed(let message): object = ["event": "failed", "message": message]
        }
        return object
    }

    /// One line of JSON.
    public var jsonLine: String {
        guard let data = try? JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
