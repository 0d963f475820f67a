// Running the knowledge-update experiment and keeping it as an `update` run in
// WORKSPACE/runs/ID/: shared by `eval update` and `eval qa --update-changes`.
import Evaluation
import Foundation
import Indexing
import Inference
import ModelFiles

/// A finished knowledge-update experiment, stored.
struct StoredUpdateRun {
    /// The measured costs; `runID` names the stored run.
    let cost: UpdateCost
    let runDirectory: URL
    let reindexSummary: String
}

enum UpdateExperimentRunner {
    /// Runs `experiment`, prints its phases to standard error unless `quiet`, and stores the run
    /// (answers, a manifest carrying the costs, report.md and report.json).
    static func run(_ experiment: KnowledgeUpdateExperiment, suite: String, workspace: Workspace, topK: Int,
                    learningRate: Float, quiet: Bool) async throws -> StoredUpdateRun {
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
        let id = RunStore.newID()
        var cost = result.cost
        cost.runID = id
        let summaries = [ArmSummary(arm: .rag, answers: result.answers.filter { $0.arm == .rag }),
                         ArmSummary(arm: .ft, answers: result.answers.filter { $0.arm == .ft && !$0.id.hasPrefix("stale:") })]
        let settings = ["changes": experiment.changes.path, "re-index": result.reindexSummary,
                        "re-training": "\(experiment.trainingSteps) steps, lr \(learningRate)",
                        "stale adapter": experiment.staleAdapter ?? "none"]
        let report = QAReport(title: "Parallax knowledge-update experiment", summaries: summaries, topK: topK,
                              update: cost, settings: settings)
        let manifest = RunManifest(
            id: id, kind: "update", createdAt: ISO8601DateFormatter().string(from: Date()), suite: suite,
            suiteSHA256: (try? SHA256.hex(ofFileAt: URL(fileURLWithPath: suite))) ?? "", arms: [.rag, .ft],
            settings: settings, fingerprints: ["model": (try? SHA256.hex(ofFileAt: experiment.modelURL)) ?? ""],
            summaries: summaries, update: cost)
        let directory = try RunStore(workspace: workspace.directory)
            .save(manifest: manifest, answers: result.answers, report: report.markdown(), reportJSON: try report.jsonData())
        return StoredUpdateRun(cost: cost, runDirectory: directory, reindexSummary: result.reindexSummary)
    }
}
