// Runs effects against the backend as background tasks and posts what comes back to the inbox.
import Foundation

/// Owns the background tasks (search, arms, training, indexing, evaluation) and their cancellation.
/// Used only from the UI loop's thread.
public final class EffectRunner {
    let backend: any WorkbenchBackend
    let inbox: Inbox
    let workspace: URL
    private var searchTask: Task<Void, Never>?
    private var armTasks: [ArmKind: Task<Void, Never>] = [:]
    private var trainingTask: Task<Void, Never>?
    private var indexTask: Task<Void, Never>?
    private var evaluationTask: Task<Void, Never>?
    private var evaluationStop: EvaluationStopSignal?
    private var statusTask: Task<Void, Never>?

    public init(backend: any WorkbenchBackend, inbox: Inbox, workspace: URL) {
        self.backend = backend
        self.inbox = inbox
        self.workspace = workspace
    }

    /// Starts following the backend's status and loads the first lists.
    public func start() {
        let backend = self.backend, inbox = self.inbox
        statusTask = Task.detached {
            for await status in backend.statusUpdates() { inbox.post(.status(status)) }
        }
        run(.refreshDocuments)
        run(.refreshAdapters)
    }

    /// Cancels everything (on quit).
    public func stop() {
        for task in [searchTask, trainingTask, indexTask, evaluationTask, statusTask] { task?.cancel() }
        for task in armTasks.values { task.cancel() }
    }

    /// Runs one effect; never blocks (work happens in detached tasks).
    public func run(_ effect: Effect) {
        let backend = self.backend, inbox = self.inbox
        switch effect {
        case .cancelArms:
            searchTask?.cancel()
            for task in armTasks.values { task.cancel() }
            armTasks = [:]
        case .search(let id, let query, let mode, let topK):
            searchTask?.cancel()
            searchTask = Task.detached {
                do {
                    let hits = try await backend.search(query, mode: mode, topK: topK)
                    if !Task.isCancelled { inbox.post(.searchFinished(queryID: id, hits: hits)) }
                } catch {
                    if !Task.isCancelled { inbox.post(.searchFailed(queryID: id, reason: String(describing: error))) }
                }
            }
        case .generate(let runID, let request):
            armTasks[request.arm]?.cancel()
            armTasks[request.arm] = Task.detached {
                for await event in backend.generate(request) {
                    if Task.isCancelled { break }
                    inbox.post(.arm(request.arm, runID: runID, event))
                }
            }
        case .loadDocument(let path):
            Task.detached {
                do { inbox.post(.documentText(path: path, text: try await backend.documentText(path: path))) } catch {
                    inbox.post(.failure("cannot show \(path): \(error)"))
                }
            }
        case .refreshDocuments:
            Task.detached {
                do { inbox.post(.documents(try await backend.documents())) } catch { inbox.post(.failure("documents: \(error)")) }
            }
        case .refreshAdapters:
            Task.detached {
                do { inbox.post(.adapters(try await backend.adapters())) } catch { inbox.post(.failure("adapters: \(error)")) }
            }
        case .refreshDatasets:
            Task.detached {
                do { inbox.post(.datasets(try await backend.datasets())) } catch { inbox.post(.failure("datasets: \(error)")) }
            }
        case .refreshEvaluationSuites:
            Task.detached {
                do { inbox.post(.evaluationSuites(try await backend.evaluationSuites())) } catch { inbox.post(.failure("evaluation suites: \(error)")) }
            }
        case .startTraining(let config):
            trainingTask?.cancel()
            trainingTask = Task.detached {
                var ended = false
                for await event in backend.train(config) {
                    inbox.post(.training(event))
                    if case .progress = event {} else { ended = true }
                }
                if !ended { inbox.post(.training(.cancelled)) }
            }
        case .cancelTraining:
            trainingTask?.cancel()
        case .reindex(let folders):
            indexTask?.cancel()
            indexTask = Task.detached {
                for await event in backend.reindex(addingFolders: folders) { inbox.post(.index(event)) }
            }
        case .evaluate(let request):
            evaluationTask?.cancel()
            let stop = EvaluationStopSignal()
            evaluationStop = stop
            evaluationTask = Task.detached {
                var ended = false
                for await event in backend.evaluate(request, stop: stop) {
                    inbox.post(.evaluation(event))
                    switch event {
                    case .started, .progress: break
                    case .finished, .stopped, .failed: ended = true
                    }
                }
                if !ended && !Task.isCancelled { inbox.post(.evaluation(.failed("the evaluation ended without a result"))) }
            }
        case .stopEvaluation:
            evaluationStop?.stop()
        case .refreshEvaluationRuns:
            Task.detached {
                do { inbox.post(.evaluationRuns(try await backend.evaluationRuns())) } catch { inbox.post(.failure("evaluation runs: \(error)")) }
            }
        case .loadEvaluationRun(let id):
            Task.detached {
                do { inbox.post(.evaluationRun(try await backend.evaluationRun(id: id))) } catch {
                    inbox.post(.failure("cannot open run \(id): \(error)"))
                }
            }
        case .saveHistory(let entries):
            let url = workspace.appendingPathComponent("history")
            Task.detached {
                do { try QueryHistory(entries: entries).save(to: url) } catch { inbox.post(.failure(String(describing: error))) }
            }
        case .export(let markdown):
            let stamp = Int(Date().timeIntervalSince1970)
            let url = workspace.appendingPathComponent("exports").appendingPathComponent("parallax-\(stamp).md")
            Task.detached {
                do {
                    try writeAtomically(Data(markdown.utf8), to: url)
                    inbox.post(.notice("exported to \(url.path)"))
                } catch { inbox.post(.failure(String(describing: error))) }
            }
        case .setTheme:
            break // handled by the controller, which owns the screen
        }
    }
}
