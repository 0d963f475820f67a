// Display width of CJK, emoji and combining text, and how the cell buffer keeps wide graphemes whole.
import Testing
@testable import Workbench

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("é", 1), ("e\u{301}", 1), ("中", 2), ("한", 2), ("ｱ", 1), ("Ａ", 2), ("😀", 2), ("🔐", 2),
        ("👍🏽", 2), ("👩‍💻", 2), ("🇫🇷", 2), ("☕", 2), ("❤️", 2), ("\u{200B}", 0), ("\t", 0), ("─", 1), ("⣿", 1),
    ])
    func graphemeWidth(_ text: String, _ expected: Int) {
        #expect(DisplayWidth.of(text) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func stringWidthAndTruncation() {
        #expect(DisplayWidth.of("出張 trip") == 9)
        #expect(DisplayWidth.truncate("出張 bookings", to: 6) == "出張 …")
        #expect(DisplayWidth.truncate("出張", to: 3) == "出…")
        #expect(DisplayWidth.pad("中", to: 4) == "中  ")
        #expect(DisplayWidth.prefix("ab中c", fitting: 3).text == "ab")
    }

    @Test func wideGraphemesTakeTwoCells() {
        var buffer = CellBuffer(width: 6, height: 1)
        let used = buffer.put("a中😀b", x: 0, y: 0, role: .normal)
        #expect(used == 6)
        #expect(buffer[1, 0].text == "中" && buffer[1, 0].width == 2)
        #expect(buffer[2, 0].isContinuation)
        #expect(buffer[3, 0].text == "😀" && buffer[4, 0].isContinuation)
        #expect(buffer.textLines == ["a中😀b"])
    }

    @Test func wideGraphemeThatDoesNotFitIsDropped() {
        var buffer = CellBuffer(width: 3, height: 1)
        let used = buffer.put("ab中", x: 0, y: 0, role: .normal)
        #expect(used == 2)
        #expect(buffer.textLines == ["ab "])
    }

    @Test func overwritingHalfAWideGraphemeBlanksTheOtherHalf() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.put("中文", x: 0, y: 0, role: .normal)
        buffer.put("x", x: 1, y: 0, role: .normal)   // right half of 中
        #expect(buffer.textLines == [" x文"])
        buffer.put("y", x: 2, y: 0, role: .normal)   // left half of 文
        #expect(buffer.textLines == [" xy "])
        #expect(!buffer[3, 0].isContinuation)
    }

    @Test func writesOutsideTheGridAreClipped() {
        var buffer = CellBuffer(width: 2, height: 2)
        buffer.put("hello", x: -1, y: 5, role: .normal)
        buffer.put("hello", x: 1, y: 1, role: .error)
        #expect(buffer.textLines == ["  ", " h"])
        #expect(buffer.roleLines[1] == ".E")
        #expect(buffer[9, 9] == .blank)
    }

    @Test func controlCharactersNeverReachTheGrid() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.put("a\u{1B}b", x: 0, y: 0, role: .normal)
        #expect(!buffer.textLines[0].contains("\u{1B}"))
    }

    @Test func roleCodesAreUnique() {
        let codes = StyleRole.allCases.map(\.code)
        #expect(Set(codes).count == codes.count)
    }
}

@Suite struct TextWrapTests {
    func plain(_ lines: [StyledLine]) -> [String] { lines.map { $0.map(\.text).joined() } }

    @Test func wrapsAtSpacesAndHardBreaksLongWords() {
        let lines = TextWrap.wrap([Span("the quick brown fox jumps", .normal)], width: 10)
        #expect(plain(lines) == ["the quick", "brown fox", "jumps"])
        #expect(plain(TextWrap.wrap([Span("abcdefghijkl", .normal)], width: 5)) == ["abcde", "fghij", "kl"])
    }

    @Test func wrapsLongMessagesCompletely() {
        let text = "⚠ no passages: search is not available: this build does not wire the core modules into the workbench yet"
        let lines = plain(TextWrap.wrap([Span(text, .error)], width: 33))
        #expect(lines.joined(separator: " ") == text)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 33 })
    }

    @Test func wrapsWideCharactersByColumns() {
        let lines = TextWrap.wrap([Span("出張出張出張", .normal)], width: 5)
        #expect(plain(lines) == ["出張", "出張", "出張"])
    }

    @Test func newlinesStartLinesAndStylesSurvive() {
        let lines = TextWrap.wrap([Span("a\nb", .normal), Span("c", .error)], width: 10)
        #expect(plain(lines) == ["a", "bc"])
        #expect(lines[1].map(\.role) == [.normal, .error])
    }

    @Test func citationsAndHighlights() {
        let spans = TextWrap.citations(in: "Yes [1], see [12] and [x].", base: .answerText)
        #expect(spans.filter { $0.role == .citation }.map(\.text) == ["[1]", "[12]"])
        let marked = TextWrap.highlight("Travel per diem: travelling", terms: ["travel", "diem"], base: .previewChunk)
        #expect(marked.filter { $0.role == .queryTermHighlight }.map(\.text) == ["Travel", "diem", "travelling"])
    }

    @Test func barsUseEighths() {
        #expect(Bar.make(fraction: 1, width: 4) == "████")
        #expect(Bar.make(fraction: 0.5, width: 3) == "█▌ ")
        #expect(Bar.make(fraction: .nan, width: 2) == "  ")
        #expect(Format.fixed(0.0325, 3) == "0.033" || Format.fixed(0.0325, 3) == "0.032")
        #expect(Format.fixed(-1.5, 1) == "-1.5")
        #expect(Format.score(12.34) == "12.3")
    }
}
