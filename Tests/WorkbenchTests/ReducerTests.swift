// The state reducer: queries, stale messages, hit stepping, exclusion, mouse, resize, jobs, and the live controller.
import Foundation
import Testing
@testable import Workbench

@Suite struct ReducerTests {
    func fresh() -> AppState { AppState(width: 80, height: 24, workspacePath: "/tmp/ws") }

    @Test func enterSearchesAndStartsTheFineTunedArmAtOnce() {
        var state = fresh()
        for c in "per diem" { _ = state.handle(.key(.character(c))) }
        let (outcome, effects) = state.handle(.key(.enter))
        #expect(outcome.contains(.redraw))
        #expect(effects.first == .cancelArms)
        #expect(effects.contains(.search(queryID: 1, query: "per diem", mode: .hybrid, topK: 5)))
        #expect(effects.contains { if case .generate(_, let r) = $0 { r.arm == .ft && r.passages.isEmpty } else { false } })
        #expect(effects.contains(.saveHistory(["per diem"])))
        #expect(state.focus == .hits)
        #expect(state.armStates[.rag]?.phase == .waiting)
    }

    @Test func searchResultsStartTheRAGArmWithPassagesInOrder() async throws {
        var state = fresh()
        _ = state.submit("per diem travel")
        let hits = try await Fixtures.backend.search("per diem travel", mode: .hybrid, topK: 5)
        let (_, effects) = state.receive(.searchFinished(queryID: state.queryID, hits: hits))
        let rag = effects.compactMap { if case .generate(_, let r) = $0, r.arm == .rag { r } else { nil } }.first
        #expect(rag?.passages == hits)
        #expect(rag?.adapter == nil)
        #expect(hits.first?.documentPath == "handbook/policies/travel.md")
    }

    @Test func staleSearchesAndArmsAreIgnored() {
        var state = fresh()
        _ = state.submit("first")
        let oldRun = state.armRunIDs[.ft] ?? -1
        _ = state.submit("second")
        let (outcome, _) = state.receive(.searchFinished(queryID: 1, hits: []))
        #expect(outcome == .ignored)
        _ = state.receive(.arm(.ft, runID: oldRun, .token("stale")))
        #expect(state.armStates[.ft]?.text == "")
        _ = state.receive(.arm(.ft, runID: state.armRunIDs[.ft] ?? -1, .token("fresh")))
        #expect(state.armStates[.ft]?.text == "fresh")
        #expect(state.armStates[.ft]?.phase == .streaming)
    }

    @Test func stepsThroughHitsWithKeysAndKeepsSelectionVisible() async throws {
        var state = try await Fixtures.answered(width: 80, height: 24)
        state.focus = .hits
        #expect(state.selectedHit == 0)
        _ = state.handle(.key(.character("j")))
        _ = state.handle(.key(.down))
        #expect(state.selectedHit == 2)
        _ = state.handle(.key(.character("k")))
        #expect(state.selectedHit == 1)
        _ = state.handle(.key(.character("G")))
        #expect(state.selectedHit == state.hits.count - 1)
        let visible = Layout(width: 80, height: 24).visibleHits
        #expect(state.selectedHit < state.hitsScroll + visible && state.selectedHit >= state.hitsScroll)
        for _ in 0..<20 { _ = state.handle(.key(.character("j"))) }
        #expect(state.selectedHit == state.hits.count - 1)
    }

    @Test func excludingAHitRegeneratesOnlyThePassageArms() async throws {
        var state = try await Fixtures.answered(width: 80, height: 24, arms: [.rag, .ft, .both])
        state.focus = .hits
        let excludedID = state.hits[0].chunkID
        let (_, effects) = state.handle(.key(.character("x")))
        let requests = effects.compactMap { if case .generate(_, let r) = $0 { r } else { nil } }
        #expect(Set(requests.map(\.arm)) == [.rag, .both])
        #expect(requests.allSatisfy { !$0.passages.contains { $0.chunkID == excludedID } })
        #expect(state.armStates[.rag]?.text == "")
        #expect(state.armStates[.ft]?.text.isEmpty == false)
        _ = state.handle(.key(.character("x")))
        #expect(state.excluded.isEmpty)
    }

    @Test func enterOpensTheHitInItsDocument() async throws {
        var state = try await Fixtures.answered(width: 80, height: 24)
        state.focus = .hits
        _ = state.handle(.key(.character("j")))
        _ = state.handle(.key(.enter))
        #expect(state.previewMode == .document && state.focus == .preview)
        _ = state.handle(.key(.escape))
        #expect(state.previewMode == .chunk)
    }

    @Test func mouseClickSelectsAHitAndWheelScrolls() async throws {
        var state = try await Fixtures.answered(width: 80, height: 24)
        state.focus = .query
        let layout = Layout(width: 80, height: 24)
        _ = state.handle(.mouse(MouseEvent(kind: .press, x: layout.hits.x + 3, y: layout.hits.y + 1 + 2 * Layout.rowsPerHit)))
        #expect(state.focus == .hits && state.selectedHit == 2)
        _ = state.handle(.mouse(MouseEvent(kind: .wheelDown, x: layout.hits.x + 3, y: layout.hits.y + 2)))
        #expect(state.selectedHit == 3)
        _ = state.handle(.mouse(MouseEvent(kind: .press, x: layout.preview.x + 5, y: layout.preview.y + 2)))
        #expect(state.focus == .preview)
    }

