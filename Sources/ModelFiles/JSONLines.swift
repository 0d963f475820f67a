// Guarded JSON decoding for files Parallax did not write: JSONL datasets, QA suites, BEIR corpora.
// Foundation's parser recurses once per nesting level, so a line nested 100,000 deep would
// overflow the stack; such lines are measured first and refused.
import Foundation

public enum JSONGuard {
    /// Deepest nesting of arrays/objects in `bytes`, stopping early once it exceeds `limit`.
    public static func nestingDepth<Bytes: Collection>(of bytes: Bytes, limit: Int = .max) -> Int where Bytes.Element == UInt8 {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > deepest {
                    deepest = depth
                    if deepest > limit { return deepest }
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// Parses one JSON value, refusing input nested deeper than `maxDepth`.
    public static func object(from data: Data, maxDepth: Int = 64) throws -> Any {
        guard nestingDepth(of: data, limit: maxDepth) <= maxDepth else { throw JSONGuardError.tooDeep(limit: maxDepth) }
        do {
            return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw JSONGuardError.invalid
        }
    }
}

public enum JSONGuardError: Error, Equatable, CustomStringConvertible {
    case tooDeep(limit: Int)
    case invalid

    public var description: String {
        switch self {
        case .tooDeep(let limit): "JSON nested more than \(limit) levels deep"
        case .invalid: "not valid JSON"
        }
    }
}
