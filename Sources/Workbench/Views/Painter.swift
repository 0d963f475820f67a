// Painting helpers shared by the views: boxes, styled text runs, word wrapping and bars.
import Foundation

/// A run of text in one style.
public struct Span: Equatable, Sendable {
    public var text: String
    public var role: StyleRole
    public init(_ text: String, _ role: StyleRole) { self.text = text; self.role = role }
}

/// A line made of styled runs.
public typealias StyledLine = [Span]

extension CellBuffer {
    /// Draws a box border around `rect` with `title` in the top edge.
    public mutating func box(_ rect: Rect, title: String = "", focused: Bool = false,
                             border: StyleRole? = nil, fill: StyleRole? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let role = border ?? (focused ? .paneBorderFocused : .paneBorder)
        if let fill { self.fill(rect.inset(1), role: fill) }
        let horizontal: Character = focused ? "━" : "─"
        let vertical: Character = focused ? "┃" : "│"
        let corners: [Character] = focused ? ["┏", "┓", "┗", "┛"] : ["╭", "╮", "╰", "╯"]
        for column in rect.x + 1..<rect.maxX - 1 {
            put(horizontal, x: column, y: rect.y, role: role)
            put(horizontal, x: column, y: rect.maxY - 1, role: role)
        }
        for row in rect.y + 1..<rect.maxY - 1 {
            put(vertical, x: rect.x, y: row, role: role)
            put(vertical, x: rect.maxX - 1, y: row, role: role)
        }
        put(corners[0], x: rect.x, y: rect.y, role: role)
        put(corners[1], x: rect.maxX - 1, y: rect.y, role: role)
        put(corners[2], x: rect.x, y: rect.maxY - 1, role: role)
        put(corners[3], x: rect.maxX - 1, y: rect.maxY - 1, role: role)
        if !title.isEmpty, rect.width > 6 {
            let text = " " + DisplayWidth.truncate(title, to: rect.width - 6) + " "
            put(text, x: rect.x + 2, y: rect.y, role: focused ? .paneTitleFocused : .paneTitle)
        }
    }

    /// Writes styled runs on one line from (x, y), clipped to `maxWidth`; returns the columns used.
    @discardableResult
    public mutating func put(_ line: StyledLine, x: Int, y: Int, maxWidth: Int) -> Int {
        var used = 0
        for span in line {
            guard used < maxWidth else { break }
            used += put(span.text, x: x + used, y: y, role: span.role, maxWidth: maxWidth - used)
        }
        return used
    }

    /// Writes `lines` into `rect` one per row starting at line `from`.
    public mutating func put(lines: [StyledLine], in rect: Rect, from: Int = 0) {
        guard from >= 0 else { return }
        for row in 0..<rect.height where from + row < lines.count {
            put(lines[from + row], x: rect.x, y: rect.y + row, maxWidth: rect.width)
        }
    }
}

/// Word wrapping of styled text by display width.
public enum TextWrap {
    /// Wraps `spans` into lines at most `width` columns wide, breaking at spaces (hard-breaking long words);
    /// "\n" starts a new line.
    public static func wrap(_ spans: [Span], width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        var lines: [StyledLine] = []
        var line: [(Character, StyleRole)] = []
        var lineWidth = 0
        var lastSpace: Int? = nil

        func flush(_ chars: ArraySlice<(Character, StyleRole)>) {
            lines.append(group(Array(chars)))
        }
        for span in spans {
            for character in span.text {
                if character == "\n" || character == "\r\n" {
                    flush(line[...]); line = []; lineWidth = 0; lastSpace = nil
                    continue
                }
                let c: Character = character == "\t" ? " " : character
                let w = DisplayWidth.of(c)
                if lineWidth + w > width {
                    if c == " " { flush(line[...]); line = []; lineWidth = 0; lastSpace = nil; continue }
                    if let space = lastSpace, space > 0 {
                        flush(line[..<space])
                        line = Array(line[(space + 1)...])
                        lineWidth = line.reduce(0) { $0 + DisplayWidth.of($1.0) }
                    } else {
                        flush(line[...]); line = []; lineWidth = 0
                    }
                    lastSpace = nil
                    for (index, entry) in line.enumerated() where entry.0 == " " { lastSpace = index }
                }
                if c == " " { lastSpace = line.count }
                line.append((c, span.role))
                lineWidth += w
            }
        }
        if !line.isEmpty || lines.isEmpty { flush(line[...]) }
        return lines
    }

    private static func group(_ chars: [(Character, StyleRole)]) -> StyledLine {
        var out: StyledLine = []
        for (character, role) in chars {
            if let last = out.last, last.role == role { out[out.count - 1].text.append(character) } else {
                out.append(Span(String(character), role))
            }
        }
        return out
    }

    /// Splits plain `text` into spans where `[n]` citations get the citation role.
    public static func citations(in text: String, base: StyleRole) -> [Span] {
        var spans: [Span] = []
        var plain = ""
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            if characters[index] == "[" {
                var end = index + 1
                while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
                if end > index + 1, end < characters.count, characters[end] == "]" {
                    if !plain.isEmpty { spans.append(Span(plain, base)); plain = "" }
                    spans.append(Span(String(characters[index...end]), .citation))
                    index = end + 1
                    continue
                }
            }
            plain.append(characters[index])
            index += 1
        }
        if !plain.isEmpty { spans.append(Span(plain, base)) }
        return spans
    }

    /// Splits `text` so words matching `terms` get the highlight role.
    public static func highlight(_ text: String, terms: [String], base: StyleRole) -> [Span] {
        let ranges = QueryTerms.matches(in: text, terms: terms)
        guard !ranges.isEmpty else { return [Span(text, base)] }
        let characters = Array(text)
        var spans: [Span] = []
        var position = 0
        for range in ranges {
            if range.lowerBound > position { spans.append(Span(String(characters[position..<range.lowerBound]), base)) }
            spans.append(Span(String(characters[range]), .queryTermHighlight))
            position = range.upperBound
        }
        if position < characters.count { spans.append(Span(String(characters[position...]), base)) }
        return spans
    }
}

/// Horizontal bars drawn with eighth blocks.
public enum Bar {
    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

    /// A bar `fraction` (0…1) of `width` columns long, padded with spaces to `width`.
    public static func make(fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let total = Int((clamped * Double(width * 8)).rounded())
        var text = String(repeating: "█", count: total / 8)
        if total % 8 > 0 { text.append(eighths[total % 8 - 1]) }
        return text + String(repeating: " ", count: max(0, width - text.count))
    }
}

/// Compact number formatting for narrow panes.
public enum Format {
    public static func score(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        if magnitude >= 100 { return String(Int(value.rounded())) }
        if magnitude >= 10 { return fixed(value, 1) }
        if magnitude >= 1 { return fixed(value, 2) }
        return fixed(value, 3)
    }

    /// `value` with `digits` decimals, without Foundation's locale.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let fractionText = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: max(0, digits - fractionText.count)) + fractionText
    }

    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 60 { return "\(Int(seconds.rounded()))s" }
        let minutes = Int(seconds) / 60
        if minutes < 60 { return "\(minutes)m\(String(format: "%02d", Int(seconds) % 60))s" }
        return "\(minutes / 60)h\(String(format: "%02d", minutes % 60))m"
    }
}
