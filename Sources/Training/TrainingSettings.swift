// The settings of one training run: what `parallax train` flags set, saved beside the adapter
// as training_settings.json and checked on --resume.
import Foundation
import Models

/// Every knob of a LoRA run. Defaults are the (`--rank 8 --alpha 16 --targets q,k,v,o
/// --lr 2e-4 --batch 4 --seq 256 --val-split 0.1`).
public struct TrainingSettings: Sendable, Codable, Equatable {
    public var rank = 8
    public var alpha: Float = 16
    public var dropout: Float = 0
    public var useRSLoRA = false
    public var targets: [LlamaProjection] = [.q, .k, .v, .o]
    public var learningRate: Float = 2e-4
    /// Passes over the training split (ignored when `maxSteps` is set).
    public var epochs = 3
    /// Optimiser steps to run instead of whole epochs.
    public var maxSteps: Int?
    public var batchSize = 4
    public var seqLen = 256
    public var gradientAccumulation = 1
    /// Linear warm-up steps (then cosine decay to zero).
    public var warmupSteps = 10
    public var seed: UInt64 = 0
    public var validationFraction = 0.1
    /// Validation loss every N optimiser steps (and at the end).
    public var validationEvery = 20
    /// Stop after this many validations without improvement (0: never).
    public var earlyStoppingPatience = 0
    /// Train on every token instead of assistant tokens only.
    public var allTokens = false
    /// Stop at the first malformed line instead of skipping it.
    public var strict = false
    public var layout: BatchLayout = .padded
    /// Checkpoint every N optimiser steps (0: never).
    public var checkpointEvery = 25
    /// Global gradient-norm clip (0: off).
    public var maxGradNorm: Float = 1
    public var weightDecay: Float = 0.01

    public init() {}

    /// Throws on values that cannot work, naming the flag.
    public func validate() throws {
        func bad(_ name: String, _ value: Any, _ reason: String) -> TrainingError {
            .invalidSetting(name: name, value: "\(value)", reason: reason)
        }
        guard rank >= 1, rank <= 256 else { throw bad("rank", rank, "must be between 1 and 256") }
        guard alpha > 0, alpha.isFinite else { throw bad("alpha", alpha, "must be positive") }
        guard dropout >= 0, dropout < 1 else { throw bad("dropout", dropout, "must be in [0, 1)") }
        guard !targets.isEmpty else { throw bad("targets", "", "name at least one of q,k,v,o,gate,up,down") }
        guard learningRate > 0, learningRate < 1 else { throw bad("lr", learningRate, "must be in (0, 1)") }
        guard epochs >= 1 else { throw bad("epochs", epochs, "must be at least 1") }
        if let maxSteps { guard maxSteps >= 1 else { throw bad("steps", maxSteps, "must be at least 1") } }
        guard batchSize >= 1, batchSize <= 64 else { throw bad("batch", batchSize, "must be between 1 and 64") }
        guard seqLen >= 8, seqLen <= 4096 else { throw bad("seq", seqLen, "must be between 8 and 4096") }
        guard gradientAccumulation >= 1 else { throw bad("grad-accum", gradientAccumulation, "must be at least 1") }
        guard warmupSteps >= 0 else { throw bad("warmup", warmupSteps, "must not be negative") }
        guard validationFraction >= 0, validationFraction < 1 else { throw bad("val-split", validationFraction, "must be in [0, 1)") }
        guard validationEvery >= 1 else { throw bad("val-every", validationEvery, "must be at least 1") }
        guard earlyStoppingPatience >= 0 else { throw bad("patience", earlyStoppingPatience, "must not be negative") }
        guard checkpointEvery >= 0 else { throw bad("checkpoint-every", checkpointEvery, "must not be negative") }
        guard maxGradNorm >= 0 else { throw bad("max-grad-norm", maxGradNorm, "must not be negative") }
    }

    /// Settings that must not change between a checkpoint and its resumption, as sorted-key JSON
    /// (a stable form; Swift's `description` of the struct, used before, may change with the compiler).
    func resumeFingerprint() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(resumeRelevant)).map { String(decoding: $0, as: UTF8.self) } ?? legacyResumeFingerprint()
    }

    /// The fingerprint checkpoints written before the JSON form carry; they still resume.
    func legacyResumeFingerprint() -> String { "\(resumeRelevant)" }

    /// Whether a checkpoint's fingerprint belongs to these settings.
    func matchesResumeFingerprint(_ fingerprint: String) -> Bool {
        fingerprint == resumeFingerprint() || fingerprint == legacyResumeFingerprint()
    }

    /// These settings without the ones a resumed run may change.
    private var resumeRelevant: TrainingSettings {
        var copy = self
        copy.checkpointEvery = 0
        copy.strict = false
        return copy
    }
}
