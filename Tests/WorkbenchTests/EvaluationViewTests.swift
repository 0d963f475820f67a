// The Evaluate view (F5): run form keys, live progress and stop, results table/charts/questions, the four-answer
// page, opening past runs; snapshots of each page at 80×24 and 160×48 on the scripted backend's fixed numbers.
import Foundation
import Testing
@testable import Workbench

enum EvaluationFixtures {
    /// A state in the Evaluate view with suites and past runs listed (adapter selected unless `adapter` is false).
    static func setup(width: Int, height: Int, adapter: Bool = true) async throws -> AppState {
        let backend = ScriptedBackend()
        var state = AppState(width: width, height: height, workspacePath: "/work/sample/.parallax")
        _ = state.receive(.status(backend.status))
        _ = state.receive(.adapters(try await backend.adapters()))
        if adapter { _ = state.applyCommand(.adapter("concise-json")) }
        _ = state.switchView(.evaluate)
        _ = state.receive(.evaluationSuites(["/work/sample/samples/qa/handbook_qa.jsonl"]))
        _ = state.receive(.evaluationRuns(try await backend.evaluationRuns()))
        state.message = nil
        return state
    }

    /// Starts a run from the form and feeds the scripted backend's events to the reducer; stops after `answers`
    /// progress events when given (leaving the run going), else runs to the end.
    static func run(_ state: inout AppState, answers: Int? = nil) async throws {
        let (_, effects) = state.handle(.key(.enter))
        guard case .evaluate(let request)? = effects.first else { Issue.record("Enter did not start a run: \(effects)"); return }
        var seen = 0
        for await event in ScriptedBackend().evaluate(request, stop: EvaluationStopSignal()) {
            if case .progress = event { seen += 1 }
            if let answers, seen > answers { break }
            _ = state.receive(.evaluation(event))
        }
    }
}

@Suite struct EvaluationReducerTests {
    @Test func f5AsksForSuitesAndPastRuns() {
        var state = AppState(width: 80, height: 24, workspacePath: "/tmp/ws")
        let (_, effects) = state.handle(.key(.function(5)))
        #expect(state.view == .evaluate && state.evaluation.page == .setup)
        #expect(effects == [.refreshEvaluationSuites, .refreshEvaluationRuns])
    }

    @Test func enterRunsAllFourArmsWithAnAdapterAndTheChosenLimitAndFormat() async throws {
        var state = try await EvaluationFixtures.setup(width: 80, height: 24)
        _ = state.handle(.key(.down))                 // questions row
        #expect(state.evaluation.row == .questions)
        _ = state.handle(.key(.left))                 // 20 → 10
        _ = state.handle(.key(.character("+")))       // 10 → 11
        _ = state.handle(.key(.down))                 // format row
        _ = state.handle(.key(.right))                // per question → none
        _ = state.handle(.key(.right))                // → json
        let (_, effects) = state.handle(.key(.enter))
        let expected = EvaluationRequest(suite: "/work/sample/samples/qa/handbook_qa.jsonl", arms: [.base, .rag, .ft, .ftrag],
                                         adapter: "concise-json", adapterScale: 1, limit: 11, format: .json, mode: .hybrid, topK: 5)
        #expect(effects == [.evaluate(expected)])
        #expect(state.evaluation.page == .results && state.evaluation.isRunning)
    }

    @Test func withoutAnAdapterOnlyBaseAndRAGRunAndTheMessageSaysSo() async throws {
        var state = try await EvaluationFixtures.setup(width: 80, height: 24, adapter: false)
        let (_, effects) = state.handle(.key(.enter))
        guard case .evaluate(let request)? = effects.first else { Issue.record("no run: \(effects)"); return }
        #expect(request.arms == [.base, .rag] && request.adapter == nil && request.limit == 20 && request.format == .perQuestion)
        #expect(state.message?.text.contains("no adapter selected") == true)
        #expect(state.message?.text.contains("F4") == true)
    }

    @Test func limitCyclesThroughChoicesIncludingAll() async throws {
        var state = try await EvaluationFixtures.setup(width: 80, height: 24)
        state.evaluation.row = .questions
        for _ in 0..<3 { _ = state.handle(.key(.right)) }   // 20 → 50 → 100 → all
        #expect(state.evaluation.limit == nil)
        _ = state.handle(.key(.right))                      // all → 1
        #expect(state.evaluation.limit == 1)
        _ = state.handle(.key(.character("-")))             // 1 → all
        #expect(state.evaluation.limit == nil)
        state.evaluation.limit = 11                         // typed with +/-: ←→ go to the nearest choices
        _ = state.handle(.key(.right))
        #expect(state.evaluation.limit == 20)
        state.evaluation.limit = 11
        _ = state.handle(.key(.left))
        #expect(state.evaluation.limit == 10)
    }

