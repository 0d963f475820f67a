// Extracts readable text from HTML: tags stripped, script/style/comments dropped, entities
// decoded, block elements turned into line breaks and <h1>–<h6> into Markdown headings.
import Foundation

/// Plain text of an HTML page.
public enum HTMLText {
    /// The extracted text (headings as `# …` lines) and the `<title>`, if any.
    public struct Page: Sendable, Equatable {
        public var title: String?
        public var text: String
    }

    static let blockTags: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header", "footer",
        "blockquote", "pre", "dl", "dt", "dd", "hr", "nav", "aside", "main", "figure", "figcaption",
        "form", "fieldset", "address", "td", "th", "caption", "body", "html",
    ]
    static let singleBreakTags: Set<String> = ["br", "li", "tr", "td", "th", "dt", "dd"]
    static let droppedTags: Set<String> = ["script", "style", "noscript", "template", "svg"]

    /// Extracts the text of a whole page. Never fails: malformed markup degrades to text.
    public static func extract(_ html: String) -> Page {
        let scalars = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var title: String?
        var sawH1 = false
        var i = 0
        var preDepth = 0
        var pendingSpace = false

        func emitNewlines(_ n: Int) {
            pendingSpace = false
            var trailing = 0
            var j = out.endIndex
            while j > out.startIndex {
                let prev = out.index(before: j)
                if out[prev] == "\n" { trailing += 1; j = prev } else if out[prev] == " " { out.remove(at: prev); j = prev } else { break }
            }
            if out.isEmpty { return }
            for _ in trailing..<max(trailing, n) { out.append("\n") }
        }

        while i < scalars.count {
            let c = scalars[i]
            if c == "<" {
                // Comment, doctype, or tag.
                if matches(scalars, at: i, "<!--") {
                    i = find(scalars, "-->", from: i + 4).map { $0 + 3 } ?? scalars.count
                    continue
                }
                guard let close = find(scalars, ">", from: i + 1) else {
                    appendText(String(String.UnicodeScalarView(scalars[i...])), preformatted: preDepth > 0, to: &out, pendingSpace: &pendingSpace)
                    break
                }
                let inside = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                let (name, isEnd) = tagName(inside)
                i = close + 1
                if name.isEmpty || name.hasPrefix("!") || name.hasPrefix("?") { continue }
                if !isEnd, droppedTags.contains(name) {
                    i = find(scalars, "</\(name)", from: i, caseInsensitive: true)
                        .flatMap { find(scalars, ">", from: $0) }.map { $0 + 1 } ?? scalars.count
                    continue
                }
                if !isEnd, name == "title" {
                    let end = find(scalars, "</title", from: i, caseInsensitive: true) ?? scalars.count
                    let raw = String(String.UnicodeScalarView(scalars[i..<end]))
                    let cleaned = collapse(decodeEntities(raw))
                    if !cleaned.isEmpty { title = cleaned }
                    i = find(scalars, ">", from: end).map { $0 + 1 } ?? scalars.count
                    continue
                }
                if name.count == 2, name.first == "h", let level = Int(name.dropFirst()), (1...6).contains(level) {
                    emitNewlines(2)
                    if !isEnd {
                        if level == 1 { sawH1 = true }
                        out.append(contentsOf: String(repeating: "#", count: level).unicodeScalars)
                        out.append(" ")
                    }
                    continue
                }
                if name == "pre" { preDepth = max(0, preDepth + (isEnd ? -1 : 1)) }
                if blockTags.contains(name) {
                    emitNewlines(singleBreakTags.contains(name) ? 1 : 2)
                }
                continue
            }
            // A run of text up to the next tag.
            var j = i
            while j < scalars.count, scalars[j] != "<" { j += 1 }
            let raw = String(String.UnicodeScalarView(scalars[i..<j]))
            appendText(decodeEntities(raw), preformatted: preDepth > 0, to: &out, pendingSpace: &pendingSpace)
            i = j
        }
        var text = String(out)
        while text.hasSuffix("\n") || text.hasSuffix(" ") { text.removeLast() }
        return Page(title: sawH1 ? nil : title, text: text)
    }

    private static func appendText(_ text: String, preformatted: Bool, to out: inout String.UnicodeScalarView, pendingSpace: inout Bool) {
        if preformatted {
            out.append(contentsOf: text.unicodeScalars)
            return
        }
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace && scalar != "\u{A0}" {
                pendingSpace = true
            } else {
                if pendingSpace, let last = out.last, last != "\n", last != " " { out.append(" ") }
                pendingSpace = false
                out.append(scalar == "\u{A0}" ? " " : scalar)
            }
        }
    }

    private static func tagName(_ inside: String) -> (String, Bool) {
        var body = Substring(inside)
        var isEnd = false
        if body.hasPrefix("/") { isEnd = true; body = body.dropFirst() }
        let name = body.prefix { !$0.isWhitespace && $0 != "/" && $0 != ">" }
        return (name.lowercased(), isEnd)
    }

    private static func matches(_ s: [Unicode.Scalar], at i: Int, _ pattern: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        guard i + p.count <= s.count else { return false }
        for k in 0..<p.count where s[i + k] != p[k] { return false }
        return true
    }

    private static func find(_ s: [Unicode.Scalar], _ pattern: String, from start: Int, caseInsensitive: Bool = false) -> Int? {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars)
        guard !p.isEmpty, start >= 0, s.count >= p.count, start <= s.count - p.count else { return nil }
        var i = start
        while i <= s.count - p.count {
            var ok = true
            for k in 0..<p.count {
                var c = s[i + k]
                if caseInsensitive, c.value >= 65, c.value <= 90, let lower = Unicode.Scalar(c.value + 32) { c = lower }
                if c != p[k] { ok = false; break }
            }
            if ok { return i }
            i += 1
        }
        return nil
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "mdash": "—", "ndash": "–", "hellip": "…", "copy": "©", "reg": "®", "trade": "™",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»",
        "eacute": "é", "egrave": "è", "aacute": "á", "agrave": "à", "ouml": "ö", "uuml": "ü",
        "auml": "ä", "szlig": "ß", "ccedil": "ç", "euro": "€", "pound": "£", "deg": "°",
        "times": "×", "middot": "·", "bull": "•", "sect": "§", "para": "¶", "shy": "",
    ]

    /// Decodes `&name;`, `&#NNN;` and `&#xHH;`; unknown or malformed entities stay as written.
    public static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(12).firstIndex(of: ";") {
                let name = after[..<semi]
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    replacement = namedEntities[String(name)]
                }
                if let replacement {
                    out += replacement
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        out += rest
        return out
    }
}
