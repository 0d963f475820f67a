// Turns a stream of token ids into text, holding back bytes of a character split across tokens.

/// Decodes generated tokens one at a time. A character whose UTF-8 bytes are split across
/// tokens (common for emoji and CJK) is held until it is complete, so every string returned is
/// whole text; concatenating them equals `decode` of all the ids.
///
///     var stream = StreamingDecoder(tokenizer: tokenizer)
///     for id in generated { print(stream.append(id), terminator: "") }
///     print(stream.finish())
public struct StreamingDecoder: Sendable {
    public let tokenizer: BPETokenizer
    /// Whether control tokens are rendered as their text (otherwise left out).
    public var includeSpecial: Bool
    private var pending: [UInt8] = []  // bytes of an incomplete trailing character

    public init(tokenizer: BPETokenizer, includeSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.includeSpecial = includeSpecial
    }

    /// The text that became complete with this token (may be empty).
    public mutating func append(_ id: Int) -> String {
        guard id >= 0 && id < tokenizer.vocabularySize else { return "" }
        if !includeSpecial && tokenizer.isControl(id) { return "" }
        pending.append(contentsOf: tokenizer.bytes(of: id))
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Whatever is still held (an incomplete character becomes U+FFFD), and a reset.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// Whether bytes are being held for an unfinished character.
    public var hasPendingBytes: Bool { !pending.isEmpty }

    /// The length of `bytes` without a trailing, still-incomplete UTF-8 sequence. Invalid bytes
    /// are not held back (they will decode to U+FFFD), only a valid-so-far unfinished tail.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        // Look back at most 3 bytes for the lead byte of the last sequence.
        var index = count - 1
        var continuation = 0
        while index >= 0 && continuation < 3 && bytes[index] & 0xC0 == 0x80 {
            index -= 1
            continuation += 1
        }
        guard index >= 0 else { return count }
        let lead = bytes[index]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 1
        case 0xE0...0xEF: needed = 2
        case 0xF0...0xF4: needed = 3
        default: return count  // ASCII, or invalid: nothing to wait for
        }
        return continuation < needed ? index : count
    }
}
