// Byte-level BPE (GPT-2 style): build from a vocabulary, encode plain text, decode ids.
import Foundation

/// A byte-level BPE tokenizer (Sennrich et al. 2016, "Neural Machine Translation of Rare Words
/// with Subword Units"; GPT-2's byte-level variant, Radford et al. 2019).
///
/// `encode` treats its whole input as plain text: a passage containing `<|im_start|>` or
/// `<|endoftext|>` is encoded character by character like any other text, so documents,
/// datasets and queries can never produce control tokens. Only `ChatTemplate` places special
/// token ids, around content it encodes with `encode`. Thread-safe; share one instance.
public final class BPETokenizer: Sendable {
    /// The data it was built from.
    public let vocabulary: BPEVocabulary
    /// Vocabulary strings (byte-level alphabet) → id.
    let idOfToken: [String: Int32]
    /// `byteTokenIDs[b]` is the id of the single-byte token for byte `b`.
    let byteTokenIDs: [Int32]
    /// (left id << 32 | right id) → (rank << 32 | merged id).
    let merges: [UInt64: UInt64]
    /// The bytes each token decodes to: `decodedBytes[decodedStarts[id]..<decodedStarts[id + 1]]`.
    let decodedBytes: [UInt8]
    let decodedStarts: [Int]
    let pieceCache = PieceCache()
    /// Control and user-defined tokens with their text, in id order.
    let specialIDs: [(text: String, id: Int32)]
    /// User-defined tokens as UTF-8, longest first: matched in plain text (as llama.cpp does).
    let userDefinedTokens: [(bytes: [UInt8], id: Int32)]
    /// Stands for a byte with no token while merging (it blocks merges across it, then is dropped).
    static let missingByte: Int32 = -1

    /// Bytes the vocabulary cannot represent; `encode` drops them, so `decode(encode(text))`
    /// equals `text` exactly when it contains none of them.
    public var unrepresentableBytes: [UInt8] {
        (0..<256).filter { byteTokenIDs[$0] == Self.missingByte }.map(UInt8.init)
    }

    /// Builds the tokenizer, checking that the vocabulary is complete and consistent.
    public init(vocabulary: BPEVocabulary) throws(TokenizerError) {
        let count = vocabulary.tokens.count
        guard vocabulary.tokenTypes.count == count else {
            throw .inconsistentVocabulary(what: "token types", expected: count, actual: vocabulary.tokenTypes.count)
        }
        guard count > 0, count < Int(Int32.max) else {
            throw .inconsistentVocabulary(what: "tokens", expected: 1, actual: count)
        }
        for id in [vocabulary.bosID, vocabulary.eosID, vocabulary.unknownID, vocabulary.paddingID] {
            if let id, !(0..<count).contains(id) { throw .tokenOutOfRange(id: id, vocabularySize: count) }
        }
        self.vocabulary = vocabulary

        var idOfToken = [String: Int32](minimumCapacity: count)
        var decodedBytes: [UInt8] = []
        decodedBytes.reserveCapacity(count * 6)
        var decodedStarts = [Int](repeating: 0, count: count + 1)
        for (index, token) in vocabulary.tokens.enumerated() {
            let type = vocabulary.tokenTypes[index]
            if type == .normal || type == .byte || type == .undefined {
                // First id wins for duplicates, as in llama.cpp.
                if idOfToken[token] == nil { idOfToken[token] = Int32(index) }
                decodedBytes.append(contentsOf: ByteLevel.decode(token) ?? Array(token.utf8))
            } else {
                decodedBytes.append(contentsOf: token.utf8)
            }
            decodedStarts[index + 1] = decodedBytes.count
        }

        // Vocabularies may lack bytes that never (or rarely) occur in UTF-8 text: SmolLM2's lacks
        // 21 (0x04, 0x06, 0x13, 0x14, 0x16, 0x1D, 0xC0, 0xC1, 0xF1, 0xF2, 0xF5–0xFF). Such a byte
        // is dropped from the output, as llama.cpp and transformers do; printable ASCII must exist.
        var byteTokenIDs = [Int32](repeating: Self.missingByte, count: 256)
        for byte in 0..<256 {
            if let id = idOfToken[String(Character(ByteLevel.scalarOfByte[byte]))] {
                byteTokenIDs[byte] = id
            } else if (0x20...0x7E).contains(byte) {
                throw .missingByteToken(byte: UInt8(byte))
            }
        }

        var merges = [UInt64: UInt64](minimumCapacity: vocabulary.merges.count)
        for (rank, rule) in vocabulary.merges.enumerated() {
            let scalars = rule.unicodeScalars
            // The separator is the first space after the first character (tokens hold no raw spaces).
            guard !scalars.isEmpty,
                  let space = scalars[scalars.index(after: scalars.startIndex)...].firstIndex(of: " ") else {
                throw .malformedMerge(index: rank, text: rule)
            }
            let left = String(scalars[..<space])
            let right = String(scalars[scalars.index(after: space)...])
            // Rules naming tokens that are not in the vocabulary can never apply: skip them.
            guard let leftID = idOfToken[left], let rightID = idOfToken[right],
                  let mergedID = idOfToken[left + right] else { continue }
            let key = UInt64(UInt32(leftID)) << 32 | UInt64(UInt32(rightID))
            if merges[key] == nil { merges[key] = UInt64(rank) << 32 | UInt64(UInt32(mergedID)) }
        }

        var specialIDs: [(text: String, id: Int32)] = []
        var userDefinedTokens: [(bytes: [UInt8], id: Int32)] = []
        for (index, type) in vocabulary.tokenTypes.enumerated() where type == .control || type == .userDefined {
            specialIDs.append((vocabulary.tokens[index], Int32(index)))
            if type == .userDefined && !vocabulary.tokens[index].isEmpty {
                userDefinedTokens.append((Array(vocabulary.tokens[index].utf8), Int32(index)))
            }
        }
        userDefinedTokens.sort { $0.bytes.count > $1.bytes.count }
        self.specialIDs = specialIDs
        self.userDefinedTokens = userDefinedTokens
        self.idOfToken = idOfToken
        self.byteTokenIDs = byteTokenIDs
        self.merges = merges
        self.decodedBytes = decodedBytes
        self.decodedStarts = decodedStarts
    }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { vocabulary.tokens.count }
    /// Beginning-of-sequence id (SmolLM2 does not add it to prompts).
    public var bosID: Int? { vocabulary.bosID }
    /// End-of-sequence id (for SmolLM2, `<|im_end|>`).
    public var eosID: Int? { vocabulary.eosID }

