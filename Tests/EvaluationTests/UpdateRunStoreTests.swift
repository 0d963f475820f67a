// Update runs kept in the run store and loaded back for `eval qa --update-run`, older manifests
// still readable, and the adapter's training cost read from its training log.
import Foundation
import Testing
@testable import Evaluation
import Inference

@Suite struct UpdateRunStoreTests {
    func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("update-runs-\(UUID().uuidString)")
    }

    func cost(_ seconds: Double, id: String) -> UpdateCost {
        UpdateCost(reindexSeconds: seconds, reindexCPUSeconds: 1, retrainSeconds: 90, retrainCPUSeconds: 33,
                   ragAccuracyAfter: 0.4, staleAdapterAccuracy: 0.05, retrainedAdapterAccuracy: 0.15, changedQuestions: 20,
                   runID: id, reindexSummary: "7 changed", retrainSteps: 30)
    }

    func manifest(id: String, kind: String, update: UpdateCost?) -> RunManifest {
        RunManifest(id: id, kind: kind, createdAt: "now", suite: "s", suiteSHA256: "x", arms: [.rag, .ft], settings: [:],
                    fingerprints: [:], summaries: [], update: update)
    }

    @Test func updateRunIsStoredAndLoadedByIDAndAsLatest() throws {
        let workspace = scratch()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let store = RunStore(workspace: workspace)
        let older = cost(2.0, id: "20260101-000000-a"), newer = cost(3.5, id: "20260102-000000-b")
        try store.save(manifest: manifest(id: "20260101-000000-a", kind: "update", update: older), answers: [], report: "# u",
                       reportJSON: Data("{}".utf8))
        try store.save(manifest: manifest(id: "20260102-000000-b", kind: "update", update: newer), answers: [], report: "# u")
        try store.save(manifest: manifest(id: "20260103-000000-c", kind: "qa", update: nil), answers: [], report: "# q")

        #expect(try store.updateCost(ofRun: "20260101-000000-a") == older)
        #expect(try store.updateCost(ofRun: "latest") == newer)
        #expect(FileManager.default.fileExists(atPath: store.directory.appendingPathComponent("20260101-000000-a/report.json").path))
        #expect(throws: EvaluationError.wrongRunKind(id: "20260103-000000-c", kind: "qa", expected: "update")) {
            try store.updateCost(ofRun: "20260103-000000-c")
        }
        #expect(throws: EvaluationError.runNotFound(id: "nope", directory: store.directory.path)) { try store.updateCost(ofRun: "nope") }
        #expect(throws: EvaluationError.runNotFound(id: "../x", directory: store.directory.path)) { try store.manifest(of: "../x") }
    }

    @Test func manifestsWrittenBeforeCostsWereStoredStillLoad() throws {
        let workspace = scratch()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let store = RunStore(workspace: workspace)
        let folder = store.directory.appendingPathComponent("20261124-212349-b36578e3")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let old = #"{"arms":["rag","ft"],"createdAt":"x","fingerprints":{},"id":"20261124-212349-b36578e3","kind":"update","settings":{},"suite":"s","suiteSHA256":"","summaries":[]}"#
        try Data(old.utf8).write(to: folder.appendingPathComponent("manifest.json"))
        #expect(store.list().map(\.id) == ["20261124-212349-b36578e3"])
        #expect(try store.manifest(of: "20261124-212349-b36578e3").update == nil)
        #expect(throws: EvaluationError.self) { try store.updateCost(ofRun: "20261124-212349-b36578e3") }
        #expect(throws: EvaluationError.runNotFound(id: "latest update run", directory: store.directory.path)) {
            try store.updateCost(ofRun: "latest")
        }
    }

    @Test func trainingCostComesFromTheLogAndSettings() throws {
        let folder = scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = """
            {"event":"prepared","examples":249,"trainExamples":224,"validationExamples":25,"totalSteps":168}
            {"event":"step","step":1,"loss":2.5}
            not json
            {"event":"finished","seconds":412.5,"steps":168,"cpuSeconds":801.25,"tokens":95000}
            """
        try Data(log.utf8).write(to: folder.appendingPathComponent("training_log.jsonl"))
        try Data(#"{"epochs": 3, "rank": 8}"#.utf8).write(to: folder.appendingPathComponent("training_settings.json"))
        let cost = try #require(TrainingCost.fromTrainingLog(folder.appendingPathComponent("training_log.jsonl"), adapter: "j"))
        #expect(cost == TrainingCost(adapter: "j", seconds: 412.5, cpuSeconds: 801.25, steps: 168, tokens: 95000, examples: 224, epochs: 3))

        // A log without CPU-seconds and tokens (as the trainer wrote them last session): those stay nil.
        let plain = #"{"event":"finished","seconds":847.0,"steps":168,"stoppedEarly":false}"#
        try Data(plain.utf8).write(to: folder.appendingPathComponent("training_log.jsonl"))
        let partial = try #require(TrainingCost.fromTrainingLog(folder.appendingPathComponent("training_log.jsonl"), adapter: "j"))
        #expect(partial.cpuSeconds == nil && partial.tokens == nil && partial.steps == 168 && partial.epochs == 3)
        // A token count no Int can hold (a corrupt or hand-edited log) is dropped, not a trap.
        let huge = #"{"event":"finished","seconds":12.0,"steps":3,"tokens":1e30}"#
        try Data(huge.utf8).write(to: folder.appendingPathComponent("training_log.jsonl"))
        let dropped = try #require(TrainingCost.fromTrainingLog(folder.appendingPathComponent("training_log.jsonl"), adapter: "j"))
        #expect(dropped.tokens == nil && dropped.steps == 3)
        // An unfinished run has no cost.
        try Data(#"{"event":"step","step":1}"#.utf8).write(to: folder.appendingPathComponent("training_log.jsonl"))
        #expect(TrainingCost.fromTrainingLog(folder.appendingPathComponent("training_log.jsonl"), adapter: "j") == nil)
    }
}
