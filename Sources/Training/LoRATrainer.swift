// The training loop: data → schedule → steps of forward/backward/AdamW, with validation, early
// stopping, checkpoints and resume; progress goes out as `TrainingEvent`s through an AsyncStream.
import Kernels
import Foundation
import ModelFiles
import Models

/// Where the frozen base model comes from.
public enum TrainingModelSource: Sendable {
    case gguf(URL)
    /// Already-loaded weights (tests, or a caller that keeps them).
    case weights(LlamaTrainingWeights)
}

/// Everything one run needs.
public struct TrainingJob: Sendable {
    public var settings: TrainingSettings
    public var dataURL: URL
    public var model: TrainingModelSource
    public var encoder: any ChatEncoding
    /// Token used for padding (no loss is taken on it).
    public var padToken: Int32
    /// `.parallax/adapters/NAME`: adapter, settings, log and checkpoint go here.
    public var adapterDirectory: URL
    public var resume: Bool

    public init(settings: TrainingSettings, dataURL: URL, model: TrainingModelSource, encoder: any ChatEncoding,
                padToken: Int32, adapterDirectory: URL, resume: Bool = false) {
        self.settings = settings
        self.dataURL = dataURL
        self.model = model
        self.encoder = encoder
        self.padToken = padToken
        self.adapterDirectory = adapterDirectory
        self.resume = resume
    }
}

/// Runs LoRA training jobs.
public enum LoRATrainer {
    /// Starts `job` on a background task. Events arrive on the stream, which finishes after the
    /// last one; cancelling `task` (or dropping the stream) stops the run at the next micro-batch,
    /// keeping the last checkpoint.
    public static func start(_ job: TrainingJob) -> (events: AsyncStream<TrainingEvent>, task: Task<Void, Never>) {
        let (stream, continuation) = AsyncStream<TrainingEvent>.makeStream(bufferingPolicy: .unbounded)
        let task = Task.detached(priority: .userInitiated) {
            run(job, emit: { continuation.yield($0) }, isCancelled: { Task.isCancelled })
            continuation.finish()
        }
        continuation.onTermination = { reason in
            if case .cancelled = reason { task.cancel() }
        }
        return (stream, task)
    }

    /// Runs `job` on the calling thread; `isCancelled` is polled between micro-batches.
    public static func run(_ job: TrainingJob, emit: @escaping (TrainingEvent) -> Void, isCancelled: () -> Bool) {
        do {
            var loop = try TrainingRun(job: job, emit: emit)
            try loop.run(isCancelled: isCancelled)
        } catch {
            emit(.failed(message: "\(error)"))
        }
    }
}

/// One run's state; `LoRATrainer.run` drives it.
struct TrainingRun {
    let job: TrainingJob
    let settings: TrainingSettings
    let emit: (TrainingEvent) -> Void
    let data: TrainingData
    let validation: [Int]
    let schedule: TrainingSchedule
    let model: LlamaTrainingModel
    let lora: LoRAParameterSet
    let optimizer: AdamW
    let learningRate: LearningRateSchedule
    let dataFingerprint: String
    var startStep = 0
    var bestValidationLoss: Double?
    var bestValues: [Float]?
    var evaluationsWithoutImprovement = 0
    var lastCheckpointStep: Int?
    var lastLoss = Double.nan
    var log: [String] = []