    /// The id of a special (control or user-defined) token written as text, e.g. "<|im_end|>".
    public func specialTokenID(_ text: String) -> Int? {
        specialIDs.first { $0.text.utf8.elementsEqual(text.utf8) }.map { Int($0.id) }
    }

    /// Whether an id is a control token (never produced by `encode`).
    public func isControl(_ id: Int) -> Bool {
        vocabulary.tokenTypes.indices.contains(id) && vocabulary.tokenTypes[id] == .control
    }

    /// The vocabulary string of a token (byte-level alphabet for ordinary tokens), or nil when out of range.
    public func tokenString(_ id: Int) -> String? {
        vocabulary.tokens.indices.contains(id) ? vocabulary.tokens[id] : nil
    }

    // MARK: Encoding

    /// Token ids of `text`, all of it plain text (never control tokens). Exact inverse of `decode`.
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 3 + 4)
        encodePieces(text) { pieceIDs, _ in
            for id in pieceIDs { ids.append(Int(id)) }
        }
        return ids
    }

    /// Like `encode`, as 32-bit ids (half the memory, for datasets).
    public func encode32(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(text.utf8.count / 3 + 4)
        encodePieces(text) { pieceIDs, _ in ids.append(contentsOf: pieceIDs) }
        return ids
    }

    /// Runs pre-tokenization and BPE, calling `body` with each piece's ids and the UTF-8 byte
    /// offset where the piece ends. User-defined tokens (none in SmolLM2) are matched first,
    /// as llama.cpp does; control tokens never are.
    func encodePieces(_ text: String, _ body: (ArraySlice<Int32>, Int) -> Void) {
        var text = text
        text.withUTF8 { utf8 in
            var scratch = BPEScratch()
            var fragmentStart = 0
            if !userDefinedTokens.isEmpty {
                var position = 0
                while position < utf8.count {
                    guard let match = userDefinedToken(in: utf8, at: position) else { position += 1; continue }
                    encodeFragment(utf8, from: fragmentStart, to: position, scratch: &scratch, body)
                    position += match.length
                    body([match.id][...], position)
                    fragmentStart = position
                }
            }
            encodeFragment(utf8, from: fragmentStart, to: utf8.count, scratch: &scratch, body)
        }
    }

    private func encodeFragment(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
                                scratch: inout BPEScratch, _ body: (ArraySlice<Int32>, Int) -> Void) {
        guard start < end else { return }
        let fragment = UnsafeBufferPointer(rebasing: utf8[start..<end])
        let decoded = DecodedText(utf8: fragment)
        vocabulary.preTokenizer.split(decoded) { first, last in
            let byteStart = Int(decoded.byteStarts[first])
            let byteEnd = Int(decoded.byteStarts[last])
            let piece = UnsafeBufferPointer(rebasing: fragment[byteStart..<byteEnd])
            let ids = tokenIDs(ofPiece: piece, scratch: &scratch)
            body(ids[...], start + byteEnd)
        }
    }

    /// The longest user-defined token whose text starts at `position`.
    private func userDefinedToken(in utf8: UnsafeBufferPointer<UInt8>, at position: Int) -> (id: Int32, length: Int)? {
        let remaining = utf8.count - position
        for token in userDefinedTokens where token.bytes.count <= remaining && token.bytes[0] == utf8[position] {
            if UnsafeBufferPointer(rebasing: utf8[position..<(position + token.bytes.count)]).elementsEqual(token.bytes) {
                return (token.id, token.bytes.count)
            }
        }
        return nil
    }

    // MARK: Decoding

    /// The bytes a token stands for (empty for an out-of-range id). Control tokens give their text.
    public func bytes(of id: Int) -> ArraySlice<UInt8> {
        guard id >= 0 && id < vocabularySize else { return [] }
        return decodedBytes[decodedStarts[id]..<decodedStarts[id + 1]]
    }

    /// The text of a token sequence. Control tokens are left out unless `includeSpecial`; ids
    /// outside the vocabulary are skipped; bytes that are not valid UTF-8 become U+FFFD.
    public func decode<IDs: Sequence>(_ ids: IDs, includeSpecial: Bool = false) -> String
    where IDs.Element: BinaryInteger {
        var bytes: [UInt8] = []
        for element in ids {
            guard let id = Int(exactly: element), id >= 0, id < vocabularySize else { continue }
            if !includeSpecial && vocabulary.tokenTypes[id] == .control { continue }
            bytes.append(contentsOf: decodedBytes[decodedStarts[id]..<decodedStarts[id + 1]])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
