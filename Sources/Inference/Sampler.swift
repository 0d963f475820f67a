// Picks the next token from logits according to SamplerSettings, reproducibly from the seed.
import Foundation

/// A stateful sampler: one per generated sequence (it owns the seeded random generator).
public struct Sampler: Sendable {
    public let settings: SamplerSettings
    private var random: SeededGenerator
    /// Candidates examined for top-p alone before falling back to sorting the whole vocabulary.
    static let nucleusCandidates = 512

    public init(settings: SamplerSettings) {
        self.settings = settings
        random = SeededGenerator(seed: settings.seed)
    }

    /// The next token for `logits` (vocabulary size).
    public mutating func sample(_ logits: [Float]) -> Int {
        guard !logits.isEmpty else { return 0 }
        if settings.temperature <= 0 || settings.topK == 1 { return Self.argmax(logits) }
        let candidates = Self.candidates(logits, temperature: settings.temperature, topK: settings.topK, topP: settings.topP)
        return Self.draw(candidates, unit: random.nextUnit())
    }

    /// Index of the largest logit (the lowest index on ties).
    public static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        var bestValue = logits[0]
        for i in 1..<logits.count where logits[i] > bestValue {
            best = i
            bestValue = logits[i]
        }
        return best
    }

    /// The tokens that survive temperature, top-k and top-p, most likely first, with their
    /// probabilities renormalised to sum to 1.
    public static func candidates(_ logits: [Float], temperature: Float, topK: Int, topP: Float) -> [(id: Int, p: Double)] {
        let n = logits.count
        guard n > 0 else { return [] }
        let invT = 1 / Double(max(temperature, 1e-6))
        func ordered(_ a: Int, _ b: Int) -> Bool { logits[a] > logits[b] || (logits[a] == logits[b] && a < b) }
        let limit = topK > 0 ? min(topK, n) : (topP < 1 ? min(nucleusCandidates, n) : n)
        var top = limit == n ? Array(0..<n) : largest(logits, count: limit)
        top.sort(by: ordered)
        let m = Double(logits[top[0]])
        var weights = top.map { Foundation.exp((Double(logits[$0]) - m) * invT) }
        // Top-k renormalises over the kept tokens; top-p alone measures mass over the whole vocabulary.
        var total = weights.reduce(0, +)
        if topK == 0 && limit < n {
            let all = logits.reduce(0.0) { $0 + Foundation.exp((Double($1) - m) * invT) }
            if total / all < Double(topP) {
                // The nucleus reaches past the candidates: sort everything.
                top = Array(0..<n).sorted(by: ordered)
                weights = top.map { Foundation.exp((Double(logits[$0]) - m) * invT) }
            }
            total = all
        }
        var kept = top.count
        if topP < 1 {
            var cumulative = 0.0
            for (i, w) in weights.enumerated() {
                cumulative += w / total
                if cumulative >= Double(topP) { kept = i + 1; break }
            }
        }
        let keptTotal = weights[0..<kept].reduce(0, +)
        return (0..<kept).map { (top[$0], weights[$0] / keptTotal) }
    }

    /// Inverse-CDF draw with a uniform number in [0, 1).
    static func draw(_ candidates: [(id: Int, p: Double)], unit: Double) -> Int {
        var cumulative = 0.0
        for c in candidates {
            cumulative += c.p
            if unit < cumulative { return c.id }
        }
        return candidates.last?.id ?? 0
    }

    /// Indices of the `count` largest values (in no order), with a min-heap: O(n log count).
    static func largest(_ values: [Float], count: Int) -> [Int] {
        var heap: [Int] = []
        heap.reserveCapacity(count)
        // The heap's root is the smallest kept value (ties: the larger index counts as smaller).
        func less(_ a: Int, _ b: Int) -> Bool { values[a] < values[b] || (values[a] == values[b] && a > b) }
        for i in values.indices {
            if heap.count < count {
                heap.append(i)
                var c = heap.count - 1
                while c > 0 {
                    let parent = (c - 1) / 2
                    guard less(heap[c], heap[parent]) else { break }
                    heap.swapAt(c, parent)
                    c = parent
                }
            } else if less(heap[0], i) {
                heap[0] = i
                var p = 0
                while true {
                    let l = 2 * p + 1, r = l + 1
                    var smallest = p
                    if l < heap.count && less(heap[l], heap[smallest]) { smallest = l }
                    if r < heap.count && less(heap[r], heap[smallest]) { smallest = r }
                    if smallest == p { break }
                    heap.swapAt(p, smallest)
                    p = smallest
                }
            }
        }
        return heap
    }
}
