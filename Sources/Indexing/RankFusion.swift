// Reciprocal rank fusion and partial top-k selection.
// RRF: Cormack, Clarke & Büttcher 2009, "Reciprocal Rank Fusion outperforms Condorcet and
// individual Rank Learning Methods": score(d) = Σ_lists 1 / (k + rank_list(d)), ranks from 1.

/// Reciprocal rank fusion of ranked lists.
public enum ReciprocalRankFusion {
    public static let defaultK = 60.0

    /// Fused (id, score), best first; ties go to the id with the better best rank, then the smaller id.
    public static func fuse<ID: Hashable & Comparable>(_ lists: [[ID]], k: Double = defaultK) -> [(id: ID, score: Double)] {
        var scores: [ID: Double] = [:]
        var bestRank: [ID: Int] = [:]
        for list in lists {
            for (index, id) in list.enumerated() {
                scores[id, default: 0] += 1 / (k + Double(index + 1))
                bestRank[id] = min(bestRank[id] ?? .max, index + 1)
            }
        }
        return scores.map { (id: $0.key, score: $0.value) }.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            let ra = bestRank[a.id] ?? .max, rb = bestRank[b.id] ?? .max
            return ra != rb ? ra < rb : a.id < b.id
        }
    }
}

/// The indices of the `k` largest values, largest first (ties: lower index first).
/// O(n log k) with a min-heap; most values are rejected by one comparison with the heap top.
public func topIndices(of values: UnsafeBufferPointer<Float>, k: Int) -> [(index: Int, value: Float)] {
    let k = min(k, values.count)
    guard k > 0 else { return [] }
    // Min-heap ordered by (value, -index): the root is the worst kept element.
    var heap: [(index: Int, value: Float)] = []
    heap.reserveCapacity(k)
    @inline(__always) func worse(_ a: (index: Int, value: Float), _ b: (index: Int, value: Float)) -> Bool {
        a.value < b.value || (a.value == b.value && a.index > b.index)
    }
    func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count, worse(heap[l], heap[m]) { m = l }
            if r < heap.count, worse(heap[r], heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
    for index in 0..<values.count {
        let value = values[index]
        if value.isNaN { continue }
        if heap.count < k {
            heap.append((index, value))
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                if worse(heap[i], heap[parent]) { heap.swapAt(i, parent); i = parent } else { break }
            }
        } else if value > heap[0].value {
            heap[0] = (index, value)
            siftDown(0)
        }
    }
    return heap.sorted { worse($1, $0) }
}
