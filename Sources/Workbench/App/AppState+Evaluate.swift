// The Evaluate view (F5): keys of its three pages and the evaluation messages from the backend.
import Foundation

extension AppState {
    mutating func handleEvaluateKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        switch evaluation.page {
        case .setup: return handleEvaluationSetupKey(key)
        case .results: return handleEvaluationResultsKey(key)
        case .answers: return handleEvaluationAnswersKey(key)
        }
    }

    /// The arms a run would use now: all four with an adapter selected, else base and RAG.
    var evaluationArms: [EvaluationArm] { selectedAdapter == nil ? [.base, .rag] : EvaluationArm.allCases }

    // MARK: Setup page

    mutating func handleEvaluationSetupKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        let rows = EvaluationState.SetupRow.allCases
        switch key {
        case .escape: view = .browse; return (.changed, [])
        case .tab:
            evaluation.row = evaluation.row == .runs ? .suite : .runs
            return (.changed, [])
        case .up, .character("k"):
            if evaluation.row == .runs, evaluation.runIndex > 0 { evaluation.runIndex -= 1 } else {
                evaluation.row = rows[max(0, evaluation.row.rawValue - 1)]
            }
            return (.changed, [])
        case .down, .character("j"):
            if evaluation.row == .runs { evaluation.runIndex = min(max(0, evaluation.runs.count - 1), evaluation.runIndex + 1) } else {
                evaluation.row = rows[min(rows.count - 1, evaluation.row.rawValue + 1)]
            }
            return (.changed, [])
        case .left, .character("h"): return (.changed, stepSetupValue(by: -1))
        case .right, .character("l"), .character(" "): return (.changed, stepSetupValue(by: 1))
        case .character("+"), .character("="): return (.changed, stepLimit(by: 1))
        case .character("-"): return (.changed, stepLimit(by: -1))
        case .character("r"): return (.changed, [.refreshEvaluationSuites, .refreshEvaluationRuns])
        case .enter:
            if evaluation.row == .runs { return openEvaluationRun() }
            if evaluation.isRunning {
                evaluation.page = .results
                return (.changed, [])
            }
            return startEvaluation()
        default: return (.handled, [])
        }
    }

    mutating func stepSetupValue(by step: Int) -> [Effect] {
        switch evaluation.row {
        case .suite:
            guard !evaluation.suites.isEmpty else { return [] }
            evaluation.suiteIndex = (evaluation.suiteIndex + step + evaluation.suites.count) % evaluation.suites.count
        case .questions:
            let choices = EvaluationState.limitChoices
            let current = evaluation.limit ?? .max
            if let index = choices.firstIndex(of: evaluation.limit) {
                evaluation.limit = choices[(index + step + choices.count) % choices.count]
            } else if step > 0 {
                evaluation.limit = choices.first { ($0 ?? .max) > current } ?? nil
            } else {
                evaluation.limit = choices.last { ($0 ?? .max) < current } ?? choices.last ?? nil
            }
        case .format:
            let all = EvaluationFormatChoice.allCases
            let index = all.firstIndex(of: evaluation.format) ?? 0
            evaluation.format = all[(index + step + all.count) % all.count]
        case .run, .runs: break
        }
        return []
    }

    /// +/- changes the number of questions one at a time (0 below 1 means all).
    mutating func stepLimit(by step: Int) -> [Effect] {
        guard evaluation.row == .questions else { return [] }
        switch evaluation.limit {
        case nil: evaluation.limit = step > 0 ? nil : 100
        case let n?: evaluation.limit = n + step < 1 ? nil : (n + step > 10_000 ? nil : n + step)
        }
        return []
    }

    mutating func startEvaluation() -> (KeyOutcome, [Effect]) {
        if let reason = status?.evaluationUnavailableReason {
            message = StatusMessage("evaluation not available yet: \(reason)", isError: true)
            return (.changed, [])
        }
        guard let suite = evaluation.suites[safe: evaluation.suiteIndex] else {
            message = StatusMessage("no evaluation suites found (samples/qa or WORKSPACE/suites)", isError: true)
            return (.changed, [])
        }
        guard !evaluation.isRunning else {
            message = StatusMessage("an evaluation is already running; Esc in its results stops it", isError: true)
            return (.changed, [])
        }
        let arms = evaluationArms
        let request = EvaluationRequest(suite: suite, arms: arms, adapter: selectedAdapter, adapterScale: adapterScale,
                                        limit: evaluation.limit, format: evaluation.format, mode: mode, topK: topK)
        evaluation.phase = .running
        evaluation.stopRequested = false
        evaluation.progress = nil
        evaluation.total = 0
        evaluation.result = EvaluationRunResult(id: nil, suite: suite, createdAt: "", arms: arms, topK: topK, summaries: [], questions: [])
        evaluation.page = .results
        evaluation.section = .charts
        evaluation.questionIndex = 0
        evaluation.paneScroll = [:]
        evaluation.paneFocus = 0
        message = selectedAdapter == nil
            ? StatusMessage("no adapter selected: running base and RAG only (pick one with F4 for the FT arms)")
            : StatusMessage("evaluating base, RAG, FT and FT+RAG with adapter \(selectedAdapter ?? ""); Esc stops, keeping what is done")
        return (.changed, [.evaluate(request)])
    }

    mutating func openEvaluationRun() -> (KeyOutcome, [Effect]) {
        guard let run = evaluation.runs[safe: evaluation.runIndex] else {
            message = StatusMessage("no stored runs yet: run a suite (or `parallax eval qa`)")
            return (.changed, [])
        }
        guard !evaluation.isRunning else {
            message = StatusMessage("an evaluation is running; open its results (Enter on Run) or stop it first", isError: true)
            return (.changed, [])
        }
        evaluation.loadingRunID = run.id
        message = StatusMessage("opening run \(run.id)…")
        return (.changed, [.loadEvaluationRun(id: run.id)])
    }

    mutating func stopEvaluation() -> (KeyOutcome, [Effect]) {
        guard evaluation.isRunning else { return (.handled, []) }
        evaluation.stopRequested = true
        message = StatusMessage("stopping; the answers finished so far are kept")
        return (.changed, [.stopEvaluation])
    }

    // MARK: Results page

    mutating func handleEvaluationResultsKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        let count = evaluation.result?.questions.count ?? 0
        let layout = EvaluationLayout(main: Layout(width: width, height: height).main, arms: evaluation.result?.arms.count ?? 0,
                                      section: evaluation.section)
        func select(_ index: Int) -> (KeyOutcome, [Effect]) {
            if !layout.showsBoth { evaluation.section = .questions }
            evaluation.questionIndex = min(max(0, index), max(0, count - 1))
            return (.changed, [])
        }
        switch key {
        case .escape:
            if evaluation.isRunning { return stopEvaluation() }
            evaluation.page = .setup
            return (.changed, [.refreshEvaluationRuns])
        case .tab, .backTab:
            evaluation.section = evaluation.section == .charts ? .questions : .charts
            return (.changed, [])
        case .down, .character("j"): return select(evaluation.questionIndex + 1)
        case .up, .character("k"): return select(evaluation.questionIndex - 1)
        case .pageDown: return select(evaluation.questionIndex + layout.visibleQuestions)
        case .pageUp: return select(evaluation.questionIndex - layout.visibleQuestions)
        case .home, .character("g"): return select(0)
        case .end, .character("G"): return select(count - 1)
        case .enter:
            guard count > 0 else {
                message = StatusMessage("no answers yet")
                return (.changed, [])
            }
            evaluation.page = .answers
            evaluation.paneScroll = [:]
            return (.changed, [])
        default: return (.handled, [])
        }
    }

    // MARK: Answers page

    mutating func handleEvaluationAnswersKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        let arms = evaluation.result?.arms ?? []
        let count = evaluation.result?.questions.count ?? 0
        switch key {
        case .escape: evaluation.page = .results
        case .tab, .right, .character("l"):
            evaluation.paneFocus = arms.isEmpty ? 0 : (evaluation.paneFocus + 1) % arms.count
        case .backTab, .left, .character("h"):
            evaluation.paneFocus = arms.isEmpty ? 0 : (evaluation.paneFocus - 1 + arms.count) % arms.count
        case .character("n"), .character("]"):
            evaluation.questionIndex = min(max(0, count - 1), evaluation.questionIndex + 1)
            evaluation.paneScroll = [:]
        case .character("p"), .character("["):
            evaluation.questionIndex = max(0, evaluation.questionIndex - 1)
            evaluation.paneScroll = [:]
        case .down, .character("j"): scrollAnswerPane(by: 1)
        case .up, .character("k"): scrollAnswerPane(by: -1)
        case .pageDown, .character(" "): scrollAnswerPane(by: 10)
        case .pageUp: scrollAnswerPane(by: -10)
        case .home, .character("g"): scrollAnswerPane(by: -100_000)
        case .end, .character("G"): scrollAnswerPane(by: 100_000)
        default: return (.handled, [])
        }
        return (.changed, [])
    }

    /// Scrolls the focused answer pane, kept within its text.
    mutating func scrollAnswerPane(by delta: Int) {
        guard let run = evaluation.result, let arm = run.arms[safe: evaluation.paneFocus],
              let question = evaluation.currentQuestion else { return }
        let panes = EvaluationLayout.answerPanes(main: Layout(width: width, height: height).main, count: run.arms.count).panes
        guard let pane = panes[safe: evaluation.paneFocus] else { return }
        let text = EvaluationAnswersView.textRect(in: pane)
        let lines = EvaluationAnswersView.lines(for: question.answer(of: arm), question: question, width: text.width).count
        let limit = max(0, lines - text.height)
        evaluation.paneScroll[arm] = min(limit, max(0, (evaluation.paneScroll[arm] ?? 0) + delta))
    }

    // MARK: Backend messages

    mutating func receiveEvaluation(_ event: EvaluationEvent) -> (KeyOutcome, [Effect]) {
        switch event {
        case .started(let arms, _, let total):
            evaluation.total = total
            evaluation.result?.arms = arms
        case .progress(let progress):
            guard evaluation.isRunning else { return (.ignored, []) }
            evaluation.progress = progress
            evaluation.total = progress.total
            evaluation.result?.add(progress.answer, to: progress.question)
            evaluation.result?.summaries = progress.summaries
        case .finished(let run, let storeError):
            evaluation.phase = .finished
            evaluation.stopRequested = false
            keepShowing(run)
            message = storeError.map { StatusMessage("evaluation finished, but the run could not be stored: \($0)", isError: true) }
                ?? StatusMessage("evaluation finished: \(run.questions.count) questions × \(run.arms.count) arms, stored as runs/\(run.id ?? "?")")
            return (.changed, [.refreshEvaluationRuns])
        case .stopped(let run, let storeError):
            evaluation.phase = .cancelled
            evaluation.stopRequested = false
            keepShowing(run)
            let answered = run.questions.reduce(0) { $0 + $1.answers.count }
            let stored = run.id.map { ", stored as runs/\($0) (partial)" } ?? ""
            message = storeError.map { StatusMessage("evaluation stopped; the partial run could not be stored: \($0)", isError: true) }
                ?? StatusMessage("evaluation stopped after \(answered) of \(evaluation.total) answers; partial results kept\(stored)")
            return (.changed, [.refreshEvaluationRuns])
        case .failed(let reason):
            evaluation.phase = .failed(reason)
            evaluation.stopRequested = false
            message = StatusMessage("evaluation failed: \(reason)", isError: true)
        }
        return (.changed, [])
    }

    /// Replaces the live result with the backend's final one, keeping the selected question.
    mutating func keepShowing(_ run: EvaluationRunResult) {
        evaluation.result = run
        evaluation.questionIndex = min(evaluation.questionIndex, max(0, run.questions.count - 1))
    }

    mutating func receiveEvaluationRun(_ run: EvaluationRunResult) -> (KeyOutcome, [Effect]) {
        guard run.id == evaluation.loadingRunID, !evaluation.isRunning else { return (.ignored, []) }
        evaluation.loadingRunID = nil
        evaluation.result = run
        evaluation.page = view == .evaluate ? .results : evaluation.page
        evaluation.section = .charts
        evaluation.questionIndex = 0
        evaluation.paneScroll = [:]
        evaluation.paneFocus = 0
        message = StatusMessage("run \(run.id ?? "") · \(run.questions.count) questions · \(run.arms.map(\.label).joined(separator: ", "))")
        return (.changed, [])
    }
}
