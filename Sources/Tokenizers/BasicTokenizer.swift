// BERT's basic tokenizer: text cleaning, CJK splitting, accent stripping, lower-casing, then
// splitting on whitespace and punctuation, keeping where each word came from in the input.
//
// Follows Devlin et al. 2018 (arXiv:1810.04805), google-research/bert `tokenization.py`
// `BasicTokenizer`, as Hugging Face `tokenizers` implements it (`BertNormalizer` then
// `BertPreTokenizer`): controls are every `C*` category except \t \n \r; whitespace is the
// Unicode White_Space property; punctuation is ASCII punctuation plus every `P*` category.
import Foundation

/// Splits text into normalised words the way BERT's uncased models expect.
public struct BasicTokenizer: Sendable {
    /// Lower-case every character (Unicode simple per-character mapping, as `tokenizers` does).
    public var lowercase: Bool
    /// Decompose (NFD) and drop non-spacing marks. BERT uncased: on whenever lower-casing is.
    public var stripAccents: Bool

    public init(lowercase: Bool = true, stripAccents: Bool? = nil) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents ?? lowercase
    }

    /// The words of one text: normalised scalars stored flat, with per-word bounds.
    public struct Words: Sendable {
        /// Normalised scalars of all words, back to back.
        public var scalars: [Unicode.Scalar] = []
        /// For each normalised scalar, the offset of the input scalar it came from.
        public var sourceOffsets: [Int] = []
        /// Bounds of each word inside `scalars`.
        public var bounds: [Range<Int>] = []

        /// Source scalar offsets (into `text.unicodeScalars`) a span of normalised scalars covers.
        public func sourceRange(_ span: Range<Int>) -> Range<Int> {
            guard let first = span.first else { return 0..<0 }
            return sourceOffsets[first]..<(sourceOffsets[span.upperBound - 1] + 1)
        }
    }

    /// Cleans, normalises and splits `text`.
    public func words(_ text: String) -> Words {
        var builder = WordBuilder()
        builder.out.scalars.reserveCapacity(text.utf8.count)
        builder.out.sourceOffsets.reserveCapacity(text.utf8.count)
        var offset = 0
        for scalar in text.unicodeScalars {
            defer { offset += 1 }
            let value = scalar.value
            if value < 0x80 {
                // ASCII: controls removed, four whitespace characters, the punctuation ranges.
                switch value {
                case 0x20, 0x09, 0x0A, 0x0D: builder.endWord()
                case 0..<0x20, 0x7F: continue
                case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: builder.isolated(scalar, from: offset)
                case 0x41...0x5A where lowercase: builder.append(Unicode.Scalar(value + 0x20)!, from: offset)
                default: builder.append(scalar, from: offset)
                }
                continue
            }
            if value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isCJK(value) {
                builder.endWord()
                for piece in normalize(scalar) { builder.append(piece, from: offset) }
                builder.endWord()
                continue
            }
            for piece in normalize(scalar) {
                if piece.properties.isWhitespace {
                    builder.endWord()
                } else if Self.isPunctuation(piece) {
                    builder.isolated(piece, from: offset)
                } else {
                    builder.append(piece, from: offset)
                }
            }
        }
        builder.endWord()
        return builder.out
    }

    /// NFD (when stripping accents) minus non-spacing marks, then lower-casing, of one non-ASCII scalar.
    private func normalize(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        var pieces: [Unicode.Scalar]
        if stripAccents {
            pieces = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
            pieces.removeAll { $0.properties.generalCategory == .nonspacingMark }
        } else {
            pieces = [scalar]
        }
        guard lowercase else { return pieces }
        var lowered: [Unicode.Scalar] = []
        lowered.reserveCapacity(pieces.count)
        for piece in pieces {
            if piece.value < 0x80 || !piece.properties.changesWhenLowercased {
                lowered.append(piece.value >= 0x41 && piece.value <= 0x5A ? Unicode.Scalar(piece.value + 0x20)! : piece)
            } else {
                lowered.append(contentsOf: piece.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return lowered
    }

    /// Every `C*` category (control, format, unassigned, private use, surrogate).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: true
        default: false
        }
    }

    /// ASCII punctuation and symbols (as BERT counts them) or any Unicode `P*` category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        case 0..<0x80: return false
        default: break
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT splits into single characters.
    static func isCJK(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x20000...0x2A6DF).contains(value) || (0x2A700...0x2B73F).contains(value)
            || (0x2B740...0x2B81F).contains(value) || (0x2B820...0x2CEAF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    }
}

/// Accumulates words into `BasicTokenizer.Words`.
private struct WordBuilder {
    var out = BasicTokenizer.Words()
    var wordStart = 0

    mutating func append(_ scalar: Unicode.Scalar, from offset: Int) {
        out.scalars.append(scalar)
        out.sourceOffsets.append(offset)
    }

    mutating func endWord() {
        let end = out.scalars.count
        if end > wordStart { out.bounds.append(wordStart..<end) }
        wordStart = end
    }

    mutating func isolated(_ scalar: Unicode.Scalar, from offset: Int) {
        endWord()
        append(scalar, from: offset)
        endWord()
    }
}
