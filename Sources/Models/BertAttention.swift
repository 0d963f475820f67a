// Bidirectional multi-head self-attention over packed sequences (no padding rows), SIMD16.
// Vaswani et al. 2017, arXiv:1706.03762: softmax(Q Kᵀ / √d) V per head. Each sequence only sees
// its own tokens, which is exactly what BERT's additive padding mask computes for a padded batch.
import Foundation
import Kernels

/// Where one sequence's rows sit in a packed (N, ·) activation buffer.
struct PackedSequence: Sendable {
    var start: Int
    var count: Int
}

/// The buffers one attention call reads and writes.
struct AttentionBuffers: @unchecked Sendable {
    /// (N, 2C): query columns, then value columns (biases added).
    var queryValue: UnsafePointer<Float>
    /// (C, keyStride): keys transposed (bias added); keyStride ≥ N + 16, the 16 spare columns readable.
    var keysT: UnsafePointer<Float>
    var keyStride: Int
    /// (N, C) output, each (sequence, head) writing its own block.
    var context: UnsafeMutablePointer<Float>
}

enum BertAttention {
    /// Runs every (sequence, head), on up to `workers` threads when the work is large enough.
    static func run(_ buffers: AttentionBuffers, sequences: [PackedSequence], hidden: Int, heads: Int, workers: Int) {
        let d = hidden / heads
        let jobs = sequences.count * heads
        let work = sequences.reduce(0) { $0 + $1.count * $1.count } * heads * d
        let workers = work > 400_000 ? max(1, min(workers, jobs)) : 1
        let maxCount = sequences.map(\.count).max() ?? 0
        let body: @Sendable (Int) -> Void = { worker in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: 4 * max(16, (maxCount + 15) & ~15))  // (4, tp)
            defer { scores.deallocate() }
            var job = worker  // interleaved, so every worker gets long and short sequences
            while job < jobs {
                oneHead(buffers, sequence: sequences[job / heads], head: job % heads, hidden: hidden, d: d, scores: scores)
                job += workers
            }
        }
        if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
    }

    /// One head of one sequence: 4 query rows at a time, 16 keys at a time.
    private static func oneHead(_ buffers: AttentionBuffers, sequence: PackedSequence, head: Int, hidden: Int, d: Int,
                                scores: UnsafeMutablePointer<Float>) {
        let t = sequence.count
        let tp = (t + 15) & ~15
        let stride = 2 * hidden
        let queries = buffers.queryValue + sequence.start * stride + head * d          // row i at i·stride
        let values = queries + hidden                                                  // row j at j·stride
        let kt = buffers.keysT + head * d * buffers.keyStride + sequence.start         // (d, ·) row c at c·keyStride
        let ks = buffers.keyStride
        let scale = SIMD16<Float>(repeating: 1 / Float(d).squareRoot())
        var i = 0
        while i < t {
            // A block of 4 query rows; past the end, repeat the last row and discard.
            let q0 = queries + i * stride, q1 = queries + min(i + 1, t - 1) * stride
            let q2 = queries + min(i + 2, t - 1) * stride, q3 = queries + min(i + 3, t - 1) * stride
            var jc = 0
            while jc < tp {
                var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
                for c in 0..<d {
                    // addingProduct, not `+= *`: Swift does not contract to FMA on its own.
                    let k = load16(kt + c * ks + jc)
                    a0 = a0.addingProduct(SIMD16(repeating: q0[c]), k)
                    a1 = a1.addingProduct(SIMD16(repeating: q1[c]), k)
                    a2 = a2.addingProduct(SIMD16(repeating: q2[c]), k)
                    a3 = a3.addingProduct(SIMD16(repeating: q3[c]), k)
                }
                store16(a0 * scale, scores + jc)
                store16(a1 * scale, scores + tp + jc)
                store16(a2 * scale, scores + 2 * tp + jc)
                store16(a3 * scale, scores + 3 * tp + jc)
                jc += 16
            }
            let s0 = 1 / softmaxInPlace(scores, count: t, padded: tp)
            let s1 = 1 / softmaxInPlace(scores + tp, count: t, padded: tp)
            let s2 = 1 / softmaxInPlace(scores + 2 * tp, count: t, padded: tp)
            let s3 = 1 / softmaxInPlace(scores + 3 * tp, count: t, padded: tp)
            let valid = min(4, t - i)
            let o = buffers.context + (sequence.start + i) * hidden + head * d
            // out[r] = Σ_j p[r, j] v[j], 16 columns at a time.
            var c = 0
            while c < d {
                var o0 = SIMD16<Float>(), o1 = SIMD16<Float>(), o2 = SIMD16<Float>(), o3 = SIMD16<Float>()
                for j in 0..<t {
                    let v = load16(values + j * stride + c)
                    o0 = o0.addingProduct(SIMD16(repeating: scores[j]), v)
                    o1 = o1.addingProduct(SIMD16(repeating: scores[tp + j]), v)
                    o2 = o2.addingProduct(SIMD16(repeating: scores[2 * tp + j]), v)
                    o3 = o3.addingProduct(SIMD16(repeating: scores[3 * tp + j]), v)
                }
                store16(o0 * s0, o + c)
                if valid > 1 { store16(o1 * s1, o + hidden + c) }
                if valid > 2 { store16(o2 * s2, o + 2 * hidden + c) }
                if valid > 3 { store16(o3 * s3, o + 3 * hidden + c) }
                c += 16
            }
            i += 4
        }
    }

    /// Lane numbers 0…15, for masking the tail chunk.
    private static let lanes = SIMD16<Float>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

    /// Replaces row[0..<count] with exp(row − max) (lanes past count with 0) and returns their sum.
    @inline(__always)
    private static func softmaxInPlace(_ row: UnsafeMutablePointer<Float>, count: Int, padded: Int) -> Float {
        let tail = padded - 16  // start of the last chunk; its lanes ≥ count − tail are padding
        let padding = lanes .>= SIMD16(repeating: Float(count - tail))
        var last = load16(row + tail)
        last.replace(with: -.infinity, where: padding)
        store16(last, row + tail)
        var maxima = SIMD16<Float>(repeating: -.infinity)
        var j = 0
        while j < padded {
            // compare-and-blend: `pointwiseMax` compiled to a lane-by-lane loop here.
            let v = load16(row + j)
            maxima.replace(with: v, where: v .> maxima)
            j += 16
        }
        let shift = SIMD16<Float>(repeating: horizontalMax(maxima))
        var sum = SIMD16<Float>()
        j = 0
        while j < padded {
            var e = exp(load16(row + j) - shift)
            if j == tail { e.replace(with: 0, where: padding) }
            store16(e, row + j)
            sum += e
            j += 16
        }
        let a = sum.lowHalf + sum.highHalf, b = a.lowHalf + a.highHalf, h = b.lowHalf + b.highHalf
        return h[0] + h[1]
    }

    /// Largest lane, as a fixed tree: `max()` and lane loops compiled to per-lane stack traffic.
    @inline(__always)
    static func horizontalMax(_ v: SIMD16<Float>) -> Float {
        @inline(__always) func larger(_ a: Float, _ b: Float) -> Float { a > b ? a : b }
        let a = larger(larger(larger(v[0], v[1]), larger(v[2], v[3])), larger(larger(v[4], v[5]), larger(v[6], v[7])))
        let b = larger(larger(larger(v[8], v[9]), larger(v[10], v[11])), larger(larger(v[12], v[13]), larger(v[14], v[15])))
        return larger(a, b)
    }

    /// e^x (Cody–Waite range reduction, degree-6 Taylor on |r| ≤ ln2/2; rel. error < 3e-7).
    @inline(__always)
    static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // pointwiseMin/Max, not `clamped`: the generic one is not inlined (PERFORMANCE.md trap 2).
        let x = pointwiseMin(pointwiseMax(x, SIMD16(repeating: -87)), SIMD16(repeating: 88))
        let shifter = SIMD16<Float>(repeating: 12_582_912)  // 1.5 · 2²³: adding it rounds to an integer
        let t = shifter.addingProduct(x, SIMD16(repeating: 1.442695040888963))
        let n = t - shifter
        let r = x.addingProduct(n, SIMD16(repeating: -0.693145751953125)).addingProduct(n, SIMD16(repeating: -1.428606765330187e-06))
        var p = SIMD16<Float>(repeating: 1.0 / 720)
        p = SIMD16(repeating: 1.0 / 120).addingProduct(p, r)
        p = SIMD16(repeating: 1.0 / 24).addingProduct(p, r)
        p = SIMD16(repeating: 1.0 / 6).addingProduct(p, r)
        p = SIMD16(repeating: 0.5).addingProduct(p, r)
        p = SIMD16(repeating: 1).addingProduct(p, r)
        p = SIMD16(repeating: 1).addingProduct(p, r)
        let exponent = (unsafeBitCast(t, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(exponent, to: SIMD16<Float>.self)
    }
}
