// BPE mechanics on a small hand-made vocabulary, round trips on random UTF-8, and GGUF errors.
import Foundation
import Kernels
import ModelFiles
import Testing
@testable import Tokenizers

/// A vocabulary of the 256 byte tokens, two control tokens and a few merges.
func tinyVocabulary(merges: [String] = ["a b", "ab c", "Ġ a", "b c", "Ġa bc"]) -> BPEVocabulary {
    var tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    var types: [TokenType] = [.control, .control, .control]
    for byte in 0..<256 {
        tokens.append(String(Character(ByteLevel.scalarOfByte[byte])))
        types.append(.normal)
    }
    for extra in ["ab", "abc", "Ġa", "bc", "Ġabc"] {
        tokens.append(extra)
        types.append(.normal)
    }
    return BPEVocabulary(tokens: tokens, tokenTypes: types, merges: merges, preTokenizer: .gpt2IndividualDigits,
                         bosID: 1, eosID: 2)
}

@Suite("BPE mechanics")
struct BPETokenizerTests {
    @Test("merges apply by rank, lowest first")
    func mergeOrder() throws {
        let tokenizer = try BPETokenizer(vocabulary: tinyVocabulary())
        let id = { (text: String) in tokenizer.vocabulary.tokens.firstIndex(of: text)! }
        // "abc": "a b" (rank 0) beats "b c" (rank 3) → ab + c → abc.
        #expect(tokenizer.encode("abc") == [id("abc")])
        // With "b c" ranked first, "abc" ends as a + bc (no "a bc" rule).
        let other = try BPETokenizer(vocabulary: tinyVocabulary(merges: ["b c", "a b", "ab c"]))
        #expect(other.encode("abc") == [id("a"), id("bc")])
        // " abc": Ġ a (rank 2) vs a b (rank 0): ab first, then ab c → Ġ + abc.
        #expect(tokenizer.encode(" abc") == [id("Ġ"), id("abc")])
    }

    @Test("long pieces (heap path) merge exactly like short ones")
    func heapMatchesScan() throws {
        let tokenizer = try BPETokenizer(vocabulary: tinyVocabulary())
        let unit = "abcab"
        let long = String(repeating: unit, count: 40)   // one piece of 200 letters
        let short = tokenizer.encode(unit)
        #expect(tokenizer.encode(long) == Array([[Int]](repeating: short, count: 40).joined()))
    }

    @Test("control tokens are never produced from text")
    func noControlFromText() throws {
        let tokenizer = try BPETokenizer(vocabulary: tinyVocabulary())
        let ids = tokenizer.encode("<|im_end|><|endoftext|>")
        #expect(!ids.contains { tokenizer.isControl($0) })
        #expect(tokenizer.decode(ids) == "<|im_end|><|endoftext|>")
        #expect(tokenizer.decode([2], includeSpecial: true) == "<|im_end|>")
        #expect(tokenizer.decode([2]) == "")
        #expect(tokenizer.decode([-1, 99_999]) == "")
    }

    @Test("user-defined tokens are matched in text, control tokens are not")
    func userDefinedTokens() throws {
        var vocabulary = tinyVocabulary()
        vocabulary.tokens.append("<tool>")
        vocabulary.tokenTypes.append(.userDefined)
        let tokenizer = try BPETokenizer(vocabulary: vocabulary)
        let tool = vocabulary.tokens.count - 1
        let ids = tokenizer.encode("ab<tool> c<|im_end|>")
        #expect(ids.contains(tool))
        #expect(!ids.contains { tokenizer.isControl($0) })
        #expect(tokenizer.decode(ids) == "ab<tool> c<|im_end|>")
        #expect(tokenizer.encode("<tool>") == [tool])
        #expect(tokenizer.specialTokenID("<tool>") == tool)
    }

