// A one-line text editor with emacs keys, used by the query line, the palette and form fields.

/// An editable line: characters, a cursor, and a kill buffer for C-k/C-u/C-w and C-y.
public struct LineEditor: Equatable, Sendable {
    public private(set) var characters: [Character]
    /// Cursor position, 0…count (before the character at that index).
    public private(set) var cursor: Int
    public private(set) var killBuffer: String = ""

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// Replaces the whole line and puts the cursor at the end.
    public mutating func set(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    public mutating func insert(_ string: String) {
        for character in string where character != "\n" && character != "\r" && character != "\r\n" {
            characters.insert(character, at: cursor)
            cursor += 1
        }
    }

    /// Applies an editing key; returns false if the key is not an editing key (the caller may use it).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c): insert(String(c))
        case .left, .control("b"): cursor = max(0, cursor - 1)
        case .right, .control("f"): cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .backspace, .control("h"):
            if cursor > 0 { characters.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .control("d"):
            if cursor < characters.count { characters.remove(at: cursor) }
        case .control("k"):
            killBuffer = String(characters[cursor...])
            characters.removeSubrange(cursor...)
        case .control("u"):
            killBuffer = String(characters[..<cursor])
            characters.removeSubrange(..<cursor)
            cursor = 0
        case .control("w"), .meta("\u{7F}"):
            let start = wordStart(before: cursor)
            killBuffer = String(characters[start..<cursor])
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .control("y"): insert(killBuffer)
        case .meta("b"): cursor = wordStart(before: cursor)
        case .meta("f"): cursor = wordEnd(after: cursor)
        case .meta("d"):
            let end = wordEnd(after: cursor)
            killBuffer = String(characters[cursor..<end])
            characters.removeSubrange(cursor..<end)
        case .control("t"):
            guard characters.count >= 2, cursor > 0 else { return true }
            let right = min(cursor, characters.count - 1)
            characters.swapAt(right - 1, right)
            cursor = min(characters.count, right + 1)
        default:
            return false
        }
        return true
    }

    private func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    private func wordStart(before index: Int) -> Int {
        var i = index
        while i > 0, !isWordCharacter(characters[i - 1]) { i -= 1 }
        while i > 0, isWordCharacter(characters[i - 1]) { i -= 1 }
        return i
    }

    private func wordEnd(after index: Int) -> Int {
        var i = index
        while i < characters.count, !isWordCharacter(characters[i]) { i += 1 }
        while i < characters.count, isWordCharacter(characters[i]) { i += 1 }
        return i
    }

    /// The visible window of the line in `columns` columns: the text and the cursor's column within it.
    public func window(columns: Int) -> (text: String, cursorColumn: Int) {
        guard columns > 1 else { return ("", 0) }
        var start = 0
        var widthToCursor = characters[0..<cursor].reduce(0) { $0 + DisplayWidth.of($1) }
        while widthToCursor > columns - 1, start < cursor {
            widthToCursor -= DisplayWidth.of(characters[start])
            start += 1
        }
        let visible = DisplayWidth.prefix(String(characters[start...]), fitting: columns).text
        return (visible, widthToCursor)
    }
}
