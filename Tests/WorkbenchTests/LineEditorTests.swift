// The emacs-style line editor and the query history.
import Foundation
import Testing
@testable import Workbench

@Suite struct LineEditorTests {
    func type(_ text: String, into editor: inout LineEditor) { for c in text { editor.handle(.character(c)) } }

    @Test func insertsAtTheCursorAndMoves() {
        var editor = LineEditor()
        type("helo", into: &editor)
        editor.handle(.left)
        editor.handle(.character("l"))
        #expect(editor.text == "hello" && editor.cursor == 4)
        editor.handle(.control("a"))
        #expect(editor.cursor == 0)
        editor.handle(.control("e"))
        #expect(editor.cursor == 5)
        editor.handle(.control("b"))
        editor.handle(.control("f"))
        #expect(editor.cursor == 5)
    }

    @Test func killAndYank() {
        var editor = LineEditor("per diem for travel")
        editor.handle(.control("w"))
        #expect(editor.text == "per diem for ")
        editor.handle(.control("a"))
        editor.handle(.control("y"))
        #expect(editor.text == "travelper diem for ")
        editor.handle(.control("k"))
        #expect(editor.text == "travel")
        editor.handle(.control("u"))
        #expect(editor.text == "" && editor.killBuffer == "travel")
    }

    @Test func wordMotionAndDeletion() {
        var editor = LineEditor("one two three")
        editor.handle(.meta("b"))
        #expect(editor.cursor == 8)
        editor.handle(.meta("b"))
        #expect(editor.cursor == 4)
        editor.handle(.meta("d"))
        #expect(editor.text == "one  three")
        editor.handle(.control("d"))
        editor.handle(.backspace)
        #expect(editor.text == "onethree")
        editor.handle(.control("t"))
        #expect(editor.text == "ontehree")
    }

    @Test func editingAtTheEdgesNeverTraps() {
        var editor = LineEditor()
        for key: Key in [.backspace, .delete, .left, .control("k"), .control("w"), .meta("d"), .control("t"), .right] {
            editor.handle(key)
        }
        #expect(editor.text.isEmpty && editor.cursor == 0)
        #expect(editor.handle(.function(4)) == false)
    }

    @Test func windowKeepsTheCursorVisibleWithWideCharacters() {
        var editor = LineEditor("出張出張出張abc")
        let window = editor.window(columns: 6)
        #expect(window.cursorColumn <= 5)
        #expect(DisplayWidth.of(window.text) <= 6)
        editor.handle(.control("a"))
        #expect(editor.window(columns: 6).cursorColumn == 0)
        #expect(editor.window(columns: 6).text == "出張出")
    }
}

@Suite struct QueryHistoryTests {
    @Test func browsesOlderAndNewerAndRestoresTheDraft() {
        var history = QueryHistory()
        history.record("first")
        history.record("second")
        history.record("second")
        history.record("  ")
        #expect(history.entries == ["first", "second"])
        #expect(history.older(current: "draft") == "second")
        #expect(history.older(current: "ignored") == "first")
        #expect(history.older(current: "x") == nil)
        #expect(history.newer() == "second")
        #expect(history.newer() == "draft")
        #expect(history.newer() == nil)
    }

    @Test func persistsInTheWorkspace() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var history = QueryHistory()
        history.record("what is the per diem?")
        history.record("出張 approval")
        let url = folder.appendingPathComponent("history")
        try history.save(to: url)
        #expect(QueryHistory.load(from: url).entries == ["what is the per diem?", "出張 approval"])
        history.record("third")
        try history.save(to: url) // replacing an existing file
        #expect(QueryHistory.load(from: url).entries.last == "third")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
        #expect(QueryHistory.load(from: folder.appendingPathComponent("missing")).entries.isEmpty)
    }
}
