// Snapshot tests of the off-screen cell buffer: text and style-role layers per view and size, plus the resolved
// styles per theme. Re-record with PARALLAX_RECORD_SNAPSHOTS=1 and review the diff.
import Foundation
import Testing
@testable import Workbench

enum Snapshot {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    static var recording: Bool { ProcessInfo.processInfo.environment["PARALLAX_RECORD_SNAPSHOTS"] == "1" }

    /// The text layer, then the role layer (one code per cell), then the role legend.
    static func layers(_ buffer: CellBuffer) -> String {
        let used = Set(buffer.cells.map(\.role))
        let legend = StyleRole.allCases.filter { used.contains($0) }.map { "\($0.code) \($0.rawValue)" }
        return (["## text \(buffer.width)×\(buffer.height)"] + buffer.textLines + ["## roles"] + buffer.roleLines
                + ["## legend"] + legend).joined(separator: "\n") + "\n"
    }

    /// How each role used in `buffer` looks in `theme` (256-colour/8-colour and attributes).
    static func styles(_ buffer: CellBuffer, theme: Theme) -> String {
        let used = Set(buffer.cells.map(\.role))
        let lines = StyleRole.allCases.filter { used.contains($0) }
            .map { "\($0.code) \($0.rawValue): \(theme.style(for: $0).summary)" }
        return (["## styles \(theme.name)"] + lines).joined(separator: "\n") + "\n"
    }

    /// Compares `text` with the stored snapshot `name` (recording it when asked or when it does not exist yet).
    static func check(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = folder.appendingPathComponent(name + ".txt")
        let stored = try? String(contentsOf: url, encoding: .utf8)
        if recording || stored == nil {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? text.write(to: url, atomically: true, encoding: .utf8)
            if !recording { Issue.record("recorded new snapshot \(name); review it and run again", sourceLocation: sourceLocation) }
            return
        }
        if stored != text {
            let expected = stored?.split(separator: "\n", omittingEmptySubsequences: false) ?? []
            let actual = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }
            let detail = line.map { "first difference at line \($0.offset + 1):\n  stored: \($0.element.0)\n  actual: \($0.element.1)" } ?? "length differs"
            Issue.record("snapshot \(name) differs (PARALLAX_RECORD_SNAPSHOTS=1 re-records); \(detail)", sourceLocation: sourceLocation)
        }
    }
}

@Suite struct SnapshotTests {
    static let sizes = [(80, 24), (160, 48)]
    static let themeNames = ["dark", "light", "high-contrast", "monochrome"]
    let library = ThemeLibrary(folders: [repositoryThemes])

    /// The screens and panes worth pinning down, by name.
    static func scenes(width: Int, height: Int) async throws -> [(String, CellBuffer)] {
        var answered = try await Fixtures.answered(width: width, height: height)
        answered.focus = .hits
        _ = answered.selectHit(1)
        answered.message = StatusMessage("hit 2 of \(answered.hits.count)")
        var scenes: [(String, CellBuffer)] = [("screen-browse", ScreenRenderer.render(answered))]
        for pane in [Focus.query, .documents, .hits, .preview, .answers] {
            var state = answered
            state.focus = pane
            if pane == .query { state.query.set("出張 approval 🔐 for travel") }
            scenes.append(("pane-\(pane.rawValue)", ScreenRenderer.renderPane(pane, state: state)))
        }
        return scenes
    }

    static func extraScenes(width: Int, height: Int) async throws -> [(String, CellBuffer)] {
        let answered = try await Fixtures.answered(width: width, height: height, arms: [.rag, .ft, .both])
        var scenes: [(String, CellBuffer)] = [("screen-three-arms", ScreenRenderer.render(answered))]
        var empty = AppState(width: width, height: height, workspacePath: "/work/sample/.parallax")
        _ = empty.receive(.status(BackendStatus(model: .loading, index: .none, evaluationUnavailableReason: "the evaluation module is not wired in yet")))
        scenes.append(("screen-start-no-index", ScreenRenderer.render(empty)))
        var help = answered
        help.helpVisible = true
        scenes.append(("screen-help", ScreenRenderer.render(help)))
        var palette = answered
        palette.focus = .hits
        _ = palette.handle(.key(.character(":")))
        for c in "a" { _ = palette.handle(.key(.character(c))) }
        scenes.append(("screen-palette", ScreenRenderer.render(palette)))
        var document = answered
        document.focus = .hits
        _ = document.handle(.key(.enter))
        scenes.append(("screen-document", ScreenRenderer.render(document)))
        var training = answered
        try await Fixtures.training(&training)
        scenes.append(("screen-train", ScreenRenderer.render(training)))
        var index = answered
        _ = index.switchView(.index)
        _ = index.handle(.key(.enter))
        _ = index.receive(.index(.progress(IndexProgress(phase: "embedding", done: 2, total: 5, currentPath: "handbook/policies/leave.md"))))
        scenes.append(("screen-index", ScreenRenderer.render(index)))
        var adapters = answered
        _ = adapters.switchView(.adapters)
        _ = adapters.handle(.key(.down))
        scenes.append(("screen-adapters", ScreenRenderer.render(adapters)))
        var evaluate = empty
        _ = evaluate.switchView(.evaluate)
        scenes.append(("screen-evaluate-unavailable", ScreenRenderer.render(evaluate)))
        var failed = AppState(width: width, height: height, workspacePath: "/tmp")
        _ = failed.submit("per diem")
        _ = failed.receive(.searchFailed(queryID: failed.queryID, reason: "the index is empty: press F2 to index a folder"))
        _ = failed.receive(.arm(.ft, runID: failed.armRunIDs[.ft] ?? 0, .failed("model missing: run `make models`")))
        scenes.append(("screen-errors", ScreenRenderer.render(failed)))
        return scenes
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func panesAndScreenInEveryTheme(width: Int, height: Int) async throws {
        for (name, buffer) in try await Self.scenes(width: width, height: height) {
            let size = "\(width)x\(height)"
            Snapshot.check(Snapshot.layers(buffer), named: "\(name)-\(size)")
            for themeName in Self.themeNames {
                let theme = try library.theme(named: themeName)
                Snapshot.check(Snapshot.styles(buffer, theme: theme), named: "\(name)-\(size).\(themeName)")
            }
        }
    }

    @Test(arguments: [(80, 24), (160, 48)])
    func viewsAndOverlays(width: Int, height: Int) async throws {
        for (name, buffer) in try await Self.extraScenes(width: width, height: height) {
            Snapshot.check(Snapshot.layers(buffer), named: "\(name)-\(width)x\(height)")
        }
    }

    @Test func tooSmallTerminal() {
        let state = AppState(width: 50, height: 12, workspacePath: "/tmp")
        Snapshot.check(Snapshot.layers(ScreenRenderer.render(state)), named: "screen-too-small-50x12")
    }

    @Test(arguments: [(60, 16), (61, 17), (97, 31), (200, 60)])
    func everySizeAboveTheMinimumFillsTheScreenWithoutOverflow(width: Int, height: Int) async throws {
        let state = try await Fixtures.answered(width: width, height: height, arms: [.rag, .ft, .both])
        let buffer = ScreenRenderer.render(state)
        #expect(buffer.width == width && buffer.height == height)
        #expect(buffer.textLines.allSatisfy { DisplayWidth.of($0) == width })
        #expect(buffer.contains("Hits") && buffer.contains("F10Quit"))
    }
}