    @Test func progressBuildsTheLiveTableAndQuestionList() async throws {
        var state = try await EvaluationFixtures.setup(width: 80, height: 24)
        try await EvaluationFixtures.run(&state, answers: 6)
        let e = state.evaluation
        #expect(e.isRunning && e.progress?.done == 6 && e.total == 24)
        #expect(e.result?.questions.map(\.id) == ["q001", "q002"])
        #expect(e.result?.questions.first?.answers.count == 4)
        // Base got q002 right, not q001: half of its two answers.
        #expect(e.result?.summaries.first { $0.arm == .base }?.goldContained == 0.5)
        #expect(e.progress?.secondsRemaining == 27) // 9 s for 6 answers, 18 to go
    }

    @Test func escAndCtrlCStopARunningEvaluationInsteadOfLeavingOrQuitting() async throws {
        var state = try await EvaluationFixtures.setup(width: 80, height: 24)
        try await EvaluationFixtures.run(&state, answers: 3)
        var (outcome, effects) = state.handle(.key(.escape))
        #expect(effects == [.stopEvaluation] && state.view == .evaluate && state.evaluation.stopRequested)
        (outcome, effects) = state.handle(.key(.control("c")))
        #expect(effects == [.stopEvaluation] && !state.quitRequested && !outcome.contains(.quit))
        // The backend answers with the partial run: kept on screen and stored.
        var partial = ScriptedBackend.scriptedRun(id: "20261124-230000-partial", arms: EvaluationArm.allCases, count: 1)
        partial.partial = true
        (_, effects) = state.receive(.evaluation(.stopped(partial, storeError: nil)))
        #expect(state.evaluation.phase == .cancelled && state.evaluation.result?.partial == true)
        #expect(state.evaluation.result?.questions.count == 1)
        #expect(effects == [.refreshEvaluationRuns])
        #expect(state.message?.text.contains("partial") == true)
        // Not running any more: Esc goes back to the form, Ctrl-C quits.
        _ = state.handle(.key(.escape))
        #expect(state.evaluation.page == .setup)
        (outcome, _) = state.handle(.key(.control("c")))
        #expect(outcome.contains(.quit))
    }

    @Test func finishedRunRefreshesThePastRunsAndTheQuestionsOpenSideBySide() async throws {
        var state = try await EvaluationFixtures.setup(width: 80, height: 24)
        try await EvaluationFixtures.run(&state)
        #expect(state.evaluation.phase == .finished && state.evaluation.result?.id == "20261124-230000-scripted")
        #expect(state.message?.text.contains("stored as runs/20261124-230000-scripted") == true)
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.down))
        #expect(state.evaluation.questionIndex == 2 && state.evaluation.section == .questions)
        _ = state.handle(.key(.enter))
        #expect(state.evaluation.page == .answers && state.evaluation.currentQuestion?.id == "q003")
        _ = state.handle(.key(.character("n")))
        #expect(state.evaluation.currentQuestion?.id == "q004")
        _ = state.handle(.key(.right))
        _ = state.handle(.key(.right))
        _ = state.handle(.key(.right))
        #expect(state.evaluation.paneFocus == 3)
        _ = state.handle(.key(.right))
        #expect(state.evaluation.paneFocus == 0)
        _ = state.handle(.key(.escape))
        #expect(state.evaluation.page == .results)
        let (_, effects) = state.handle(.key(.escape))
        #expect(state.evaluation.page == .setup && effects == [.refreshEvaluationRuns])
    }

    @Test func scrollingALongAnswerStopsAtItsEnd() async throws {
        var state = try await EvaluationFixtures.setup(width: 80, height: 24)
        try await EvaluationFixtures.run(&state)
        state.evaluation.questionIndex = 2              // FT+RAG's q003 answer is long prose
        _ = state.handle(.key(.enter))
        state.evaluation.paneFocus = 3
        for _ in 0..<50 { _ = state.handle(.key(.down)) }
        let scrolled = state.evaluation.paneScroll[.ftrag] ?? 0
        #expect(scrolled > 0, "the answer is longer than its pane at 80×24")
        #expect(scrolled < 50, "scrolling stops at the end of the text")
        _ = state.handle(.key(.up))
        #expect(state.evaluation.paneScroll[.ftrag] == scrolled - 1)
        _ = state.handle(.mouse(MouseEvent(kind: .wheelDown, x: 60, y: 18)))
        #expect(state.evaluation.paneScroll[.ftrag] == scrolled, "the wheel scrolls the focused pane")
        _ = state.handle(.key(.character("n")))
        #expect(state.evaluation.paneScroll.isEmpty)
    }

    @Test func opensAPastRunFromTheListAndIgnoresOtherRuns() async throws {
        var state = try await EvaluationFixtures.setup(width: 80, height: 24)
        _ = state.handle(.key(.tab))
        #expect(state.evaluation.row == .runs)
        _ = state.handle(.key(.down))
        var (_, effects) = state.handle(.key(.enter))
        #expect(effects == [.loadEvaluationRun(id: "20261124-212349-b36578e3")])
        let other = ScriptedBackend.scriptedRun(id: "20261124-222524-55f535d0", arms: EvaluationArm.allCases)
        let (outcome, _) = state.receive(.evaluationRun(other))
        #expect(outcome == .ignored && state.evaluation.page == .setup)
        let run = try await ScriptedBackend().evaluationRun(id: "20261124-212349-b36578e3")
        (_, effects) = state.receive(.evaluationRun(run))
        #expect(state.evaluation.page == .results && state.evaluation.result?.arms == [.rag, .ft])
        #expect(state.evaluation.result?.questions.count == 3)
    }

    @Test func theControllerStopsARunAndKeepsThePartialResults() async throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("wb-eval-\(UUID().uuidString)")
        let backend = ScriptedBackend(timing: ScriptedBackend.Timing(token: .milliseconds(10)))
        let screen = OffscreenScreen(width: 100, height: 30)
        let controller = WorkbenchController(screen: screen, backend: backend, workspace: workspace,
                                             themes: ThemeLibrary(folders: [repositoryThemes]))
        controller.start()
        controller.process(.key(.function(5)))
        await ControllerTests().pump(controller) { !$0.evaluation.suites.isEmpty && !$0.evaluation.runs.isEmpty }
        controller.process(.key(.enter))
        await ControllerTests().pump(controller) { ($0.evaluation.progress?.done ?? 0) >= 2 }
        controller.process(.key(.escape))
        await ControllerTests().pump(controller) { !$0.evaluation.isRunning }
        let e = controller.state.evaluation
        #expect(e.phase == .cancelled)
        let answered = e.result?.questions.reduce(0) { $0 + $1.answers.count } ?? 0
        #expect(answered >= 2 && answered < 24, "stopped part-way with the answers so far: \(answered)")
        #expect(e.result?.partial == true && e.result?.id == "20261124-230000-partial")
        controller.renderIfNeeded()
        #expect(screen.lastFrame.contains("stopped, partial run"))
        controller.process(.key(.function(10)))
        controller.stop()
    }
}

