// `parallax eval update`: what absorbing a change of facts costs RAG (re-index) and fine-tuning
// (re-train), and how accurate each is on the changed facts afterwards.
import ArgumentParser
import Evaluation
import Foundation
import Indexing
import Inference
import ModelFiles

struct EvalUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "The knowledge-update experiment: re-index vs re-train when facts change.",
        discussion: """
            CHANGES holds documents/ (new versions of some documents, same relative paths) and qa.jsonl
            (questions about the changed facts with their new answers). Everything runs on a scratch copy:
            your documents, index and adapters are not modified.
            """)

    @Option(help: "The QA suite of the original collection (kept in the run's manifest).")
    var suite: String

    @Option(help: "The change set folder.")
    var changes: String

    @Option(help: "The documents folder the index was built from (default: the folder holding the workspace).")
    var documents: String?

    @OptionGroup var options: ArmOptions

    @Option(name: .customLong("train-data"), help: "Chat JSONL to re-train on (default: the change set's questions and new answers).")
    var trainData: String?

    @Option(help: "Training steps of the re-trained facts adapter.")
    var steps = 80

    @Option(name: .customLong("lr"), help: "Learning rate of the re-training.")
    var learningRate: Float = 1e-3

    @Flag(help: "Print the results as one JSON object.")
    var json = false

    func validate() throws {
        guard (1...100_000).contains(steps) else { throw ValidationError("--steps must be between 1 and 100000") }
    }

    func run() async throws {
        try await reportingErrors {
            let workspace = options.workspaceValue
            let documentsURL = documents.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? workspace.directory.deletingLastPathComponent()
            let modelURL = options.model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
            let experiment = KnowledgeUpdateExperiment(
                documents: documentsURL, workspace: workspace.directory, changes: URL(fileURLWithPath: changes),
                staleAdapter: options.adapter, trainingData: trainData.map { URL(fileURLWithPath: $0) },
                trainingSteps: steps, learningRate: learningRate, modelURL: modelURL,
                settings: ArmSettings(maxTokens: min(options.maxTokens, 64)))
            let stored = try await UpdateExperimentRunner.run(experiment, suite: suite, workspace: workspace, topK: options.topK,
                                                              learningRate: learningRate, quiet: json)
            let c = stored.cost
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                struct Output: Encodable { let run: String; let update: UpdateCost; let reindex: String }
                print(String(decoding: try encoder.encode(Output(run: stored.runDirectory.path, update: c, reindex: stored.reindexSummary)),
                             as: UTF8.self))
            } else {
                print(String(format: """
                    Knowledge update (%d changed facts)
                      RAG  re-index %.1f s (%.1f CPU-s; %@) → gold-contained %.0f%%
                      FT   stale adapter %@ → re-train %.1f s (%.1f CPU-s) → gold-contained %.0f%%
                    Run kept in %@ (fold it into a QA report with `parallax eval qa … --update-run %@`)
                    """, c.changedQuestions, c.reindexSeconds, c.reindexCPUSeconds, stored.reindexSummary, c.ragAccuracyAfter * 100,
                    c.staleAdapterAccuracy.map { String(format: "%.0f%%", $0 * 100) } ?? "(none given)",
                    c.retrainSeconds, c.retrainCPUSeconds, c.retrainedAdapterAccuracy * 100, stored.runDirectory.path,
                    stored.runDirectory.lastPathComponent))
            }
        }
    }
}
