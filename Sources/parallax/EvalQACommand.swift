// `parallax eval qa`: every question of a suite through the chosen arms, scored, kept and reported.
import ArgumentParser
import Evaluation
import Foundation
import Indexing
import Inference
import ModelFiles

struct EvalQACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qa",
        abstract: "Measure the answer arms on a QA suite: fact accuracy, format compliance, citations, latency, cost.",
        discussion: """
            The suite is JSONL: {"id", "question", "answers": [gold strings], "format"?: "json"|"xml"}.
            Results are kept in WORKSPACE/runs/ID/ (answers.jsonl, manifest.json, report.md, report.json).
            The report's "Knowledge updates" row needs the update experiment: --update-changes DIR runs it
            after the arms (and keeps it as its own update run), --update-run ID (or "latest") reuses a
            stored `parallax eval update` run.
            """)

    @Option(help: "The QA suite (JSONL).")
    var suite: String

    @OptionGroup var options: ArmOptions

    @Option(help: "Arms, comma-separated: base, rag, ft, ftrag (default: all four with --adapter, else base,rag).")
    var arms: String?

    @Option(help: "Ask every question in this format (none, json, xml); default: each question's own format.")
    var format: AnswerFormat?

    @Option(help: "Only the first N questions.")
    var limit: Int?

    @Option(help: "Write the Markdown report to this file as well.")
    var report: String?

    @Flag(help: "Print the results as one JSON object.")
    var json = false

    @Option(name: .customLong("update-changes"), help: "Run the knowledge-update experiment on this change set after the arms.")
    var updateChanges: String?

    @Option(name: .customLong("update-run"), help: "Fold in a stored `eval update` run: its id, or \"latest\".")
    var updateRun: String?

    @Option(name: .customLong("update-documents"), help: "With --update-changes: the documents folder the index was built from (default: the folder holding the workspace).")
    var updateDocuments: String?

    @Option(name: .customLong("update-steps"), help: "With --update-changes: training steps of the re-trained facts adapter.")
    var updateSteps = 80

    @Option(name: .customLong("update-stale-adapter"), help: "With --update-changes: a facts adapter trained before the change, measured on the changed facts.")
    var updateStaleAdapter: String?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if updateChanges != nil, updateRun != nil { throw ValidationError("give --update-changes or --update-run, not both") }
        guard (1...100_000).contains(updateSteps) else { throw ValidationError("--update-steps must be between 1 and 100000") }
    }

    func run() async throws {
        try await reportingErrors {
            let suiteURL = URL(fileURLWithPath: suite)
            var qa = try QASuite(contentsOf: suiteURL)
            if let limit { qa.items = Array(qa.items.prefix(limit)) }
            if let format { qa.items = qa.items.map { var item = $0; item.format = format; return item } }
            let workspace = options.workspaceValue
            // Fail before the arms run, not after, when the stored update run is missing.
            let storedUpdate = try updateRun.map { try RunStore(workspace: workspace.directory).updateCost(ofRun: $0) }
            let armList = try ArmKind.parseList(arms ?? (options.adapter == nil ? "base,rag" : "base,rag,ft,ftrag"))
            let context = try ArmsContext.load(options, needsRetrieval: true, needsAdapter: armList.contains { $0.usesAdapter })
            let answerer = LiveAnswerer(arms: context.arms, searcher: context.searcher, adapter: context.adapter,
                                        settings: options.settings, mode: options.mode)
            let evaluator = QAEvaluator(arms: armList, defaultFormat: .none, topK: options.topK)
            let progress = ProgressLine(total: qa.items.count * armList.count, quiet: json)
            let start = Date()
            let results = try await evaluator.run(qa.items, answerer: answerer) { event in
                if case .answered(let done, _, let scored) = event { progress.update(done: done, scored: scored) }
            }
            progress.finish()
            let summaries = evaluator.summaries(of: results)
            let training = context.adapterDirectory.flatMap {
                TrainingCost.fromTrainingLog($0.appendingPathComponent("training_log.jsonl"), adapter: options.adapter ?? "")
            }
            var settings: [String: String] = [
                "suite": suite, "questions": "\(qa.items.count)", "arms": armList.map(\.rawValue).joined(separator: ","),
                "adapter": options.adapter ?? "none", "adapter scale": "\(options.adapterScale)",
                "retrieval": "\(options.mode.rawValue), top-\(options.topK)", "max tokens": "\(options.maxTokens)",
                "sampling": "greedy", "format": format?.rawValue ?? "per question",
                "wall seconds": String(format: "%.1f", Date().timeIntervalSince(start)),
            ]
            var update = storedUpdate
            if let updateChanges {
                let stored = try await runUpdate(changes: updateChanges, workspace: workspace, modelURL: context.modelURL)
                update = stored.cost
                settings["update run"] = stored.runDirectory.lastPathComponent
            } else if let updateRun {
                settings["update run"] = update?.runID ?? updateRun
            }
            let qaReport = QAReport(title: "Parallax QA evaluation", summaries: summaries, topK: options.topK,
                                    training: training, update: update, settings: settings)
            let markdown = qaReport.markdown()
            let manifest = RunManifest(
                id: RunStore.newID(), kind: "qa", createdAt: ISO8601DateFormatter().string(from: Date()),
                suite: suite, suiteSHA256: (try? SHA256.hex(ofFileAt: suiteURL)) ?? "",
                arms: armList, settings: settings, fingerprints: fingerprints(context), summaries: summaries,
                training: training, update: update)
            let store = RunStore(workspace: workspace.directory)
            let runDirectory = try store.save(manifest: manifest, answers: results, report: markdown,
                                              reportJSON: try qaReport.jsonData(run: manifest.id))
            if let report { try Data(markdown.utf8).write(to: URL(fileURLWithPath: report), options: .atomic) }
            if json {
                print(String(decoding: try qaReport.jsonData(run: runDirectory.path, pretty: false), as: UTF8.self))
            } else {
                print(markdown)
                print("Run kept in \(runDirectory.path)")
            }
        }
    }

    /// The knowledge-update experiment on a scratch copy, kept as its own `update` run.
    private func runUpdate(changes: String, workspace: Workspace, modelURL: URL) async throws -> StoredUpdateRun {
        let documentsURL = updateDocuments.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? workspace.directory.standardizedFileURL.deletingLastPathComponent()
        let learningRate: Float = 1e-3
        let experiment = KnowledgeUpdateExperiment(
            documents: documentsURL, workspace: workspace.directory, changes: URL(fileURLWithPath: changes),
            staleAdapter: updateStaleAdapter, trainingData: nil, trainingSteps: updateSteps, learningRate: learningRate,
            modelURL: modelURL, settings: ArmSettings(maxTokens: min(options.maxTokens, 64)))
        if !json { FileHandle.standardError.write(Data("Knowledge-update experiment on \(changes)\n".utf8)) }
        return try await UpdateExperimentRunner.run(experiment, suite: suite, workspace: workspace, topK: options.topK,
                                                    learningRate: learningRate, quiet: json)
    }

    /// SHA-256 of the files the run depended on.
    private func fingerprints(_ context: ArmsContext) -> [String: String] {
        var out: [String: String] = [:]
        out["model"] = try? SHA256.hex(ofFileAt: context.modelURL)
        out["index"] = try? SHA256.hex(ofFileAt: options.workspaceValue.indexURL)
        if let dir = context.adapterDirectory {
            out["adapter"] = try? SHA256.hex(ofFileAt: dir.appendingPathComponent("adapter_model.safetensors"))
        }
        return out
    }
}

/// A one-line progress display on a terminal; a plain line every 10% otherwise.
final class ProgressLine: @unchecked Sendable {
    private let total: Int
    private let quiet: Bool
    private let terminal = standardOutputIsTerminal
    private let start = Date()
    private var lastDecile = -1
    private let lock = NSLock()

    init(total: Int, quiet: Bool) {
        self.total = max(total, 1)
        self.quiet = quiet
    }

    func update(done: Int, scored: ScoredAnswer) {
        guard !quiet else { return }
        lock.withLock {
            let elapsed = Date().timeIntervalSince(start)
            let eta = elapsed / Double(done) * Double(total - done)
            let mark = scored.goldContained > 0 ? "✓" : "·"
            let line = String(format: "[%4d/%d] %@ %@ %@  %.0f s elapsed, ~%.0f s left", done, total,
                              scored.arm.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0), scored.id, mark, elapsed, eta)
            if terminal {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            } else {
                let decile = done * 10 / total
                if decile != lastDecile { lastDecile = decile; FileHandle.standardError.write(Data((line + "\n").utf8)) }
            }
        }
    }

    func finish() {
        if terminal && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