    init(job: TrainingJob, emit: @escaping (TrainingEvent) -> Void) throws {
        self.job = job
        settings = job.settings
        self.emit = emit
        try settings.validate()
        let (examples, malformed) = try ChatDataset.read(url: job.dataURL, strict: settings.strict)
        dataFingerprint = SHA256.hex((try? Data(contentsOf: job.dataURL)).map { [UInt8]($0) } ?? [])
        data = try TrainingData.tokenize(examples, encoder: job.encoder, seq: settings.seqLen, allTokens: settings.allTokens)
        guard !data.examples.isEmpty else { throw TrainingError.noExamples(path: job.dataURL.path) }
        let split = data.split(validationFraction: settings.validationFraction, seed: settings.seed)
        validation = split.validation
        let weights: LlamaTrainingWeights
        switch job.model {
        case .gguf(let url): weights = try LlamaTrainingWeights(url: url)
        case .weights(let w): weights = w
        }
        let initial = LoRAWeights.peftInitialized(config: weights.config, rank: settings.rank, alpha: settings.alpha,
                                                  useRSLoRA: settings.useRSLoRA, targets: settings.targets, seed: settings.seed)
        lora = LoRAParameterSet(weights: initial)
        var adam = AdamWSettings()
        adam.weightDecay = settings.weightDecay
        optimizer = AdamW(parameterCount: lora.parameterCount, settings: adam)
        var schedule = TrainingSchedule(data: data, train: split.train, settings: settings)
        var resumeNote: String?
        if job.resume {
            let saved = try TrainingCheckpoint.load(from: job.adapterDirectory, parameterCount: lora.parameterCount)
            let path = job.adapterDirectory.appendingPathComponent(TrainingCheckpoint.fileName).path
            guard settings.matchesResumeFingerprint(saved.state.settingsFingerprint) else {
                throw TrainingError.checkpointInvalid(path: path, reason: "it was made with different settings")
            }
            guard saved.state.dataFingerprint == dataFingerprint else {
                throw TrainingError.checkpointInvalid(path: path, reason: "the data file changed since")
            }
            // The saved run state indexes this data: an edited or damaged state is refused, never trusted.
            let exampleCount = data.examples.count
            guard saved.state.step >= 0, saved.state.optimizerStep >= 0,
                  saved.state.epochOrders.allSatisfy({ $0.allSatisfy { (0..<exampleCount).contains($0) } }) else {
                throw TrainingError.checkpointInvalid(path: path, reason: "its step or example order is out of range for this data")
            }
            schedule = TrainingSchedule(epochOrders: saved.state.epochOrders, data: data, train: split.train, settings: settings)
            guard saved.state.step <= schedule.steps.count else {
                throw TrainingError.checkpointInvalid(path: path, reason: "step \(saved.state.step) is past the run's \(schedule.steps.count) steps")
            }
            lora.values.assign(saved.values)
            optimizer.restore(m: saved.m, v: saved.v, step: saved.state.optimizerStep)
            startStep = saved.state.step
            bestValidationLoss = saved.state.bestValidationLoss
            bestValues = saved.best
            evaluationsWithoutImprovement = saved.state.evaluationsWithoutImprovement
            lastCheckpointStep = saved.state.step
            lastLoss = saved.state.lastLoss
            log = Self.readLog(job.adapterDirectory, upTo: startStep)
            resumeNote = saved.fallbackNote
        }
        self.schedule = schedule
        learningRate = LearningRateSchedule(peak: settings.learningRate, warmupSteps: settings.warmupSteps,
                                            totalSteps: schedule.steps.count)
        let longest = data.examples.map(\.tokens.count).max() ?? 8
        let maxSeq = settings.layout == .packed ? settings.seqLen : min(settings.seqLen, max(8, (longest + 7) / 8 * 8))
        model = LlamaTrainingModel(weights: weights, lora: lora, maxBatch: settings.batchSize, maxSeq: maxSeq,
                                   dropout: settings.dropout)
        record(.prepared(TrainingSummary(
            examples: data.examples.count + data.emptyAfterTruncation, trainExamples: split.train.count,
            validationExamples: validation.count, malformedLines: malformed, truncated: data.truncated,
            emptyAfterTruncation: data.emptyAfterTruncation, totalSteps: schedule.steps.count,
            trainableParameters: lora.parameterCount, resumedFromStep: job.resume ? startStep : nil, resumeNote: resumeNote)))
    }

    mutating func record(_ event: TrainingEvent) {
        log.append(event.jsonLine)
        emit(event)
    }