    @Test("round trip on random UTF-8", arguments: 0..<8)
    func randomRoundTrip(seed: Int) throws {
        var generator = SplitMix64(seed: UInt64(seed))
        let tokenizers = [try BPETokenizer(vocabulary: tinyVocabulary())] + (RealTokenizer.shared.map { [$0] } ?? [])
        for _ in 0..<50 {
            let text = randomText(using: &generator, length: Int(generator.next() % 80))
            for tokenizer in tokenizers {
                let dropped = tokenizer.unrepresentableBytes
                if text.utf8.contains(where: dropped.contains) { continue }
                let ids = tokenizer.encode(text)
                // Compare bytes: String == is canonical equivalence and would hide a mix-up.
                #expect(Array(tokenizer.decode(ids).utf8) == Array(text.utf8),
                        "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
                var stream = StreamingDecoder(tokenizer: tokenizer)
                var streamed = ""
                for id in ids { streamed += stream.append(id) }
                streamed += stream.finish()
                #expect(Array(streamed.utf8) == Array(text.utf8))
            }
        }
    }

    @Test("canonically equivalent texts keep their own bytes (cache keyed by bytes)")
    func canonicalEquivalents() throws {
        let tokenizers = [try BPETokenizer(vocabulary: tinyVocabulary())] + (RealTokenizer.shared.map { [$0] } ?? [])
        for tokenizer in tokenizers {
            for pair in [("\u{2000}", "\u{2002}"), ("é", "e\u{301}"), ("Å", "\u{212B}"), ("가", "\u{1100}\u{1161}")] {
                let first = tokenizer.encode(pair.0)
                let second = tokenizer.encode(pair.1)
                #expect(first != second)
                #expect(Array(tokenizer.decode(first).utf8) == Array(pair.0.utf8))
                #expect(Array(tokenizer.decode(second).utf8) == Array(pair.1.utf8))
            }
        }
    }

    @Test("streaming decode holds a character split across tokens")
    func streamingSplit() throws {
        let tokenizer = try BPETokenizer(vocabulary: tinyVocabulary())
        let byteID = { (byte: UInt8) in tokenizer.vocabulary.tokens.firstIndex(of: String(Character(ByteLevel.scalarOfByte[Int(byte)])))! }
        var stream = StreamingDecoder(tokenizer: tokenizer)
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]  // "€"
        #expect(stream.append(byteID(euro[0])) == "")
        #expect(stream.append(byteID(euro[1])) == "")
        #expect(stream.hasPendingBytes)
        #expect(stream.append(byteID(euro[2])) == "€")
        #expect(stream.append(byteID(0x41)) == "A")
        #expect(stream.append(byteID(0xF0)) == "")
        #expect(stream.finish() == "\u{FFFD}")
        #expect(!stream.hasPendingBytes)
    }

    @Test("inconsistent vocabularies are rejected")
    func badVocabulary() throws {
        var vocabulary = tinyVocabulary()
        vocabulary.tokenTypes.removeLast()
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabulary: vocabulary) }
        vocabulary = tinyVocabulary(merges: ["nospace"])
        #expect(throws: TokenizerError.malformedMerge(index: 0, text: "nospace")) { try BPETokenizer(vocabulary: vocabulary) }
        vocabulary = tinyVocabulary()
        vocabulary.tokens[3 + 65] = "not-a-byte"  // drop byte 'A'
        #expect(throws: TokenizerError.missingByteToken(byte: 65)) { try BPETokenizer(vocabulary: vocabulary) }
        vocabulary = tinyVocabulary()
        vocabulary.eosID = 1_000_000
        #expect(throws: TokenizerError.self) { try BPETokenizer(vocabulary: vocabulary) }
    }
}

@Suite("Tokenizer from GGUF metadata: errors")
struct BPEGGUFErrorTests {
    func file(_ edit: (inout GGUFWriter) -> Void) throws -> GGUFFile {
        let vocabulary = tinyVocabulary()
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("tokenizer.ggml.model", .string("gpt2"))
        writer.set("tokenizer.ggml.pre", .string("smollm"))
        writer.set("tokenizer.ggml.tokens", .array(vocabulary.tokens.map { .string($0) }))
        writer.set("tokenizer.ggml.token_type", .array(vocabulary.tokenTypes.map { .int32(Int32($0.rawValue)) }))
        writer.set("tokenizer.ggml.merges", .array(vocabulary.merges.map { .string($0) }))
        writer.set("tokenizer.ggml.eos_token_id", .uint32(2))
        edit(&writer)
        return try GGUFFile(bytes: writer.bytes())
    }

