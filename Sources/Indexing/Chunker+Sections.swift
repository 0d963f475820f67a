// Splits a text into heading-delimited sections (Markdown ATX and setext headings,
// reStructuredText underlined titles), so each chunk knows its heading path.
// Markdown: CommonMark 0.31 §4.2–4.3; reStructuredText: docutils "Sections".

/// A run of body text under one heading path. Offsets are Unicode scalar offsets.
struct TextSection: Equatable {
    var headingPath: [String]
    /// Scalar offsets of the body lines, heading lines excluded.
    var lines: [Range<Int>]
}

/// One line of a text, by scalar offsets (without its line break).
struct TextLine {
    var range: Range<Int>
    var isBlank: Bool
}

enum SectionSplitter {
    static func lines(of scalars: [Unicode.Scalar]) -> [TextLine] {
        var lines: [TextLine] = []
        var start = 0
        var blank = true
        for (i, c) in scalars.enumerated() {
            if c == "\n" {
                var end = i
                if end > start, scalars[end - 1] == "\r" { end -= 1 }
                lines.append(TextLine(range: start..<end, isBlank: blank))
                start = i + 1
                blank = true
            } else if !c.properties.isWhitespace {
                blank = false
            }
        }
        if start < scalars.count { lines.append(TextLine(range: start..<scalars.count, isBlank: blank)) }
        return lines
    }

    static func sections(of scalars: [Unicode.Scalar], format: TextFormat, title: String?) -> [TextSection] {
        let lines = lines(of: scalars)
        var stack: [(level: Int, title: String)] = []
        var sections: [TextSection] = []
        var current: [Range<Int>] = []
        var rstStyles: [String] = []
        var fence: Unicode.Scalar?

        func path() -> [String] { (title.map { [$0] } ?? []) + stack.map(\.title) }
        func flush() {
            if current.contains(where: { line in !lineIsBlank(scalars, line) }) {
                sections.append(TextSection(headingPath: path(), lines: current))
            }
            current = []
        }
        func push(level: Int, title: String) {
            flush()
            while let last = stack.last, last.level >= level { stack.removeLast() }
            stack.append((level, title))
        }

        var i = 0
        while i < lines.count {
            let line = lines[i]
            let text = String(String.UnicodeScalarView(scalars[line.range]))
            if format == .markdown {
                let trimmed = text.drop(while: { $0 == " " })
                if let marker = trimmed.first, (marker == "`" || marker == "~"), trimmed.hasPrefix(String(repeating: marker, count: 3)),
                   text.count - trimmed.count <= 3 {
                    let fenceChar = marker.unicodeScalars.first
                    if fence == nil { fence = fenceChar } else if fence == fenceChar { fence = nil }
                    current.append(line.range)
                    i += 1
                    continue
                }
                if fence == nil, let heading = atxHeading(text) {
                    push(level: heading.level, title: heading.title)
                    i += 1
                    continue
                }
                if fence == nil, i + 1 < lines.count, !line.isBlank, i == 0 || lines[i - 1].isBlank,
                   let level = setextLevel(String(String.UnicodeScalarView(scalars[lines[i + 1].range]))) {
                    push(level: level, title: text.trimmingWhitespace())
                    i += 2
                    continue
                }
            } else if format == .restructuredText, !line.isBlank {
                // Overlined title: ===, Title, ===.
                if let style = rstAdornment(text), i + 2 < lines.count,
                   rstAdornment(String(String.UnicodeScalarView(scalars[lines[i + 2].range]))) == style,
                   !lines[i + 1].isBlank {
                    let title = String(String.UnicodeScalarView(scalars[lines[i + 1].range])).trimmingWhitespace()
                    if !rstStyles.contains("o" + style) { rstStyles.append("o" + style) }
                    push(level: (rstStyles.firstIndex(of: "o" + style) ?? 0) + 1, title: title)
                    i += 3
                    continue
                }
                if rstAdornment(text) == nil, i + 1 < lines.count, i == 0 || lines[i - 1].isBlank,
                   let style = rstAdornment(String(String.UnicodeScalarView(scalars[lines[i + 1].range]))),
                   lines[i + 1].range.count >= text.trimmingWhitespace().unicodeScalars.count {
                    if !rstStyles.contains("u" + style) { rstStyles.append("u" + style) }
                    push(level: (rstStyles.firstIndex(of: "u" + style) ?? 0) + 1, title: text.trimmingWhitespace())
                    i += 2
                    continue
                }
            }
            current.append(line.range)
            i += 1
        }
        flush()
        return sections
    }

    private static func lineIsBlank(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        scalars[range].allSatisfy(\.properties.isWhitespace)
    }

    /// `## Title ##` → (2, "Title"); up to three leading spaces; the hashes need a space after them.
    static func atxHeading(_ line: String) -> (level: Int, title: String)? {
        let indent = line.prefix(while: { $0 == " " }).count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let hashes = rest.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let after = rest.dropFirst(hashes)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        var title = after.trimmingWhitespace()
        while title.hasSuffix("#") { title.removeLast() }
        title = title.trimmingWhitespace()
        guard !title.isEmpty else { return nil }
        return (hashes, title)
    }

    /// `===` → 1, `---` → 2 (setext underline), else nil.
    static func setextLevel(_ line: String) -> Int? {
        let trimmed = line.trimmingWhitespace()
        guard trimmed.count >= 2, line.prefix(while: { $0 == " " }).count <= 3 else { return nil }
        if trimmed.allSatisfy({ $0 == "=" }) { return 1 }
        if trimmed.allSatisfy({ $0 == "-" }) { return 2 }
        return nil
    }

    /// A reStructuredText adornment line (3+ repeats of one punctuation character), as its character.
    static func rstAdornment(_ line: String) -> String? {
        let trimmed = line.trimmingWhitespace()
        guard trimmed.count >= 3, trimmed.count == line.count || line.hasSuffix(" ") || line.hasSuffix("\t"),
              let first = trimmed.first, "=-~^\"'`#*+:._!$%&,/;<>?@[]{}|".contains(first),
              trimmed.allSatisfy({ $0 == first }) else { return nil }
        return String(first)
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
