// `parallax eval report`: the report of a stored qa run again, optionally with a stored update
// run folded in, without answering anything again.
import ArgumentParser
import Evaluation
import Foundation
import Indexing
import Training

struct EvalReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render the report of a stored QA run (optionally with a stored update run folded in).",
        discussion: """
            RUN is a folder name under WORKSPACE/runs (`latest` for the newest qa run). The training cost
            comes from the run's manifest, else from the adapter's training log when it is still in the workspace.
            """)

    @Option(help: "Workspace folder (default: ./.parallax).")
    var workspace: String?

    @Option(help: "The qa run: its id, or \"latest\".")
    var run = "latest"

    @Option(name: .customLong("update-run"), help: "Fold in a stored `eval update` run: its id, or \"latest\".")
    var updateRun: String?

    @Option(help: "Write the Markdown report to this file as well.")
    var report: String?

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let space = workspace.map { Workspace(directory: URL(fileURLWithPath: $0)) } ?? Workspace.current()
            let store = RunStore(workspace: space.directory)
            let manifest: RunManifest
            if run == "latest" {
                guard let newest = store.list().first(where: { $0.kind == "qa" }) else {
                    throw EvaluationError.runNotFound(id: "latest qa run", directory: store.directory.path)
                }
                manifest = newest
            } else {
                manifest = try store.manifest(of: run)
            }
            guard manifest.kind == "qa" else { throw EvaluationError.wrongRunKind(id: manifest.id, kind: manifest.kind, expected: "qa") }
            let update = try updateRun.map { try store.updateCost(ofRun: $0) } ?? manifest.update
            var training = manifest.training
            if training == nil, let name = manifest.settings["adapter"], name != "none",
               let directory = try? AdapterStore(workspace: space.directory).directory(named: name) {
                training = TrainingCost.fromTrainingLog(directory.appendingPathComponent("training_log.jsonl"), adapter: name)
            }
            var settings = manifest.settings
            settings["qa run"] = manifest.id
            if let id = update?.runID { settings["update run"] = id }
            let topK = manifest.settings["retrieval"].flatMap { $0.split(separator: "-").last.flatMap { Int($0) } } ?? 5
            let qaReport = QAReport(title: "Parallax QA evaluation", summaries: manifest.summaries, topK: topK,
                                    training: training, update: update, settings: settings)
            let markdown = qaReport.markdown()
            if let report { try Data(markdown.utf8).write(to: URL(fileURLWithPath: report), options: .atomic) }
            if json {
                print(String(decoding: try qaReport.jsonData(run: store.directory.appendingPathComponent(manifest.id).path, pretty: false),
                             as: UTF8.self))
            } else {
                print(markdown)
            }
        }
    }
}
