// A small, strict XML parser for checking model output: well-formedness (XML 1.0 §2.1: one
// root, matched tags, quoted attributes, known entities) and the element tree. Depth is bounded
// so hostile input cannot exhaust memory or the stack.

/// An element of a parsed document.
public struct XMLElementNode: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLElementNode]
    /// Concatenated character data directly inside this element.
    public var text: String

    public func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }
}

public enum XMLParseError: Error, Equatable, CustomStringConvertible {
    case unexpectedEnd
    case syntax(offset: Int, message: String)
    case mismatchedTag(expected: String, found: String)
    case tooDeep(limit: Int)

    public var description: String {
        switch self {
        case .unexpectedEnd: "the XML ends before its root element is closed"
        case .syntax(let offset, let message): "XML syntax error at character \(offset): \(message)"
        case .mismatchedTag(let expected, let found): "</\(found)> closes <\(expected)>"
        case .tooDeep(let limit): "elements are nested more than \(limit) deep"
        }
    }
}

public enum XMLDocumentParser {
    /// Parses `text` as one XML document and returns its root element.
    public static func parse(_ text: String, maxDepth: Int = 256) throws -> XMLElementNode {
        var p = Cursor(Array(text.unicodeScalars))
        p.skipMisc()
        if p.peek("<?xml") {
            guard p.skip(past: "?>") else { throw XMLParseError.unexpectedEnd }
            p.skipMisc()
        }
        guard p.peek("<"), !p.peek("</") else { throw XMLParseError.syntax(offset: p.i, message: "expected the root element") }
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        while root == nil {
            guard p.i < p.s.count else { throw XMLParseError.unexpectedEnd }
            if p.peek("<!--") {
                guard p.skip(past: "-->") else { throw XMLParseError.unexpectedEnd }
            } else if p.peek("<![CDATA[") {
                p.i += 9
                let start = p.i
                guard p.skip(past: "]]>") else { throw XMLParseError.unexpectedEnd }
                if !stack.isEmpty { stack[stack.count - 1].text += String(String.UnicodeScalarView(p.s[start..<(p.i - 3)])) }
            } else if p.peek("<?") {
                guard p.skip(past: "?>") else { throw XMLParseError.unexpectedEnd }
            } else if p.peek("</") {
                p.i += 2
                let name = try p.name()
                p.skipSpace()
                guard p.eat(">") else { throw XMLParseError.syntax(offset: p.i, message: "expected '>'") }
                guard let open = stack.popLast() else { throw XMLParseError.syntax(offset: p.i, message: "stray </\(name)>") }
                guard open.name == name else { throw XMLParseError.mismatchedTag(expected: open.name, found: name) }
                if stack.isEmpty { root = open } else { stack[stack.count - 1].children.append(open) }
            } else if p.peek("<") {
                p.i += 1
                var element = XMLElementNode(name: try p.name(), attributes: [:], children: [], text: "")
                while true {
                    let hadSpace = p.skipSpace()
                    if p.eat("/>") {
                        if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
                        break
                    }
                    if p.eat(">") {
                        guard stack.count < maxDepth else { throw XMLParseError.tooDeep(limit: maxDepth) }
                        stack.append(element)
                        break
                    }
                    guard hadSpace else { throw XMLParseError.syntax(offset: p.i, message: "expected whitespace before an attribute") }
                    let attribute = try p.name()
                    p.skipSpace()
                    guard p.eat("=") else { throw XMLParseError.syntax(offset: p.i, message: "expected '=' after \(attribute)") }
                    p.skipSpace()
                    let value = try p.quoted()
                    guard element.attributes.updateValue(value, forKey: attribute) == nil else {
                        throw XMLParseError.syntax(offset: p.i, message: "attribute \(attribute) repeated")
                    }
                }
            } else {
                let text = try p.characterData()
                if stack.isEmpty {
                    throw XMLParseError.syntax(offset: p.i, message: "text outside the root element")
                }
                stack[stack.count - 1].text += text
            }
        }
        p.skipMisc()
        guard p.i == p.s.count else { throw XMLParseError.syntax(offset: p.i, message: "content after the root element") }
        return root!
    }

    private struct Cursor {
        let s: [Unicode.Scalar]
        var i = 0
        init(_ s: [Unicode.Scalar]) { self.s = s }

        func peek(_ literal: String) -> Bool {
            var j = i
            for c in literal.unicodeScalars {
                guard j < s.count, s[j] == c else { return false }
                j += 1
            }
            return true
        }

        mutating func eat(_ literal: String) -> Bool {
            guard peek(literal) else { return false }
            i += literal.unicodeScalars.count
            return true
        }

        mutating func skip(past literal: String) -> Bool {
            while i < s.count {
                if eat(literal) { return true }
                i += 1
            }
            return false
        }

        @discardableResult
        mutating func skipSpace() -> Bool {
            let start = i
            while i < s.count, s[i] == " " || s[i] == "\n" || s[i] == "\t" || s[i] == "\r" { i += 1 }
            return i > start
        }

        /// Whitespace and comments between top-level constructs.
        mutating func skipMisc() {
            while true {
                skipSpace()
                if peek("<!--") { if !skip(past: "-->") { return } } else { return }
            }
        }

        mutating func name() throws -> String {
            let start = i
            while i < s.count {
                let c = s[i]
                let ok = c.properties.isAlphabetic || c == "_" || c == ":" || (i > start && (c.properties.numericType != nil || c == "-" || c == "."))
                if !ok { break }
                i += 1
            }
            guard i > start else { throw XMLParseError.syntax(offset: i, message: "expected a name") }
            return String(String.UnicodeScalarView(s[start..<i]))
        }

        mutating func quoted() throws -> String {
            guard i < s.count, s[i] == "\"" || s[i] == "'" else { throw XMLParseError.syntax(offset: i, message: "expected a quoted value") }
            let quote = s[i]
            i += 1
            var out = ""
            while i < s.count, s[i] != quote {
                if s[i] == "<" { throw XMLParseError.syntax(offset: i, message: "'<' in an attribute value") }
                if s[i] == "&" { out += try entity() } else { out.unicodeScalars.append(s[i]); i += 1 }
            }
            guard i < s.count else { throw XMLParseError.unexpectedEnd }
            i += 1
            return out
        }

        mutating func characterData() throws -> String {
            var out = ""
            while i < s.count, s[i] != "<" {
                if s[i] == "&" { out += try entity() } else { out.unicodeScalars.append(s[i]); i += 1 }
            }
            return out
        }

        mutating func entity() throws -> String {
            let start = i
            i += 1
            var body = ""
            while i < s.count, s[i] != ";", i - start < 12 { body.unicodeScalars.append(s[i]); i += 1 }
            guard i < s.count, s[i] == ";" else { throw XMLParseError.syntax(offset: start, message: "unterminated entity") }
            i += 1
            switch body {
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos": return "'"
            default:
                var code: UInt32?
                if body.hasPrefix("#x") { code = UInt32(body.dropFirst(2), radix: 16) }
                else if body.hasPrefix("#") { code = UInt32(body.dropFirst(), radix: 10) }
                guard let c = code, let scalar = Unicode.Scalar(c) else {
                    throw XMLParseError.syntax(offset: start, message: "unknown entity &\(body);")
                }
                return String(scalar)
            }
        }
    }
}
