// Scripted states for reducer and snapshot tests, built by feeding the reducer scripted backend messages.
import Foundation
@testable import Workbench

enum Fixtures {
    static let question = "What is the per diem for travel?"
    static let backend = ScriptedBackend()

    /// A state after one question: hits in, both arms finished with fixed timings, the first hit's document loaded.
    static func answered(width: Int, height: Int, arms: [ArmKind] = [.rag, .ft]) async throws -> AppState {
        var state = AppState(width: width, height: height, workspacePath: "/work/sample/.parallax")
        state.themeNames = ["dark", "high-contrast", "light", "monochrome"]
        _ = state.receive(.status(backend.status))
        _ = state.receive(.documents(try await backend.documents()))
        _ = state.receive(.adapters(try await backend.adapters()))
        _ = state.applyCommand(.adapter("concise-json"))
        _ = state.applyCommand(.arms(arms))
        state.message = nil
        let effects = state.submit(question)
        let hits = try await backend.search(question, mode: state.mode, topK: state.topK)
        var all = effects
        all += state.receive(.searchFinished(queryID: state.queryID, hits: hits)).1
        for effect in all {
            if case .generate(let runID, let request) = effect {
                for word in ScriptedBackend.answer(for: request).split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                    _ = state.receive(.arm(request.arm, runID: runID, .token(word.offset == 0 ? String(word.element) : " " + word.element)))
                }
                let stats = ArmStats(timeToFirstToken: request.arm == .ft ? 0.08 : 0.21, tokensPerSecond: 142.5, tokenCount: 31)
                _ = state.receive(.arm(request.arm, runID: runID, .finished(stats)))
            }
            if case .loadDocument(let path) = effect {
                _ = state.receive(.documentText(path: path, text: try await backend.documentText(path: path)))
            }
        }
        state.history = QueryHistory(entries: ["how many days of annual leave?", question])
        return state
    }

    /// A training run part-way through, with loss and validation-loss points.
    static func training(_ state: inout AppState) async throws {
        _ = state.receive(.datasets(try await backend.datasets()))
        _ = state.switchView(.train)
        state.trainForm.row = .steps
        state.trainForm.steps.set("60")
        _ = state.startTraining()
        for step in 1...36 {
            let loss = 2.8 * exp(-Double(step) / 60 * 1.5) + 0.4 + (step % 3 == 0 ? 0.05 : 0)
            _ = state.receive(.training(.progress(TrainingProgress(
                step: step, totalSteps: 60, loss: loss, validationLoss: step % 6 == 0 ? loss + 0.2 : nil,
                learningRate: 2e-4, tokensPerSecond: 850, secondsRemaining: Double(60 - step) * 1.5))))
        }
        state.message = nil
    }
}