@Suite struct EvaluationSnapshotTests {
    static func scenes(width: Int, height: Int) async throws -> [(String, CellBuffer)] {
        var scenes: [(String, CellBuffer)] = []
        var setup = try await EvaluationFixtures.setup(width: width, height: height)
        scenes.append(("evaluate-setup", ScreenRenderer.render(setup)))
        var noAdapter = try await EvaluationFixtures.setup(width: width, height: height, adapter: false)
        _ = noAdapter.handle(.key(.tab))
        scenes.append(("evaluate-setup-no-adapter", ScreenRenderer.render(noAdapter)))
        var running = setup
        try await EvaluationFixtures.run(&running, answers: 10)
        scenes.append(("evaluate-running", ScreenRenderer.render(running)))
        try await EvaluationFixtures.run(&setup)
        setup.message = nil
        scenes.append(("evaluate-results", ScreenRenderer.render(setup)))
        var questions = setup
        _ = questions.handle(.key(.down))
        scenes.append(("evaluate-questions", ScreenRenderer.render(questions)))
        var answers = questions
        _ = answers.handle(.key(.down))
        _ = answers.handle(.key(.enter))
        scenes.append(("evaluate-answers", ScreenRenderer.render(answers)))
        return scenes
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func evaluateView(width: Int, height: Int) async throws {
        for (name, buffer) in try await Self.scenes(width: width, height: height) {
            Snapshot.check(Snapshot.layers(buffer), named: "\(name)-\(width)x\(height)")
            #expect(buffer.textLines.allSatisfy { DisplayWidth.of($0) == width }, "\(name) overflows")
        }
    }

    @Test(arguments: [(60, 16), (61, 17), (97, 31), (200, 60)])
    func everyPageFitsAnySizeAboveTheMinimum(width: Int, height: Int) async throws {
        for (name, buffer) in try await Self.scenes(width: width, height: height) {
            #expect(buffer.width == width && buffer.height == height)
            #expect(buffer.textLines.allSatisfy { DisplayWidth.of($0) == width }, "\(name) overflows at \(width)×\(height)")
            #expect(buffer.contains("F10Quit"), "\(name) at \(width)×\(height)")
        }
    }

    @Test func chartsAndTableShowTheFixedNumbers() async throws {
        var state = try await EvaluationFixtures.setup(width: 160, height: 48)
        try await EvaluationFixtures.run(&state)
        let buffer = ScreenRenderer.render(state)
        // RAG holds the gold in 5 of 6 answers; FT keeps the format in all 4 format questions.
        #expect(buffer.contains("83.3%"))
        #expect(buffer.contains("100.0%"))
        #expect(buffer.contains("gold-contained") && buffer.contains("seconds per answer"))
        let ragRow = buffer.textLines.first { $0.contains("RAG    █") } ?? ""
        #expect(ragRow.contains("83.3%"), "the RAG bar of gold-contained carries its value: \(ragRow)")
        #expect(ragRow.contains("█"), "a bar is drawn next to the value: \(ragRow)")
    }

    @Test func barsUseEighthsForSubCellPrecision() {
        #expect(Bar.make(fraction: 0.5, width: 4) == "██  ")
        #expect(Bar.make(fraction: 1.0 / 32, width: 4) == "▏   ")
        #expect(Bar.make(fraction: 0.3, width: 10) == "███       ")
        #expect(Bar.make(fraction: 0.33, width: 10) == "███▎      ")
    }
}
