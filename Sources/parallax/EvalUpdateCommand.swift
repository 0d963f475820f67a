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
            let quiet = json
            let result = try await experiment.run { event in
                guard !quiet else { return }
                switch event {
                case .phase(let text): FileHandle.standardError.write(Data("· \(text)\n".utf8))
                case .training(let step, let total, let loss):
                    if step == total || step % 10 == 0 {
                        FileHandle.standardError.write(Data(String(format: "  step %d/%d loss %.3f\n", step, total, loss).utf8))
                    }
                }
            }
            let c = result.cost
            let summaries = [ArmSummary(arm: .rag, answers: result.answers.filter { $0.arm == .rag }),
                             ArmSummary(arm: .ft, answers: result.answers.filter { $0.arm == .ft && !$0.id.hasPrefix("stale:") })]
            let report = QAReport(title: "Parallax knowledge-update experiment", summaries: summaries, topK: options.topK,
                                  update: c, settings: ["changes": changes, "re-index": result.reindexSummary,
                                                        "re-training": "\(steps) steps, lr \(learningRate)"])
            let manifest = RunManifest(
                id: RunStore.newID(), kind: "update", createdAt: ISO8601DateFormatter().string(from: Date()), suite: suite,
                suiteSHA256: (try? SHA256.hex(ofFileAt: URL(fileURLWithPath: suite))) ?? "", arms: [.rag, .ft],
                settings: report.settings, fingerprints: ["model": (try? SHA256.hex(ofFileAt: modelURL)) ?? ""], summaries: summaries)
            let saved = try RunStore(workspace: workspace.directory).save(manifest: manifest, answers: result.answers, report: report.markdown())
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                struct Output: Encodable { let run: String; let update: UpdateCost; let reindex: String }
                print(String(decoding: try encoder.encode(Output(run: saved.path, update: c, reindex: result.reindexSummary)), as: UTF8.self))
            } else {
                print(String(format: """
                    Knowledge update (%d changed facts)
                      RAG  re-index %.1f s (%.1f CPU-s; %@) → gold-contained %.0f%%
                      FT   stale adapter %@ → re-train %.1f s (%.1f CPU-s) → gold-contained %.0f%%
                    Run kept in %@
                    """, c.changedQuestions, c.reindexSeconds, c.reindexCPUSeconds, result.reindexSummary, c.ragAccuracyAfter * 100,
                    c.staleAdapterAccuracy.map { String(format: "%.0f%%", $0 * 100) } ?? "(none given)",
                    c.retrainSeconds, c.retrainCPUSeconds, c.retrainedAdapterAccuracy * 100, saved.path))
            }
        }
    }
}
