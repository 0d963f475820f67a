// The Unicode classes the GPT-2 split rules look at: \p{L}, \p{N}, \s, and everything else.

/// The class of a code point as the pre-tokenizer's rules see it.
enum CharacterClass: UInt8, Sendable {
    case other = 0       // [^\s\p{L}\p{N}]: punctuation, symbols, marks, controls, unassigned
    case letter = 1      // \p{L}: Lu Ll Lt Lm Lo
    case number = 2      // \p{N}: Nd Nl No
    case whitespace = 3  // \s: the Unicode White_Space property

    /// The class of one scalar, from the standard library's Unicode tables.
    static func of(_ scalar: Unicode.Scalar) -> CharacterClass {
        if scalar.value < 0x10000 { return bmpTable[Int(scalar.value)] }
        return classify(scalar)
    }

    /// The class of a code point value (any value; invalid ones are `.other`).
    @inline(__always)
    static func of(value: UInt32) -> CharacterClass {
        if value < 0x10000 { return bmpTable[Int(value)] }
        guard let scalar = Unicode.Scalar(value) else { return .other }
        return classify(scalar)
    }

    private static func classify(_ scalar: Unicode.Scalar) -> CharacterClass {
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    /// Classes of the Basic Multilingual Plane, computed once (64 KiB).
    private static let bmpTable: [CharacterClass] = {
        var table = [CharacterClass](repeating: .other, count: 0x10000)
        for value in 0..<0x10000 {
            if let scalar = Unicode.Scalar(UInt32(value)) { table[value] = classify(scalar) }
        }
        return table
    }()
}