    @Test func topKAndModeChangesRerunTheQuery() async throws {
        var state = try await Fixtures.answered(width: 80, height: 24)
        state.focus = .hits
        let before = state.queryID
        let (_, effects) = state.handle(.key(.character("m")))
        #expect(state.mode == .bm25 && state.queryID == before + 1)
        #expect(effects.contains(.search(queryID: before + 1, query: Fixtures.question, mode: .bm25, topK: 5)))
        #expect(state.focus == .hits)
        _ = state.handle(.key(.character("-")))
        #expect(state.topK == 4)
    }

    @Test func historyRecallOnTheQueryLine() {
        var state = fresh()
        state.history = QueryHistory(entries: ["one", "two"])
        for c in "dr" { _ = state.handle(.key(.character(c))) }
        _ = state.handle(.key(.up))
        #expect(state.query.text == "two")
        _ = state.handle(.key(.up))
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.down))
        #expect(state.query.text == "dr")
    }

    @Test func questionMarkIsTextInAQuestionButHelpOnAnEmptyLine() {
        var state = fresh()
        _ = state.handle(.key(.character("?")))
        #expect(state.helpVisible)
        _ = state.handle(.key(.escape))
        for c in "why?" { _ = state.handle(.key(.character(c))) }
        #expect(state.query.text == "why?" && !state.helpVisible)
    }

    @Test func quitKeysAndResize() {
        var state = fresh()
        #expect(state.handle(.key(.function(10))).0.contains(.quit))
        var other = fresh()
        #expect(other.handle(.key(.control("c"))).0.contains(.quit))
        _ = other.handle(.resize(width: 40, height: 10))
        #expect(other.isTooSmall)
        #expect(ScreenRenderer.render(other).contains("too small"))
    }

    @Test func trainingFormValidatesAndTrainingFinishesIntoASelectableAdapter() async throws {
        var state = fresh()
        _ = state.receive(.datasets(try await Fixtures.backend.datasets()))
        _ = state.switchView(.train)
        state.trainForm.rank.set("zero")
        var (_, effects) = state.startTraining()
        #expect(effects.isEmpty && state.message?.isError == true)
        state.trainForm.rank.set("4")
        (_, effects) = state.startTraining()
        guard case .startTraining(let config)? = effects.first else { Issue.record("no training started"); return }
        #expect(config.rank == 4 && config.targets == ["q", "v"] && config.datasetPath.hasSuffix("json_answers.jsonl"))
        (_, effects) = state.startTraining()
        #expect(effects.isEmpty) // one job at a time
        _ = state.receive(.training(.progress(TrainingProgress(step: 1, totalSteps: 100, loss: 2.5, learningRate: 2e-4, tokensPerSecond: 900))))
        #expect(state.training?.losses.count == 1)
        _ = state.receive(.training(.finished(AdapterSummary(name: "my-adapter", rank: 4, alpha: 16, targets: ["q_proj"]))))
        #expect(state.training?.phase == .finished)
        _ = state.applyCommand(.adapter("my-adapter"))
        #expect(state.selectedAdapter == "my-adapter")
    }

    @Test func unknownAdapterIsAnErrorMessage() {
        var state = fresh()
        _ = state.applyCommand(.adapter("ghost"))
        #expect(state.message?.isError == true && state.selectedAdapter == nil)
    }

    @Test func exportContainsQueryHitsAndAnswers() async throws {
        let state = try await Fixtures.answered(width: 80, height: 24)
        let markdown = state.exportMarkdown()
        #expect(markdown.contains(Fixtures.question))
        #expect(markdown.contains("handbook/policies/travel.md"))
        #expect(markdown.contains("[1]"))
    }
}

@Suite struct ControllerTests {
    /// Waits (polling the inbox) until `condition` holds or a few seconds pass.
    func pump(_ controller: WorkbenchController, until condition: (AppState) -> Bool) async {
        for _ in 0..<300 where !condition(controller.state) {
            try? await Task.sleep(for: .milliseconds(10))
            controller.processMessages()
            controller.renderIfNeeded()
        }
    }

    @Test func liveSessionWithTheScriptedBackend() async throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("wb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let screen = OffscreenScreen(width: 120, height: 40)
        let controller = WorkbenchController(screen: screen, backend: ScriptedBackend(), workspace: workspace,
                                             themes: ThemeLibrary(folders: [repositoryThemes]))
        controller.start()
        await pump(controller) { $0.status != nil && !$0.documents.isEmpty }
        for c in "how many days of annual leave" { controller.process(.key(.character(c))) }
        controller.process(.key(.enter))
        await pump(controller) { state in state.arms.allSatisfy { state.armStates[$0]?.phase == .done } }
        #expect(controller.state.hits.first?.documentPath == "handbook/policies/leave.md")
        #expect(screen.lastFrame.contains("25 days of annual leave"))
        #expect(screen.lastFrame.contains("TTFT"))
        // The history file is written in the workspace.
        await pump(controller) { _ in FileManager.default.fileExists(atPath: workspace.appendingPathComponent("history").path) }
        #expect(QueryHistory.load(from: workspace.appendingPathComponent("history")).entries == ["how many days of annual leave"])
        // Training in the background, then the adapter is selectable.
        controller.process(.key(.function(3)))
        await pump(controller) { !$0.datasets.isEmpty }
        controller.process(.key(.enter))
        await pump(controller) { $0.training?.phase == .finished }
        #expect(controller.state.adapters.contains { $0.name == "my-adapter" })
        controller.process(.key(.function(10)))
        #expect(controller.shouldQuit)
        controller.stop()
    }
}
