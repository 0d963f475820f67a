// Decode and prefill attention with grouped KV heads against a naive Double implementation.
import Foundation
import Testing
@testable import Kernels

@Suite struct AttentionTests {
    /// out (heads, d) for query q (heads, d) at the last of `length` positions.
    static func naive(q: [Float], keys: [Float], values: [Float], heads: Int, kvHeads: Int, d: Int, length: Int) -> [Double] {
        var out = [Double](repeating: 0, count: heads * d)
        let stride = kvHeads * d
        for h in 0..<heads {
            let g = h / (heads / kvHeads)
            var s = (0..<length).map { t in
                (0..<d).reduce(0.0) { $0 + Double(q[h * d + $1]) * Double(keys[t * stride + g * d + $1]) } / Double(d).squareRoot()
            }
            let m = s.max()!
            s = s.map { Foundation.exp($0 - m) }
            let total = s.reduce(0, +)
            for t in 0..<length {
                for i in 0..<d { out[h * d + i] += s[t] / total * Double(values[t * stride + g * d + i]) }
            }
        }
        return out
    }

    /// Keys given as position rows (length, kvHeads · d), in the cache's transposed layout.
    static func transposed(_ keys: [Float], rowWidth: Int, length: Int, capacity: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: rowWidth * capacity)
        for t in 0..<length { for j in 0..<rowWidth { out[j * capacity + t] = keys[t * rowWidth + j] } }
        return out
    }

    /// The 64-wide heads split positions over the threads from 128 positions on (ranges merged).
    @Test(arguments: [(6, 2, 16, 1), (9, 3, 64, 37), (4, 4, 20, 5), (9, 3, 64, 150), (2, 1, 8, 70), (9, 3, 64, 1),
                      (9, 3, 64, 129), (9, 3, 64, 700), (4, 2, 64, 513)])
    func decodeMatchesNaive(_ shape: (Int, Int, Int, Int)) {
        let (heads, kvHeads, d, length) = shape
        var rng = SeededRandom(seed: UInt64(heads * 100 + length))
        let keys = rng.floats(length * kvHeads * d)
        var values = rng.floats(length * kvHeads * d)
        let capacity = length + 3
        var stored = Self.transposed(keys, rowWidth: kvHeads * d, length: length, capacity: capacity)
        values += [Float](repeating: .nan, count: 3 * kvHeads * d)
        let q = rng.floats(heads * d, in: -2...2)
        var scratch = [Float](repeating: 0, count: heads * length)
        var out = [Float](repeating: .nan, count: heads * d)
        let pool = WorkerPool(threads: 2)
        stored.withUnsafeMutableBufferPointer { k in values.withUnsafeMutableBufferPointer { v in
            let view = KVView(keys: k.baseAddress!, values: v.baseAddress!, kvHeads: kvHeads, headDim: d, capacity: capacity)
            pool.attendDecode(q: q, cache: view, heads: heads, length: length, scratch: &scratch,
                              scratchStride: length, out: &out)
        } }
        let want = Self.naive(q: q, keys: keys, values: values, heads: heads, kvHeads: kvHeads, d: d, length: length)
        for i in 0..<out.count { #expect(abs(Double(out[i]) - want[i]) < 1e-5) }
        pool.shutdown()
    }

    /// (heads, kvHeads, headDim, start, count): SIMD path (headDim % 16 == 0) and BLAS path.
    @Test(arguments: [(6, 2, 16, 3, 11), (9, 3, 64, 0, 70), (9, 3, 64, 37, 5), (4, 2, 20, 2, 9), (3, 1, 32, 0, 1)])
    func prefillMatchesNaiveAtEveryPosition(_ shape: (Int, Int, Int, Int, Int)) {
        let (heads, kvHeads, d, start, count) = shape
        let length = start + count
        var rng = SeededRandom(seed: 11)
        let keys = rng.floats(length * kvHeads * d)
        var values = rng.floats(length * kvHeads * d)
        var stored = Self.transposed(keys, rowWidth: kvHeads * d, length: length, capacity: length)
        let q = rng.floats(count * heads * d, in: -2...2)
        var scores = [Float](repeating: 0, count: count * length)
        var out = [Float](repeating: .nan, count: count * heads * d)
        let pool = WorkerPool(threads: 2)
        stored.withUnsafeMutableBufferPointer { k in values.withUnsafeMutableBufferPointer { v in
            let view = KVView(keys: k.baseAddress!, values: v.baseAddress!, kvHeads: kvHeads, headDim: d, capacity: length)
            pool.attendPrefill(q: q, cache: view, heads: heads, start: start, count: count, scores: &scores, out: &out)
        } }
        for i in 0..<count {
            let qi = Array(q[(i * heads * d)..<((i + 1) * heads * d)])
            let want = Self.naive(q: qi, keys: keys, values: values, heads: heads, kvHeads: kvHeads, d: d, length: start + i + 1)
            for j in 0..<(heads * d) { #expect(abs(Double(out[i * heads * d + j]) - want[j]) < 1e-5) }
        }
        pool.shutdown()
    }
}