    mutating func run(isCancelled: () -> Bool) throws {
        let began = Date()
        let cpuBegan = ProcessMemory.cpuSeconds
        var trainedTokens = 0
        var stepSeconds: [Double] = []
        var stoppedEarly = false
        var step = startStep
        while step < schedule.steps.count {
            let t0 = Date()
            let micro = schedule.steps[step]
            let batches = micro.map { data.batch(rows: $0, seq: model.maxSeq, padToken: job.padToken) }
            let targetCount = batches.reduce(0) { $0 + $1.targetCount }
            let realTokens = micro.joined().joined().reduce(0) { $0 + data.examples[$1].tokens.count }
            lora.gradients.zero()
            var lossSum = 0.0
            for (i, batch) in batches.enumerated() {
                if isCancelled() {
                    record(.cancelled(step: step, checkpointStep: lastCheckpointStep))
                    try writeLog()
                    return
                }
                model.dropoutSeed = SplitMix64.mix(settings.seed ^ (UInt64(step) << 20) ^ UInt64(i))
                lossSum += try model.accumulateGradients(batch, gradScale: 1 / Float(max(1, targetCount))).lossSum
            }
            let norm = AdamW.clip(lora.gradients, maxNorm: settings.maxGradNorm)
            let rate = learningRate.rate(step: step + 1)
            optimizer.update(parameters: lora.values, gradients: lora.gradients, lr: rate)
            step += 1
            lastLoss = lossSum / Double(max(1, targetCount))
            trainedTokens += realTokens
            let seconds = Date().timeIntervalSince(t0)
            stepSeconds.append(seconds)
            let recent = stepSeconds.suffix(10)
            let mean = recent.reduce(0, +) / Double(recent.count)
            record(.step(StepProgress(step: step, totalSteps: schedule.steps.count, epoch: schedule.stepEpochs[step - 1] + 1,
                                      loss: lastLoss, learningRate: rate, gradientNorm: norm,
                                      tokensPerSecond: Double(realTokens) / max(seconds, 1e-9),
                                      etaSeconds: mean * Double(schedule.steps.count - step))))
            if !validation.isEmpty, step % settings.validationEvery == 0 || step == schedule.steps.count {
                let loss = try validationLoss()
                record(.validation(step: step, loss: loss))
                if bestValidationLoss.map({ loss < $0 }) ?? true {
                    bestValidationLoss = loss
                    bestValues = settings.earlyStoppingPatience > 0 ? lora.values.array : nil
                    evaluationsWithoutImprovement = 0
                } else {
                    evaluationsWithoutImprovement += 1
                    if settings.earlyStoppingPatience > 0, evaluationsWithoutImprovement >= settings.earlyStoppingPatience {
                        record(.earlyStop(step: step, bestValidationLoss: bestValidationLoss ?? loss))
                        stoppedEarly = true
                        break
                    }
                }
            }
            if settings.checkpointEvery > 0, step % settings.checkpointEvery == 0, step < schedule.steps.count {
                try checkpoint(step: step)
            }
        }
        if stoppedEarly, let bestValues { lora.values.assign(bestValues) }
        try saveAdapter()
        record(.finished(TrainingOutcome(adapterDirectory: job.adapterDirectory.path, steps: step, finalLoss: lastLoss,
                                         bestValidationLoss: bestValidationLoss,
                                         seconds: Date().timeIntervalSince(began), stoppedEarly: stoppedEarly,
                                         cpuSeconds: ProcessMemory.cpuSeconds - cpuBegan, tokens: trainedTokens)))
        try writeLog()
    }

    /// Mean cross-entropy over every validation target token.
    func validationLoss() throws -> Double {
        var sum = 0.0, count = 0
        for start in stride(from: 0, to: validation.count, by: settings.batchSize) {
            let rows = validation[start..<min(validation.count, start + settings.batchSize)].map { [$0] }
            let result = try model.forward(data.batch(rows: rows, seq: model.maxSeq, padToken: job.padToken))
            sum += result.lossSum
            count += result.count
        }
        return sum / Double(max(1, count))
    }

    mutating func checkpoint(step: Int) throws {
        let state = TrainingCheckpointState(step: step, optimizerStep: optimizer.step, bestValidationLoss: bestValidationLoss,
                                            evaluationsWithoutImprovement: evaluationsWithoutImprovement,
                                            epochOrders: schedule.epochOrders, settingsFingerprint: settings.resumeFingerprint(),
                                            dataFingerprint: dataFingerprint, lastLoss: lastLoss)
        try FileManager.default.createDirectory(at: job.adapterDirectory, withIntermediateDirectories: true)
        try TrainingCheckpoint.save(state: state, lora: lora, optimizer: optimizer, best: bestValues, to: job.adapterDirectory)
        lastCheckpointStep = step
        try saveAdapter()
        record(.checkpoint(step: step, path: job.adapterDirectory.appendingPathComponent(TrainingCheckpoint.fileName).path))
        try writeLog()
    }

    func saveAdapter() throws {
        try AdapterFiles.save(lora.weights, headDim: model.config.headDim, dropout: settings.dropout, to: job.adapterDirectory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = job.adapterDirectory.appendingPathComponent(AdapterFiles.settingsFile)
        let bytes: Data
        do { bytes = try encoder.encode(settings) } catch {
            throw TrainingError.writeFailed(path: url.path, reason: "\(error)")
        }
        try DurableFiles.write(Array(bytes), to: url)
    }

    func writeLog() throws {
        try FileManager.default.createDirectory(at: job.adapterDirectory, withIntermediateDirectories: true)
        let url = job.adapterDirectory.appendingPathComponent(AdapterFiles.logFile)
        try DurableFiles.write(Array((log.joined(separator: "\n") + "\n").utf8), to: url)
    }

    /// Log lines of an earlier run up to and including `step` (lines without a step are kept).
    static func readLog(_ directory: URL, upTo step: Int) -> [String] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(AdapterFiles.logFile), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init).filter { line in
            guard let object = (try? JSONGuard.object(from: Data(line.utf8))) as? [String: Any],
                  let s = object["step"] as? Int else { return true }
            return s <= step && (object["event"] as? String) != "cancelled"
        }
    }
}
