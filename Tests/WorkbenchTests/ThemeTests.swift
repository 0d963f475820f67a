// Theme files: the bundled themes load, every role resolves, bad files give clear errors, NO_COLOR strips colour.
import Foundation
import Testing
@testable import Workbench

/// The repository's themes/ folder.
let repositoryThemes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("themes")

@Suite struct ThemeTests {
    let library = ThemeLibrary(folders: [repositoryThemes])

    @Test func bundledThemesAreThere() {
        for name in ["dark", "light", "high-contrast", "monochrome"] { #expect(library.names.contains(name)) }
    }

    @Test(arguments: ["dark", "light", "high-contrast", "monochrome"])
    func bundledThemeLoadsAndCoversEveryRole(_ name: String) throws {
        let theme = try library.theme(named: name)
        #expect(theme.name == name)
        for role in StyleRole.allCases { #expect(theme.styles[role] != nil, "\(name) lacks \(role)") }
        if name != "monochrome" {
            #expect(theme.style(for: .error).foreground != nil)
            #expect(theme.style(for: .error).foreground8 != nil)
        }
    }

    @Test func monochromeHasNoColoursButKeepsAttributes() throws {
        let mono = try library.theme(named: "monochrome")
        #expect(mono.styles.values.allSatisfy { $0.foreground == nil && $0.background == nil && $0.foreground8 == nil })
        let stripped = try library.theme(named: "dark").monochrome
        #expect(stripped.styles.values.allSatisfy { $0.foreground == nil && $0.background8 == nil })
        #expect(stripped.style(for: .citation).underline)
    }

    @Test(arguments: [
        ("{", "not JSON"),
        ("[]", "top level"),
        ("{\"roles\": {}}", "name"),
        ("{\"name\": \"x\"}", "roles"),
        ("{\"name\": \"x\", \"roles\": {\"paneBordr\": {}}}", "unknown role \"paneBordr\""),
        ("{\"name\": \"x\", \"roles\": {\"error\": {\"fg\": 300}}}", "error.fg"),
        ("{\"name\": \"x\", \"roles\": {\"error\": {\"fg8\": \"purple\"}}}", "error.fg8"),
        ("{\"name\": \"x\", \"roles\": {\"error\": {\"bold\": \"yes\"}}}", "error.bold"),
        ("{\"name\": \"x\", \"roles\": {\"error\": {\"blink\": true}}}", "unknown key \"blink\""),
    ])
    func badThemeFilesGiveClearErrors(_ json: String, _ expected: String) {
        do {
            _ = try Theme.parse(Data(json.utf8), path: "themes/bad.json")
            Issue.record("parsed a bad theme")
        } catch {
            let text = String(describing: error)
            #expect(text.contains("themes/bad.json"), "\(text)")
            #expect(text.contains(expected), "\(text)")
        }
    }

    @Test func missingThemeListsTheAvailableOnes() {
        do { _ = try library.theme(named: "neon"); Issue.record("found a missing theme") } catch {
            #expect(String(describing: error).contains("dark"))
        }
    }

    @Test func controllerTurnsABadThemeIntoAMessage() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("{\"name\": \"broken\", \"roles\": {\"nope\": {}}}".utf8).write(to: folder.appendingPathComponent("broken.json"))
        let screen = OffscreenScreen(width: 80, height: 24)
        let controller = WorkbenchController(screen: screen, backend: ScriptedBackend(), workspace: folder,
                                             themes: ThemeLibrary(folders: [folder, repositoryThemes]))
        controller.setTheme("broken", announce: true)
        #expect(controller.state.message?.isError == true)
        #expect(controller.state.themeName == "dark")
        controller.setTheme("light", announce: true)
        #expect(controller.state.themeName == "light")
        #expect(screen.theme?.name == "light")
    }

    @Test func noColorStripsColoursFromTheChosenTheme() {
        let screen = OffscreenScreen(width: 80, height: 24)
        _ = WorkbenchController(screen: screen, backend: ScriptedBackend(), workspace: FileManager.default.temporaryDirectory,
                                themes: ThemeLibrary(folders: [repositoryThemes]), themeName: "light", noColor: true)
        #expect(screen.theme?.styles.values.allSatisfy { $0.foreground == nil && $0.background == nil } == true)
        #expect(screen.theme?.style(for: .citation).underline == true)
    }
}
