// Running a QA suite from the Evaluate view on the live backend: the same evaluator, answerer, report and
// run store as `parallax eval qa`, with per-answer progress and a stop that keeps the partial results.
import Evaluation
import Foundation
import Indexing
import Inference
import ModelFiles
import Models
import Synchronization
import Training

/// Scored answers collected while a run goes, readable after it stops.
private final class CollectedAnswers: Sendable {
    let answers = Mutex<[ScoredAnswer]>([])
}

extension LiveBackend {
    /// Tokens per answer, as `parallax eval qa` uses by default (`--max-tokens`).
    static let evaluationMaxTokens = 160

    public func evaluate(_ request: EvaluationRequest, stop: EvaluationStopSignal) -> AsyncStream<EvaluationEvent> {
        let state = self.state
        let configuration = self.configuration
        return AsyncStream { continuation in
            let task = Task {
                do {
                    let event = try await Self.runEvaluation(request, stop: stop, state: state, configuration: configuration) {
                        continuation.yield($0)
                    }
                    if let event, !Task.isCancelled { continuation.yield(event) }
                } catch {
                    if !Task.isCancelled { continuation.yield(.failed(String(describing: error))) }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Runs the suite and stores it; returns the closing event (nil when the consumer went away).
    static func runEvaluation(_ request: EvaluationRequest, stop: EvaluationStopSignal, state: LiveState,
                              configuration: Configuration,
                              report: @escaping @Sendable (EvaluationEvent) -> Void) async throws -> EvaluationEvent? {
        let suiteURL = URL(fileURLWithPath: request.suite)
        var qa = try QASuite(contentsOf: suiteURL)
        if let limit = request.limit { qa.items = Array(qa.items.prefix(max(1, limit))) }
        let format: AnswerFormat? = switch request.format {
        case .perQuestion: nil
        case .none: AnswerFormat.none
        case .json: .json
        case .xml: .xml
        }
        if let format { qa.items = qa.items.map { var item = $0; item.format = format; return item } }

        let answerArms = try await waitForArms(state)
        let searcher = try await state.requireSearcher()
        var weights: LoRAWeights?
        if let adapter = request.adapter, request.arms.contains(where: \.usesAdapter) {
            weights = try await state.adapter(named: adapter)
        }
        let arms = request.arms.filter { weights != nil || !$0.usesAdapter }.compactMap(\.inferenceArm)
        guard !arms.isEmpty else {
            throw WorkbenchError.unavailable(feature: "evaluation", reason: "no arm can run (the FT arms need an adapter: F4)")
        }
        let mode = SearchMode(rawValue: request.mode.rawValue) ?? .hybrid
        let settings = ArmSettings(maxTokens: evaluationMaxTokens, adapterScale: Float(request.adapterScale))
        let answerer = LiveAnswerer(arms: answerArms, searcher: searcher, adapter: weights, settings: settings, mode: mode)
        let evaluator = QAEvaluator(arms: arms, defaultFormat: .none, topK: request.topK)
        let total = qa.items.count * arms.count
        report(.started(arms: arms.compactMap(EvaluationArm.init), questions: qa.items.count, total: total))

        let collected = CollectedAnswers()
        let start = Date()
        let items = qa.items
        let work = Task {
            try await evaluator.run(items, answerer: answerer) { event in
                guard case .answered(let done, let total, let scored) = event, let answer = answer(scored) else { return }
                let all = collected.answers.withLock { $0.append(scored); return $0 }
                let summaries = evaluator.summaries(of: all).filter { $0.questions > 0 }.compactMap(summary)
                report(.progress(EvaluationProgress(done: done, total: total, elapsed: Date().timeIntervalSince(start),
                                                    question: question(scored), answer: answer, summaries: summaries)))
            }
        }
        stop.onStop { work.cancel() }
        let outcome = await withTaskCancellationHandler { await work.result } onCancel: { work.cancel() }
        if Task.isCancelled { return nil }

        let results: [ScoredAnswer]
        let partial: Bool
        switch outcome {
        case .success(let all): results = all; partial = false
        case .failure(let error) where error is CancellationError:
            results = collected.answers.withLock { $0 }; partial = true
        case .failure(let error): throw error
        }
        var runSettings: [String: String] = [
            "suite": request.suite, "questions": "\(qa.items.count)", "arms": arms.map(\.rawValue).joined(separator: ","),
            "adapter": weights == nil ? "none" : request.adapter ?? "none", "adapter scale": "\(Float(request.adapterScale))",
            "retrieval": "\(mode.rawValue), top-\(request.topK)", "max tokens": "\(evaluationMaxTokens)",
            "sampling": "greedy", "format": format?.rawValue ?? "per question",
            "wall seconds": String(format: "%.1f", Date().timeIntervalSince(start)), "source": "workbench",
        ]
        if partial { runSettings["stopped"] = "after \(results.count) of \(total) answers" }
        var manifest = RunManifest(
            id: RunStore.newID(), kind: "qa", createdAt: ISO8601DateFormatter().string(from: Date()),
            suite: request.suite, suiteSHA256: (try? SHA256.hex(ofFileAt: suiteURL)) ?? "",
            arms: arms, settings: runSettings, fingerprints: [:], summaries: evaluator.summaries(of: results))
        var run = result(manifest: manifest, answers: results)
        run.partial = partial
        var storeError: String?
        if results.isEmpty {
            run.id = nil
        } else {
            do {
                let adapterDirectory = weights == nil ? nil
                    : request.adapter.flatMap { try? AdapterStore(workspace: configuration.workspace).directory(named: $0) }
                manifest.fingerprints = fingerprints(configuration: configuration, adapterDirectory: adapterDirectory)
                let training = adapterDirectory.flatMap {
                    TrainingCost.fromTrainingLog($0.appendingPathComponent("training_log.jsonl"), adapter: request.adapter ?? "")
                }
                let markdown = QAReport(title: partial ? "Parallax QA evaluation (stopped, partial)" : "Parallax QA evaluation",
                                        summaries: manifest.summaries, topK: request.topK, training: training,
                                        settings: runSettings).markdown()
                try RunStore(workspace: configuration.workspace).save(manifest: manifest, answers: results, report: markdown)
            } catch {
                run.id = nil
                storeError = String(describing: error)
            }
        }
        return partial ? .stopped(run, storeError: storeError) : .finished(run, storeError: storeError)
    }

    /// The answer arms once the model has loaded (it loads in the background when the workbench starts).
    static func waitForArms(_ state: LiveState) async throws -> AnswerArms {
        while case .loading = await state.status.model {
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await state.requireArms()
    }

    /// SHA-256 of the model, index and adapter files the run used (as `parallax eval qa` records them).
    static func fingerprints(configuration: Configuration, adapterDirectory: URL?) -> [String: String] {
        var out: [String: String] = [:]
        out["model"] = try? SHA256.hex(ofFileAt: configuration.modelURL)
        out["index"] = try? SHA256.hex(ofFileAt: Workspace(directory: configuration.workspace).indexURL)
        if let adapterDirectory {
            out["adapter"] = try? SHA256.hex(ofFileAt: adapterDirectory.appendingPathComponent("adapter_model.safetensors"))
        }
        return out
    }
}
