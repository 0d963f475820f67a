// Names users type in the workbench (themes, the Train form's adapter name) are names, not paths; theme files nested absurdly deep are refused before parsing.
import Foundation
import Testing
@testable import Workbench

@Suite struct ThemeSafetyTests {
    @Test func themeNamesThatArePathsAreNotLoaded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-themes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let themes = folder.appendingPathComponent("themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        // A valid theme file one level above the themes folder: reachable only through '../'.
        try Data(#"{"name": "escape", "roles": {}}"#.utf8).write(to: folder.appendingPathComponent("escape.json"))
        let library = ThemeLibrary(folders: [themes])
        for name in ["../escape", "\(folder.path)/escape", "./../escape"] {
            #expect(throws: WorkbenchError.self, "\(name)") { try library.theme(named: name) }
        }
    }

    @Test func themeNested100000DeepIsRefused() {
        let deep = #"{"name": "x", "roles": "# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        do {
            _ = try Theme.parse(Data(deep.utf8), path: "deep.json")
            Issue.record("a 100,000-deep theme was accepted")
        } catch {
            #expect(String(describing: error).contains("nested more than 64 levels"))
        }
    }
}

/// The Train view's adapter name goes through the same validator as the CLI (SafeName).
@Suite struct TrainFormNameTests {
    func config(name: String) -> Result<TrainingConfig, WorkbenchError> {
        var state = AppState(width: 80, height: 24, workspacePath: "/tmp")
        state.datasets = [DatasetSummary(name: "d", path: "/tmp/d.jsonl")]
        state.trainForm.name = LineEditor(name)
        return state.trainingConfig()
    }

    @Test(arguments: ["../../x", "a/b", "/tmp/x", ".hidden", "-x", String(repeating: "n", count: 101)])
    func pathLikeNamesAreRefused(_ name: String) {
        guard case .failure(let error) = config(name: name) else {
            Issue.record("accepted \(name)")
            return
        }
        #expect(String(describing: error).contains("starting with a letter or digit"))
    }

    @Test func ordinaryNameIsAccepted() {
        guard case .success(let config) = config(name: "json-answers.v2") else {
            Issue.record("refused a good name")
            return
        }
        #expect(config.adapterName == "json-answers.v2")
    }
}
