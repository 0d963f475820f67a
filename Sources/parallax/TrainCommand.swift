// `parallax train`: LoRA fine-tuning of the default model on a JSONL dataset, with a progress bar
// on a terminal or one JSON object per event with --json; Ctrl-C keeps the last checkpoint.
import ArgumentParser
import Foundation
import ModelFiles
import Models
import Tokenizers
import Training

struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a LoRA adapter on a JSONL chat dataset.",
        discussion: """
            Lines are {"messages":[{"role","content"},…]}, {"prompt","completion"} or Alpaca
            {"instruction","input","output"}. The adapter is saved under WORKSPACE/adapters/NAME/
            in Hugging Face PEFT layout. Ctrl-C stops and keeps the last checkpoint; --resume continues it.
            """)

    @Option(help: "Training data (JSONL).") var data: String
    @Option(help: "Adapter name (a folder under WORKSPACE/adapters).") var name: String
    @Option(help: "LoRA rank.") var rank = 8
    @Option(help: "LoRA alpha (scale alpha/rank).") var alpha: Float = 16
    @Option(help: "Projections to adapt: any of q,k,v,o,gate,up,down.") var targets = "q,k,v,o"
    @Option(help: "Peak learning rate.") var lr: Float = 2e-4
    @Option(help: "Passes over the training split.") var epochs: Int?
    @Option(help: "Optimiser steps instead of epochs.") var steps: Int?
    @Option(help: "Examples (rows) per micro-batch.") var batch = 4
    @Option(help: "Maximum tokens per example (longer ones are truncated).") var seq = 256
    @Option(name: .customLong("val-split"), help: "Fraction held out for validation loss.") var valSplit = 0.1
    @Option(name: .customLong("val-every"), help: "Validation every N steps.") var valEvery = 20
    @Option(help: "Early stopping: validations without improvement before stopping (0: off).") var patience = 0
    @Flag(help: "Continue from the adapter's last checkpoint.") var resume = false
    @Flag(help: "One JSON object per event on stdout.") var json = false
    @Option(help: "LoRA dropout.") var dropout: Float = 0
    @Flag(help: "rsLoRA scaling alpha/√rank.") var rslora = false
    @Option(name: .customLong("grad-accum"), help: "Micro-batches per optimiser step.") var gradAccum = 1
    @Option(help: "Linear warm-up steps.") var warmup = 10
    @Option(help: "Random seed (data order, split, initialisation, dropout).") var seed: UInt64 = 0
    @Flag(name: .customLong("all-tokens"), help: "Train on every token, not only assistant replies.") var allTokens = false
    @Flag(help: "Stop at the first malformed line instead of skipping it.") var strict = false
    @Flag(help: "Pack several examples into each row (attention stays within an example).") var packed = false
    @Option(name: .customLong("checkpoint-every"), help: "Checkpoint every N steps (0: never).") var checkpointEvery = 25
    @Option(name: .customLong("max-grad-norm"), help: "Gradient clipping by global norm (0: off).") var maxGradNorm: Float = 1
    @Option(help: "Workspace folder.") var workspace = ".parallax"
    @Option(help: "GGUF model (default: the cached SmolLM2-135M-Instruct).") var model: String?

    func validate() throws {
        if epochs != nil && steps != nil { throw ValidationError("give --epochs or --steps, not both") }
    }

    func settings() throws -> TrainingSettings {
        var s = TrainingSettings()
        s.rank = rank
        s.alpha = alpha
        s.dropout = dropout
        s.useRSLoRA = rslora
        s.targets = try targets.split(separator: ",").map { name in
            guard let p = LlamaProjection(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--targets: unknown projection '\(name)'; use q,k,v,o,gate,up,down")
            }
            return p
        }
        s.learningRate = lr
        if let epochs { s.epochs = epochs }
        s.maxSteps = steps
        s.batchSize = batch
        s.seqLen = seq
        s.validationFraction = valSplit
        s.validationEvery = valEvery
        s.earlyStoppingPatience = patience
        s.gradientAccumulation = gradAccum
        s.warmupSteps = warmup
        s.seed = seed
        s.allTokens = allTokens
        s.strict = strict
        s.layout = packed ? .packed : .padded
        s.checkpointEvery = checkpointEvery
        s.maxGradNorm = maxGradNorm
        try s.validate()
        return s
    }

    func run() async throws {
        let settings = try settings()
        let modelURL = model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            throw ValidationError("model not found at \(modelURL.path); run `make models` or pass --model")
        }
        let gguf = try GGUFFile(url: modelURL)
        let tokenizer = try BPETokenizer(gguf: gguf)
        let template = try ChatTemplate(tokenizer: tokenizer)
        let pad = Int32(tokenizer.vocabulary.paddingID ?? tokenizer.eosID ?? 0)
        let workspaceURL = URL(fileURLWithPath: workspace).standardizedFileURL
        let directory = try AdapterStore(workspace: workspaceURL).directory(named: name)
        let job = TrainingJob(settings: settings, dataURL: URL(fileURLWithPath: data), model: .gguf(modelURL),
                              encoder: template, padToken: pad, adapterDirectory: directory, resume: resume)
        let (events, task) = LoRATrainer.start(job)
        let interrupt = InterruptHandler { task.cancel() }
        defer { interrupt.restore() }
        var printer = TrainingProgressPrinter(json: json)
        var failed = false
        for await event in events {
            printer.show(event)
            if case .failed = event { failed = true }
            if case .cancelled = event { failed = true }
        }
        if failed { throw ExitCode.failure }
    }
}

/// Turns SIGINT into a cancellation (once), then restores the default handler.
final class InterruptHandler: @unchecked Sendable {
    private let source: DispatchSourceSignal

    init(_ action: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            FileHandle.standardError.write(Data("\nstopping after the current micro-batch…\n".utf8))
            action()
        }
        source.resume()
    }

    func restore() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