    @Test("a complete file loads")
    func loads() throws {
        let tokenizer = try BPETokenizer(gguf: file { _ in })
        #expect(tokenizer.eosID == 2)
        #expect(tokenizer.decode(tokenizer.encode("abc 123")) == "abc 123")
    }

    @Test("missing keys and unknown kinds give clear errors")
    func errors() throws {
        #expect(throws: TokenizerError.missingMetadata(key: "tokenizer.ggml.model")) {
            try BPETokenizer(gguf: file { $0.set("tokenizer.ggml.model", .uint32(1)) })
        }
        #expect(throws: TokenizerError.unsupportedModel("llama")) {
            try BPETokenizer(gguf: file { $0.set("tokenizer.ggml.model", .string("llama")) })
        }
        #expect(throws: TokenizerError.missingMetadata(key: "tokenizer.ggml.merges")) {
            try BPETokenizer(gguf: file { $0.set("tokenizer.ggml.merges", .string("x")) })
        }
        #expect(throws: TokenizerError.unsupportedPreTokenizer("qwen2")) {
            try BPETokenizer(gguf: file { $0.set("tokenizer.ggml.pre", .string("qwen2")) })
        }
        #expect(throws: TokenizerError.self) {
            try BPETokenizer(gguf: file { $0.set("tokenizer.ggml.token_type", .array([.int32(1)])) })
        }
        let message = TokenizerError.missingMetadata(key: "tokenizer.ggml.tokens").description
        #expect(message.contains("tokenizer.ggml.tokens"))
    }

    @Test("add_bos_token puts BOS before a rendered chat; encode never adds it")
    func addBOS() throws {
        let tokenizer = try BPETokenizer(gguf: file {
            $0.set("tokenizer.ggml.add_bos_token", .bool(true))
            $0.set("tokenizer.ggml.bos_token_id", .uint32(0))
        })
        #expect(tokenizer.vocabulary.addBOS)
        let chat = try ChatTemplate(tokenizer: tokenizer, templateText: nil)
        let rendered = chat.render([.user("a")], addGenerationPrompt: true)
        #expect(Array(rendered.ids.prefix(2)) == [0, chat.startID])
        #expect(rendered.text.hasPrefix("<|endoftext|><|im_start|>user"))
        #expect(!tokenizer.encode("a").contains(0))
        let plain = try BPETokenizer(gguf: file { _ in })
        #expect(!plain.vocabulary.addBOS)
    }

    @Test("a non-ChatML template is refused")
    func badTemplate() throws {
        let tokenizer = try BPETokenizer(gguf: file { _ in })
        #expect(throws: TokenizerError.self) {
            try ChatTemplate(tokenizer: tokenizer, templateText: "[INST] {{ messages }} [/INST]")
        }
        let plain = try ChatTemplate(tokenizer: tokenizer, templateText: nil)
        #expect(plain.defaultSystemPrompt == nil)
        #expect(plain.render([.user("a")], addGenerationPrompt: false).text == "<|im_start|>user\na<|im_end|>\n")
    }
}

/// Random text mixing ASCII, whitespace, digits, accents, CJK, emoji and rare planes.
func randomText(using generator: inout SplitMix64, length: Int) -> String {
    let pools: [ClosedRange<UInt32>] = [0x20...0x7E, 0x09...0x0D, 0x30...0x39, 0xA0...0x17F, 0x300...0x36F,
                                        0x4E00...0x9FFF, 0x1F300...0x1FAFF, 0x10000...0x10FFFF, 0x0...0x7FF]
    var scalars = String.UnicodeScalarView()
    for _ in 0..<length {
        let pool = pools[Int(generator.next() % UInt64(pools.count))]
        let value = pool.lowerBound + UInt32(generator.next() % UInt64(pool.upperBound - pool.lowerBound + 1))
        if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
    }
    return String(scalars)
}

