// Splits text into the pieces byte-level BPE merges within: GPT-2's regex, optionally digits first.

/// The split rules named by `tokenizer.ggml.pre`.
///
/// GPT-2's rule (openai/gpt-2 `encoder.py`) is the regex
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
/// SmolLM (like StarCoder) first isolates every \p{N} code point, then applies GPT-2's rule to
/// the text between them: llama.cpp `LLAMA_VOCAB_PRE_TYPE_SMOLLM` uses the regex list
/// [`\p{N}`, GPT-2], and SmolLM2's tokenizer.json has Sequence[Digits(individual_digits),
/// ByteLevel]. The rules are hand-coded (no regex engine); the result is identical.
public enum PreTokenizerKind: Sendable, Equatable {
    /// GPT-2's regex alone.
    case gpt2
    /// Each \p{N} code point alone, then GPT-2's regex between them.
    case gpt2IndividualDigits

    /// The `tokenizer.ggml.pre` names accepted, by kind (llama.cpp's names).
    static let names: [String: PreTokenizerKind] = [
        "gpt2": .gpt2, "gpt-2": .gpt2, "mpt": .gpt2, "olmo": .gpt2, "jais": .gpt2,
        "smollm": .gpt2IndividualDigits, "starcoder": .gpt2IndividualDigits, "refact": .gpt2IndividualDigits,
        "command-r": .gpt2IndividualDigits, "codeshell": .gpt2IndividualDigits,
        "exaone": .gpt2IndividualDigits, "minerva-7b": .gpt2IndividualDigits,
    ]
    static var supportedNames: [String] { names.keys.sorted() }

    /// The kind for a `tokenizer.ggml.pre` value.
    public init(name: String) throws(TokenizerError) {
        guard let kind = PreTokenizerKind.names[name] else { throw .unsupportedPreTokenizer(name) }
        self = kind
    }
}

/// Code points of a UTF-8 buffer with their byte offsets and classes, ready for splitting.
struct DecodedText {
    var scalars: [UInt32] = []          // (n)
    var classes: [CharacterClass] = []  // (n)
    var byteStarts: [Int32] = []        // (n + 1): byte offset of each scalar, then the total length

    init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        scalars.reserveCapacity(bytes.count)
        classes.reserveCapacity(bytes.count)
        byteStarts.reserveCapacity(bytes.count + 1)
        var offset = 0
        let count = bytes.count
        while offset < count {
            let lead = bytes[offset]
            var value = UInt32(lead)
            var length = 1
            // Input comes from a Swift String, so it is valid UTF-8; lengths are still guarded.
            if lead >= 0xF0, offset + 3 < count {
                value = (UInt32(lead & 0x07) << 18) | (UInt32(bytes[offset + 1] & 0x3F) << 12)
                    | (UInt32(bytes[offset + 2] & 0x3F) << 6) | UInt32(bytes[offset + 3] & 0x3F)
                length = 4
            } else if lead >= 0xE0, offset + 2 < count {
                value = (UInt32(lead & 0x0F) << 12) | (UInt32(bytes[offset + 1] & 0x3F) << 6)
                    | UInt32(bytes[offset + 2] & 0x3F)
                length = 3
            } else if lead >= 0xC0, offset + 1 < count {
                value = (UInt32(lead & 0x1F) << 6) | UInt32(bytes[offset + 1] & 0x3F)
                length = 2
            }
            scalars.append(value)
            classes.append(CharacterClass.of(value: value))
            byteStarts.append(Int32(offset))
            offset += length
        }
        byteStarts.append(Int32(count))
    }
}

extension PreTokenizerKind {
    /// Calls `body` with the scalar range `[start, end)` of each piece, in order.
    func split(_ text: DecodedText, _ body: (Int, Int) -> Void) {
        let count = text.scalars.count
        switch self {
        case .gpt2:
            gpt2Split(text, from: 0, to: count, body)
        case .gpt2IndividualDigits:
            var start = 0
            while start < count {
                if text.classes[start] == .number {
                    body(start, start + 1)
                    start += 1
                    continue
                }
                var end = start + 1
                while end < count && text.classes[end] != .number { end += 1 }
                gpt2Split(text, from: start, to: end, body)
                start = end
            }
        }
    }

    /// GPT-2's regex on the segment `[start, end)`; nothing outside the segment is looked at
    /// (as in llama.cpp and in `tokenizers`, where each earlier split is matched on its own).
    private func gpt2Split(_ text: DecodedText, from start: Int, to end: Int, _ body: (Int, Int) -> Void) {
        let scalars = text.scalars
        let classes = text.classes
        let space: UInt32 = 0x20
        let apostrophe: UInt32 = 0x27
        var position = start
        // The class at an index, or nil outside the segment.
        @inline(__always) func classAt(_ index: Int) -> CharacterClass? { index < end ? classes[index] : nil }

        while position < end {
            let scalar = scalars[position]
            // 's|'t|'re|'ve|'m|'ll|'d (case-sensitive)
            if scalar == apostrophe && position + 1 < end {
                let next = scalars[position + 1]
                if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 {  // s t m d
                    body(position, position + 2); position += 2; continue
                }
                if position + 2 < end {
                    let third = scalars[position + 2]
                    if (next == 0x72 && third == 0x65) || (next == 0x76 && third == 0x65) || (next == 0x6C && third == 0x6C) {
                        body(position, position + 3); position += 3; continue  // re ve ll
                    }
                }
            }
            // " ?X+" for X in \p{L}, \p{N}, [^\s\p{L}\p{N}]
            let leadingSpace = scalar == space ? 1 : 0
            if let cls = classAt(position + leadingSpace), cls != .whitespace {
                var stop = position + leadingSpace + 1
                while stop < end && classes[stop] == cls { stop += 1 }
                body(position, stop); position = stop; continue
            }
            // \s+(?!\S) | \s+
            var stop = position
            while stop < end && classes[stop] == .whitespace { stop += 1 }
            let run = stop - position
            if run > 1 && stop < end {
                stop -= 1  // leave the last one to start the next piece
            } else if run == 0 {
                stop = position + 1  // unreachable: every class is covered above
            }
            body(position, stop); position = stop
        }
    }
}
