// Tokenised examples, the train/validation split, and micro-batches of padded or packed rows.
import Kernels
import Models

/// One example as tokens, ready for batching.
public struct TokenizedExample: Sendable, Equatable {
    public var tokens: [Int32]
    /// Per token: whether predicting it carries loss.
    public var trainMask: [Bool]
    /// 1-based line in the source file.
    public var line: Int
}

/// How examples are laid into rows of a micro-batch.
public enum BatchLayout: String, Sendable, Codable, CaseIterable {
    /// One example a row, padded to the longest row of its micro-batch.
    case padded
    /// Several examples a row (never split), attention kept within each example.
    case packed
}

/// Tokenised examples with the counts the run summary reports.
public struct TrainingData: Sendable {
    public var examples: [TokenizedExample]
    /// Examples cut to the sequence length.
    public var truncated: Int
    /// Examples left with nothing to learn after truncation (skipped).
    public var emptyAfterTruncation: Int

    /// Tokenises `examples`; longer ones are cut to `seq` tokens.
    public static func tokenize(_ examples: [ChatExample], encoder: any ChatEncoding, seq: Int,
                                allTokens: Bool) throws -> TrainingData {
        var result = TrainingData(examples: [], truncated: 0, emptyAfterTruncation: 0)
        for example in examples {
            var encoded = try encoder.encodeChat(example.messages)
            if allTokens { encoded.trainMask = Array(repeating: true, count: encoded.tokens.count) }
            if encoded.tokens.count > seq {
                encoded.tokens.removeLast(encoded.tokens.count - seq)
                encoded.trainMask.removeLast(encoded.trainMask.count - seq)
                result.truncated += 1
            }
            // Position 0 is never predicted.
            guard encoded.trainMask.dropFirst().contains(true) else {
                result.emptyAfterTruncation += 1
                continue
            }
            result.examples.append(TokenizedExample(tokens: encoded.tokens, trainMask: encoded.trainMask, line: example.line))
        }
        return result
    }

    /// A seeded split: (train indices, validation indices). At least one example stays in training.
    public func split(validationFraction: Double, seed: UInt64) -> (train: [Int], validation: [Int]) {
        var order = Array(examples.indices)
        var rng = SplitMix64(seed: seed ^ 0x5EED_5A1D)
        order.shuffle(using: &rng)
        var count = Int((validationFraction * Double(order.count)).rounded())
        if validationFraction > 0, count == 0, order.count >= 2 { count = 1 }
        count = min(count, order.count - 1)
        return (Array(order[count...]), Array(order[..<count]))
    }

    /// Rows (each a list of example indices) for examples taken in `order`.
    public func rows(order: [Int], seq: Int, layout: BatchLayout) -> [[Int]] {
        switch layout {
        case .padded:
            return order.map { [$0] }
        case .packed:
            var rows: [[Int]] = []
            var current: [Int] = [], used = 0
            for index in order {
                let length = examples[index].tokens.count
                if used + length > seq, !current.isEmpty {
                    rows.append(current)
                    current = []
                    used = 0
                }
                current.append(index)
                used += length
            }
            if !current.isEmpty { rows.append(current) }
            return rows
        }
    }

    /// A micro-batch of `rows`. T is the longest row rounded up to 8 (at most `seq`), so short
    /// examples do not pay for the full sequence length. Padding uses `padToken` with no loss.
    public func batch(rows: [[Int]], seq: Int, padToken: Int32) -> TrainingBatch {
        let longest = rows.map { $0.reduce(0) { $0 + examples[$1].tokens.count } }.max() ?? 1
        let t = min(seq, max(8, (longest + 7) / 8 * 8))
        var tokens = [Int32](repeating: padToken, count: rows.count * t)
        var targets = [Int32](repeating: -1, count: rows.count * t)
        var starts = [Int32](repeating: 0, count: rows.count * t)
        for (r, row) in rows.enumerated() {
            var position = 0
            for index in row {
                let example = examples[index]
                let start = position
                for (i, token) in example.tokens.enumerated() where position < t {
                    tokens[r * t + position] = token
                    starts[r * t + position] = Int32(start)
                    if i + 1 < example.tokens.count, example.trainMask[i + 1], position + 1 < t {
                        targets[r * t + position] = example.tokens[i + 1]
                    }
                    position += 1
                }
            }
            // Padding forms its own segment, so it never attends into an example's keys.
            let padStart = Int32(position)
            while position < t { starts[r * t + position] = padStart; position += 1 }
        }
        return TrainingBatch(batchSize: rows.count, seqLen: t, tokens: tokens, targets: targets, segmentStarts: starts)
    }
}
