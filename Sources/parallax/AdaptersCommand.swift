// `parallax adapters list|show NAME|remove NAME|export NAME --gguf FILE`: the workspace's LoRA adapters.
import ArgumentParser
import Foundation
import ModelFiles
import Models
import Training

struct AdaptersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapters",
        abstract: "List, inspect, remove and export LoRA adapters.",
        subcommands: [List.self, Show.self, Remove.self, Export.self])

    struct Options: ParsableArguments {
        @Option(help: "Workspace folder.") var workspace = ".parallax"
        @Flag(help: "Print JSON.") var json = false
        var store: AdapterStore { AdapterStore(workspace: URL(fileURLWithPath: workspace).standardizedFileURL) }
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List adapters.")
        @OptionGroup var options: Options
        func run() throws {
            let infos = try options.store.names().map { try options.store.info(named: $0) }
            for (folder, reason) in options.store.unlisted() {
                FileHandle.standardError.write(Data("not listed: adapters/\(folder): \(reason) Rename the folder to use it.\n".utf8))
            }
            if options.json { return try AdaptersCommand.printJSON(infos) }
            if infos.isEmpty { print("no adapters in \(options.store.root.path)"); return }
            for i in infos {
                let loss = i.finalLoss.map { String(format: "loss %.3f", $0) } ?? ""
                print("\(i.name.padding(toLength: 24, withPad: " ", startingAt: 0)) r=\(i.rank ?? 0) alpha=\(i.alpha ?? 0) "
                      + "\(i.targets.joined(separator: ",")) steps=\(i.steps ?? 0) \(loss)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one adapter's settings and results.")
        @OptionGroup var options: Options
        @Argument(help: "Adapter name.") var name: String
        func run() throws {
            let i = try options.store.info(named: name)
            if options.json { return try AdaptersCommand.printJSON(i) }
            print("adapter \(i.name)  (\(i.path))")
            print("  rank \(i.rank ?? 0), alpha \(i.alpha ?? 0), targets \(i.targets.joined(separator: ","))")
            if let s = i.settings {
                print("  lr \(s.learningRate), batch \(s.batchSize), seq \(s.seqLen), epochs \(s.maxSteps.map { "– (\($0) steps)" } ?? "\(s.epochs)"), "
                      + "seed \(s.seed), \(s.allTokens ? "all tokens" : "assistant tokens"), \(s.layout.rawValue)")
            }
            print("  steps \(i.steps ?? 0), final loss \(i.finalLoss.map { String(format: "%.4f", $0) } ?? "–"), "
                  + "best validation loss \(i.bestValidationLoss.map { String(format: "%.4f", $0) } ?? "–")")
            print("  \(i.sizeBytes / 1024) KiB on disk\(i.hasCheckpoint ? ", with a checkpoint (train --resume continues it)" : "")")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an adapter and its checkpoint.")
        @OptionGroup var options: Options
        @Argument(help: "Adapter name.") var name: String
        func run() throws {
            try options.store.remove(named: name)
            print("removed \(name)")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the adapter as a GGUF LoRA file for llama.cpp --lora.")
        @OptionGroup var options: Options
        @Argument(help: "Adapter name.") var name: String
        @Option(help: "Output .gguf file.") var gguf: String
        @Option(help: "GGUF base model the adapter belongs to (default: the cached SmolLM2-135M-Instruct).") var model: String?
        func run() throws {
            let modelURL = model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
            guard FileManager.default.fileExists(atPath: modelURL.path) else {
                throw ValidationError("model not found at \(modelURL.path); run `make models` or pass --model")
            }
            let config = try LlamaTrainingConfig(gguf: GGUFFile(url: modelURL))
            let weights = try options.store.weights(named: name, config: config)
            try AdapterFiles.exportGGUF(weights, to: URL(fileURLWithPath: gguf), name: name)
            print("wrote \(gguf) (\(weights.pairs.count) LoRA pairs, r=\(weights.rank), alpha \(weights.alpha))")
        }
    }
}
