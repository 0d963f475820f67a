// Loading what the answer arms need (model, workspace retriever, adapter) for `ask` and `eval`,
// with the errors a user can act on.
import ArgumentParser
import Foundation
import Indexing
import Inference
import ModelFiles
import Models
import Training

/// Options shared by the commands that run answer arms.
struct ArmOptions: ParsableArguments {
    @Option(help: "Workspace folder (default: ./.parallax).")
    var workspace: String?

    @Option(help: "A LoRA adapter in the workspace (see `parallax adapters list`).")
    var adapter: String?

    @Option(name: .customLong("adapter-scale"), help: "Scale of the adapter's delta at run time, 0 to 1.")
    var adapterScale: Float = 1

    @Option(name: .customLong("top-k"), help: "Passages retrieved for the RAG arms.")
    var topK = 5

    @Option(help: "Retrieval mode: hybrid, bm25 or dense.")
    var mode: SearchMode = .hybrid

    @Option(name: .customLong("max-tokens"), help: "Most tokens per answer.")
    var maxTokens = 160

    @Option(help: "A llama-architecture GGUF file (default: the cached SmolLM2-135M-Instruct).")
    var model: String?

    func validate() throws {
        guard (0...1).contains(adapterScale) else { throw ValidationError("--adapter-scale must be between 0 and 1") }
        guard (1...50).contains(topK) else { throw ValidationError("--top-k must be between 1 and 50") }
        guard (1...4096).contains(maxTokens) else { throw ValidationError("--max-tokens must be between 1 and 4096") }
    }

    var workspaceValue: Workspace {
        workspace.map { Workspace(directory: URL(fileURLWithPath: $0)) } ?? Workspace.current()
    }

    var settings: ArmSettings { ArmSettings(maxTokens: maxTokens, adapterScale: adapterScale) }
}

/// The loaded pieces of an arms run.
struct ArmsContext {
    let arms: AnswerArms
    let searcher: HybridSearcher?
    let adapter: LoRAWeights?
    let modelURL: URL
    let adapterDirectory: URL?

    /// Loads the model, opens the workspace index when the arms need it, and loads the adapter.
    static func load(_ options: ArmOptions, needsRetrieval: Bool, needsAdapter: Bool) throws -> ArmsContext {
        let modelURL = options.model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            throw CLIError("no model at \(modelURL.path): run `make models` (or pass --model PATH)")
        }
        let generator: Generator
        do { generator = try Generator(url: modelURL) } catch { throw CLIError("cannot load \(modelURL.path): \(error)") }

        var searcher: HybridSearcher?
        if needsRetrieval {
            let space = options.workspaceValue
            guard space.hasIndex else {
                throw CLIError("no index in \(space.directory.path): run `parallax index PATH --workspace \(space.directory.path)` first")
            }
            do {
                let embedder = options.mode == .bm25 ? nil : try MiniLMEmbedder()
                searcher = try HybridSearcher(store: try space.openIndex(), embedder: embedder)
            } catch { throw CLIError("cannot open the index: \(error)") }
        }

        var adapter: LoRAWeights?
        var adapterDirectory: URL?
        if let name = options.adapter {
            let store = AdapterStore(workspace: options.workspaceValue.directory)
            do {
                let directory = try store.directory(named: name)
                let config = try LlamaTrainingConfig(gguf: generator.model.file)
                adapter = try AdapterFiles.load(from: directory, config: config)
                adapterDirectory = directory
            } catch {
                throw CLIError("cannot load adapter \"\(name)\": \(error)")
            }
        } else if needsAdapter {
            throw CLIError("the fine-tuned arms need an adapter: pass --adapter NAME (see `parallax adapters list`) or drop ft/ftrag from --arms")
        }
        return ArmsContext(arms: AnswerArms(generator: generator), searcher: searcher, adapter: adapter,
                           modelURL: modelURL, adapterDirectory: adapterDirectory)
    }
}

/// An error whose text is shown to the user as is, with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command body, printing CLIError and module errors as "error: …" and exiting 1.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CancellationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// Whether standard output is a terminal (progress bars) or a pipe/file (plain lines).
var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
