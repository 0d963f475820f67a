// The `:` palette: parsing, errors, and Tab completion of commands and arguments.
import Testing
@testable import Workbench

@Suite struct PaletteTests {
    let context = PaletteContext(adapters: ["concise-json", "concise-style"], themes: ["dark", "light", "monochrome"])

    @Test func parsesEveryCommand() throws {
        #expect(try CommandPalette.parse("topk 5") == .topK(5))
        #expect(try CommandPalette.parse("mode bm25") == .mode(.bm25))
        #expect(try CommandPalette.parse("adapter concise-json") == .adapter("concise-json"))
        #expect(try CommandPalette.parse("adapter none") == .adapter(nil))
        #expect(try CommandPalette.parse("scale 0.5") == .scale(0.5))
        #expect(try CommandPalette.parse("arms rag,ft,both") == .arms([.rag, .ft, .both]))
        #expect(try CommandPalette.parse("theme light") == .theme("light"))
        #expect(try CommandPalette.parse("reindex") == .reindex)
        #expect(try CommandPalette.parse("export") == .export)
        #expect(try CommandPalette.parse("train") == .open(.train))
        #expect(try CommandPalette.parse("  quit ") == .quit)
    }

    @Test(arguments: ["topk 0", "topk many", "topk", "mode fuzzy", "scale 3", "scale nan", "arms rag,xx", "frobnicate", ""])
    func rejectsBadInputWithAHelpfulError(_ line: String) {
        #expect(throws: WorkbenchError.self) { try CommandPalette.parse(line) }
        do { _ = try CommandPalette.parse(line) } catch {
            #expect(!String(describing: error).isEmpty)
        }
    }

    @Test func unknownCommandsSuggestCloseOnes() {
        do { _ = try CommandPalette.parse("tpok 3"); Issue.record("should throw") } catch {
            #expect(String(describing: error).contains("topk"))
        }
    }

    @Test func completesCommandNames() {
        #expect(CommandPalette.completions(for: "to", context: context) == ["topk "])
        #expect(CommandPalette.completions(for: "re", context: context) == ["reindex"])
        #expect(CommandPalette.completions(for: "a", context: context) == ["adapter ", "arms ", "adapters"])
        #expect(CommandPalette.completions(for: "", context: context).count == CommandPalette.commands.count)
    }

    @Test func completesArguments() {
        #expect(CommandPalette.completions(for: "mode b", context: context) == ["mode bm25"])
        #expect(CommandPalette.completions(for: "adapter concise-", context: context) == ["adapter concise-json", "adapter concise-style"])
        #expect(CommandPalette.completions(for: "theme ", context: context) == ["theme dark", "theme light", "theme monochrome"])
        #expect(CommandPalette.completions(for: "arms rag,", context: context) == ["arms rag,ft", "arms rag,both"])
        #expect(CommandPalette.completions(for: "export x", context: context).isEmpty)
        #expect(CommandPalette.commonPrefix(["adapter concise-json", "adapter concise-style"]) == "adapter concise-")
    }

    @Test func tabInThePaletteCompletesThenCycles() {
        var state = AppState(width: 80, height: 24, workspacePath: "/tmp")
        state.themeNames = context.themes
        state.focus = .hits
        _ = state.handle(.key(.character(":")))
        for c in "th" { _ = state.handle(.key(.character(c))) }
        _ = state.handle(.key(.tab))
        #expect(state.palette?.editor.text == "theme ")
        #expect(state.palette?.completions.count == 3)
        _ = state.handle(.key(.tab))
        #expect(state.palette?.selected == 0)
        _ = state.handle(.key(.down))
        let (_, effects) = state.handle(.key(.enter))
        #expect(effects == [.setTheme("light")])
        #expect(state.palette == nil)
    }

    @Test func badCommandShowsAnErrorLineNotACrash() {
        var state = AppState(width: 80, height: 24, workspacePath: "/tmp")
        state.focus = .hits
        _ = state.handle(.key(.character(":")))
        for c in "topk 99" { _ = state.handle(.key(.character(c))) }
        _ = state.handle(.key(.enter))
        #expect(state.message?.isError == true)
        #expect(state.topK == 5)
    }
}
