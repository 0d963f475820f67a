// Pre-tokenizer pieces against Hugging Face `tokenizers` (Digits + ByteLevel), no model needed.
import Foundation
import Testing
@testable import Tokenizers

@Suite("Pre-tokenizer (smollm rules)")
struct PreTokenizerTests {
    func pieces(_ text: String, _ kind: PreTokenizerKind = .gpt2IndividualDigits) -> [String] {
        var text = text
        return text.withUTF8 { utf8 in
            let decoded = DecodedText(utf8: utf8)
            var result: [String] = []
            kind.split(decoded) { start, end in
                let bytes = utf8[Int(decoded.byteStarts[start])..<Int(decoded.byteStarts[end])]
                result.append(ByteLevel.encode(bytes))
            }
            return result
        }
    }

    @Test("pieces match the reference", arguments: BPEGolden.shared?.cases.filter { $0.pieces != nil } ?? [])
    func matchesReference(_ golden: BPEGolden.Case) {
        #expect(pieces(golden.text) == golden.pieces, "text: \(golden.text.debugDescription)")
    }

    @Test("hand-checked splits")
    func handChecked() {
        #expect(pieces("I'm 42 ok") == ["I", "'m", "Ġ", "4", "2", "Ġok"])
        #expect(pieces("a  b") == ["a", "Ġ", "Ġb"])
        #expect(pieces("x\n\n y") == ["x", "ĊĊ", "Ġy"])
        #expect(pieces("\tfoo  ") == ["ĉ", "foo", "ĠĠ"])
        #expect(pieces("don't 'RE") == ["don", "'t", "Ġ'", "RE"])
        #expect(pieces("12", .gpt2) == ["12"])
        #expect(pieces("") == [])
    }

    @Test("unknown pre-tokenizer names are rejected with a clear error")
    func unknownName() {
        #expect(throws: TokenizerError.unsupportedPreTokenizer("llama-bpe")) { try PreTokenizerKind(name: "llama-bpe") }
        #expect(String(describing: TokenizerError.unsupportedPreTokenizer("x")).contains("smollm"))
    }

    @Test("Unicode classes: letters, numbers and spaces beyond ASCII")
    func classes() {
        #expect(CharacterClass.of("é") == .letter)
        #expect(CharacterClass.of("中") == .letter)
        #expect(CharacterClass.of("ﾟ") == .letter)        // halfwidth katakana (Lm)
        #expect(CharacterClass.of("٣") == .number)
        #expect(CharacterClass.of("½") == .number)
        #expect(CharacterClass.of("\u{3000}") == .whitespace)
        #expect(CharacterClass.of("\u{85}") == .whitespace)
        #expect(CharacterClass.of("😀") == .other)
        #expect(CharacterClass.of("\u{0301}") == .other)    // combining mark
        #expect(CharacterClass.of("𝑥") == .letter)          // outside the BMP
        #expect(CharacterClass.of("𝟙") == .number)
    }
}
