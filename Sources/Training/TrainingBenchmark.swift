// `parallax bench train`: training throughput and peak memory on the real model, the same
// workload as the PyTorch + PEFT peer (batch 4 × 256 tokens, r = 8, alpha 16, AdamW 2e-4).
import Kernels
import Foundation
import Models

/// Result of one benchmark run.
public struct TrainingBenchmarkResult: Sendable, Codable {
    public var tokensPerSecond: Double
    public var stepSecondsMedian: Double
    /// Process CPU seconds (all threads, user + system) per timed step: less sensitive than wall
    /// time to other processes on a shared machine, though spin-waiting threads count too.
    public var cpuSecondsPerStep: Double
    public var peakRSSMiB: Double
    public var loadSeconds: Double
    public var firstLoss: Double
    public var lastLoss: Double
    public var batch: Int
    public var seq: Int
    public var rank: Int
    public var targets: [String]
    public var steps: Int
    /// With `profile`: milliseconds per timed step spent in each part of forward and backward
    /// (`StepProfile.Part` raw values), in step order.
    public var profile: [ProfilePart]?

    public struct ProfilePart: Sendable, Codable {
        public var part: String
        public var milliseconds: Double
    }
}

/// Runs forward + backward + AdamW on synthetic tokens, timing the steps after the warm-up.
public enum TrainingBenchmark {
    public static func run(modelURL: URL, batch: Int = 4, seq: Int = 256, rank: Int = 8,
                           targets: [LlamaProjection] = [.q, .k, .v, .o], warmup: Int = 2, steps: Int = 10,
                           profile: Bool = false,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> TrainingBenchmarkResult {
        guard batch >= 1, seq >= 2, steps >= 1, warmup >= 0, rank >= 1 else {
            throw TrainingError.invalidSetting(name: "bench train", value: "batch \(batch), seq \(seq), steps \(steps), rank \(rank)",
                                               reason: "needs batch ≥ 1, seq ≥ 2, steps ≥ 1 and rank ≥ 1")
        }
        // Each run reports its own peak, not an earlier round's in the same process.
        ProcessMemory.resetPeak()
        let start = Date()
        let weights = try LlamaTrainingWeights(url: modelURL)
        let config = weights.config
        guard config.vocabSize > 200 else {
            throw TrainingError.invalidSetting(name: "model", value: modelURL.path,
                                               reason: "its vocabulary (\(config.vocabSize)) is too small for the benchmark's token draw")
        }
        let lora = LoRAParameterSet(weights: .peftInitialized(config: config, rank: rank, alpha: 16, targets: targets, seed: 0))
        let model = LlamaTrainingModel(weights: weights, lora: lora, maxBatch: batch, maxSeq: seq)
        let optimizer = AdamW(parameterCount: lora.parameterCount)
        let stepProfile = profile ? StepProfile() : nil
        model.profile = stepProfile
        let loadSeconds = Date().timeIntervalSince(start)
        var rng = SplitMix64(seed: 7)
        var times: [Double] = []
        var losses: [Double] = []
        var cpuSeconds = 0.0
        for step in 0..<(warmup + steps) {
            let tokens = (0..<(batch * seq)).map { _ in Int32(100 + rng.next() % UInt64(config.vocabSize - 200)) }
            var targets = tokens
            for b in 0..<batch {
                for t in 0..<seq { targets[b * seq + t] = t + 1 < seq ? tokens[b * seq + t + 1] : -1 }
            }
            let microBatch = TrainingBatch(batchSize: batch, seqLen: seq, tokens: tokens, targets: targets)
            if step == warmup { stepProfile?.reset() }
            let t0 = Date(), cpu0 = ProcessMemory.cpuSeconds
            lora.gradients.zero()
            let result = try model.accumulateGradients(microBatch, gradScale: 1 / Float(microBatch.targetCount))
            optimizer.update(parameters: lora.values, gradients: lora.gradients, lr: 2e-4)
            let dt = Date().timeIntervalSince(t0)
            losses.append(result.lossSum / Double(result.count))
            if step >= warmup {
                times.append(dt)
                cpuSeconds += ProcessMemory.cpuSeconds - cpu0
            }
            progress?(step + 1)
        }
        let total = times.reduce(0, +)
        return TrainingBenchmarkResult(
            tokensPerSecond: Double(batch * seq * times.count) / max(total, 1e-9),
            stepSecondsMedian: times.sorted()[times.count / 2], cpuSecondsPerStep: cpuSeconds / Double(max(1, times.count)),
            peakRSSMiB: ProcessMemory.peakRSSMiB,
            loadSeconds: loadSeconds, firstLoss: losses.first ?? 0, lastLoss: losses.last ?? 0,
            batch: batch, seq: seq, rank: rank, targets: targets.map(\.rawValue), steps: steps,
            profile: stepProfile?.totals.map { .init(part: $0.part.rawValue, milliseconds: $0.seconds * 1000 / Double(steps)) })
    }
}

/// Resident-set figures of this process from /proc/self/status.
public enum ProcessMemory {
    /// Peak resident set size (VmHWM) in MiB, or 0 where /proc is missing.
    public static var peakRSSMiB: Double { field("VmHWM:") }
    /// Starts a new peak: VmHWM falls to the current RSS (Linux's clear_refs, value 5). Does
    /// nothing where /proc/self/clear_refs cannot be written.
    public static func resetPeak() {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        defer { try? handle.close() }
        try? handle.write(contentsOf: Data("5".utf8))
    }

    /// Current resident set size (VmRSS) in MiB.
    public static var currentRSSMiB: Double { field("VmRSS:") }

    /// CPU time of the whole process (every thread) in seconds.
    public static var cpuSeconds: Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    static func field(_ name: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
}
