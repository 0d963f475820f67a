// A new query cancels the old arms: the runner stops iterating their streams, which ends generation in the backend.
import Foundation
import Synchronization
import Testing
@testable import Workbench

/// Wraps the scripted backend with slow, endless arms and counts how many streams were terminated.
final class SlowArmsBackend: WorkbenchBackend {
    let inner = ScriptedBackend()
    let terminated = Mutex(0)
    let started = Mutex(0)

    func statusUpdates() -> AsyncStream<BackendStatus> { inner.statusUpdates() }
    func documents() async throws -> [DocumentSummary] { try await inner.documents() }
    func documentText(path: String) async throws -> String { try await inner.documentText(path: path) }
    func search(_ query: String, mode: RetrievalMode, topK: Int) async throws -> [SearchHit] {
        try await inner.search(query, mode: mode, topK: topK)
    }
    func generate(_ request: ArmRequest) -> AsyncStream<ArmEvent> {
        started.withLock { $0 += 1 }
        return AsyncStream { continuation in
            let task = Task {
                while !Task.isCancelled {
                    continuation.yield(.token("."))
                    try? await Task.sleep(for: .milliseconds(5))
                }
                continuation.finish()
            }
            continuation.onTermination = { [self] _ in
                task.cancel()
                self.terminated.withLock { $0 += 1 }
            }
        }
    }
    func adapters() async throws -> [AdapterSummary] { [] }
    func datasets() async throws -> [DatasetSummary] { [] }
    func train(_ config: TrainingConfig) -> AsyncStream<TrainingEvent> { inner.train(config) }
    func reindex(addingFolders: [String]) -> AsyncStream<IndexEvent> { inner.reindex(addingFolders: addingFolders) }
    func evaluationSuites() async throws -> [String] { [] }
    func evaluate(_ request: EvaluationRequest, stop: EvaluationStopSignal) -> AsyncStream<EvaluationEvent> {
        inner.evaluate(request, stop: stop)
    }
    func evaluationRuns() async throws -> [EvaluationRunListing] { [] }
    func evaluationRun(id: String) async throws -> EvaluationRunResult { try await inner.evaluationRun(id: id) }
}

@Suite struct CancellationTests {
    @Test func aNewQueryCancelsTheOldArms() async throws {
        let backend = SlowArmsBackend()
        let screen = OffscreenScreen(width: 100, height: 30)
        let controller = WorkbenchController(screen: screen, backend: backend, workspace: FileManager.default.temporaryDirectory
            .appendingPathComponent("cancel-\(UUID().uuidString)"), themes: ThemeLibrary(folders: [repositoryThemes]))
        controller.start()
        for c in "travel" { controller.process(.key(.character(c))) }
        controller.process(.key(.enter))
        for _ in 0..<200 where backend.started.withLock({ $0 }) < 2 {
            try await Task.sleep(for: .milliseconds(10))
            controller.processMessages()
        }
        #expect(backend.started.withLock { $0 } == 2) // RAG and fine-tuned arms are streaming
        controller.process(.key(.character("/")))
        for c in "leave" { controller.process(.key(.character(c))) }
        controller.process(.key(.enter))
        for _ in 0..<200 where backend.terminated.withLock({ $0 }) < 2 {
            try await Task.sleep(for: .milliseconds(10))
            controller.processMessages()
        }
        #expect(backend.terminated.withLock { $0 } >= 2, "the first query's arm streams were not stopped")
        #expect(controller.state.lastQuery == "leave")
        controller.process(.key(.function(10)))
        controller.stop()
        for _ in 0..<200 where backend.terminated.withLock({ $0 }) < backend.started.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(backend.terminated.withLock { $0 } == backend.started.withLock { $0 }, "quitting leaves no arm running")
    }
}
