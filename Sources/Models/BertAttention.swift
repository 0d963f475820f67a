// Bidirectional multi-head self-attention over packed sequences (no padding rows), SIMD16.
// Vaswani et al. 2017, arXiv:1706.03762: softmax(Q Kᵀ / √d) V per head. Each sequence only sees
// its own tokens, which is exactly what BERT's additive padding mask computes for a padded batch.
import Foundation

/// Where one sequence's rows sit in a packed (N, ·) activation buffer.
struct PackedSequence: Sendable {
    var start: Int
    var count: Int
}

enum BertAttention {
    /// ctx (N, C) = attention of every (sequence, head) of qkv (N, 3C) (q | k | v, biases added).
    static func run(qkv: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>,
                    sequences: [PackedSequence], hidden: Int, heads: Int) {
        let d = hidden / heads
        let jobs = sequences.count * heads
        let work = sequences.reduce(0) { $0 + $1.count * $1.count } * heads * d
        let workers = work > 200_000 ? min(ProcessInfo.processInfo.activeProcessorCount, 2, jobs) : 1
        let maxCount = sequences.map(\.count).max() ?? 0
        let q = UncheckedPointer(qkv), out = UncheckedPointer(UnsafePointer(context))
        let body: @Sendable (Int) -> Void = { worker in
            var scratch = AttentionScratch(maxTokens: maxCount, headDimension: d)
            defer { scratch.free() }
            // Interleave jobs so both workers get long and short sequences.
            var job = worker
            while job < jobs {
                let sequence = sequences[job / heads], head = job % heads
                head1(qkv: q.pointer, context: UnsafeMutablePointer(mutating: out.pointer), sequence: sequence,
                      head: head, hidden: hidden, d: d, scratch: &scratch)
                job += workers
            }
        }
        if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
    }

    /// One head of one sequence.
    private static func head1(qkv: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>, sequence: PackedSequence,
                              head: Int, hidden: Int, d: Int, scratch: inout AttentionScratch) {
        let t = sequence.count
        let tp = (t + 15) & ~15
        let stride = 3 * hidden
        let base = qkv + sequence.start * stride + head * d
        let kt = scratch.keysT  // (d, tp)
        // Kᵀ, zero-padded to tp columns.
        for j in 0..<t {
            let k = base + j * stride + hidden
            for c in 0..<d { kt[c * tp + j] = k[c] }
        }
        for c in 0..<d { for j in t..<tp { kt[c * tp + j] = 0 } }
        let scale = 1 / Float(d).squareRoot()
        let scores = scratch.scores  // (4, tp)
        var i = 0
        while i < t {
            // A block of 4 query rows; past the end, repeat the last row and discard.
            let q0 = base + i * stride, q1 = base + min(i + 1, t - 1) * stride
            let q2 = base + min(i + 2, t - 1) * stride, q3 = base + min(i + 3, t - 1) * stride
            var jc = 0
            while jc < tp {
                var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
                for c in 0..<d {
                    let k = load(kt + c * tp + jc)
                    a0 += q0[c] * k
                    a1 += q1[c] * k
                    a2 += q2[c] * k
                    a3 += q3[c] * k
                }
                store(a0 * scale, scores + jc)
                store(a1 * scale, scores + tp + jc)
                store(a2 * scale, scores + 2 * tp + jc)
                store(a3 * scale, scores + 3 * tp + jc)
                jc += 16
            }
            let s0 = 1 / softmaxInPlace(scores, count: t, padded: tp)
            let s1 = 1 / softmaxInPlace(scores + tp, count: t, padded: tp)
            let s2 = 1 / softmaxInPlace(scores + 2 * tp, count: t, padded: tp)
            let s3 = 1 / softmaxInPlace(scores + 3 * tp, count: t, padded: tp)
            let valid = min(4, t - i)
            let o = context + (sequence.start + i) * hidden + head * d
            // out[r] = Σ_j p[r, j] v[j], 16 columns at a time.
            var c = 0
            while c < d {
                var o0 = SIMD16<Float>(), o1 = SIMD16<Float>(), o2 = SIMD16<Float>(), o3 = SIMD16<Float>()
                for j in 0..<t {
                    let v = load(base + j * stride + 2 * hidden + c)
                    o0 += scores[j] * v
                    o1 += scores[tp + j] * v
                    o2 += scores[2 * tp + j] * v
                    o3 += scores[3 * tp + j] * v
                }
                store(o0 * s0, o + c)
                if valid > 1 { store(o1 * s1, o + hidden + c) }
                if valid > 2 { store(o2 * s2, o + 2 * hidden + c) }
                if valid > 3 { store(o3 * s3, o + 3 * hidden + c) }
                c += 16
            }
            i += 4
        }
    }

    /// Replaces row[0..<count] with exp(row − max) (lanes past count with 0) and returns their sum.
    @inline(__always)
    private static func softmaxInPlace(_ row: UnsafeMutablePointer<Float>, count: Int, padded: Int) -> Float {
        var maximum = -Float.infinity
        for j in 0..<count where row[j] > maximum { maximum = row[j] }
        for j in count..<padded { row[j] = -Float.infinity }
        var sum = SIMD16<Float>()
        var j = 0
        while j < padded {
            let e = exp(load(row + j) - maximum)
            store(e, row + j)
            sum += e
            j += 16
        }
        for j in count..<padded { sum[j & 15] -= row[j]; row[j] = 0 }
        let a = sum.lowHalf + sum.highHalf, b = a.lowHalf + a.highHalf, h = b.lowHalf + b.highHalf
        return h[0] + h[1]
    }

    /// e^x for x ≤ 0 (Cody–Waite range reduction, degree-6 Taylor on |r| ≤ ln2/2; rel. error < 2e-7).
    @inline(__always)
    static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let x = x.clamped(lowerBound: SIMD16(repeating: -87), upperBound: SIMD16(repeating: 88))
        let shifter = SIMD16<Float>(repeating: 12_582_912)  // 1.5 · 2²³: adding it rounds to an integer
        let t = x * 1.442695040888963 + shifter
        let n = t - shifter
        let r = x - n * 0.693145751953125 - n * 1.428606765330187e-06
        var p = SIMD16<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let exponent = (t.bitPattern(as: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * SIMD16<Float>(bitPatternOf: exponent)
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }
    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }
    @inline(__always) static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }
}

/// Per-worker buffers for one (sequence, head).
private struct AttentionScratch {
    let keysT: UnsafeMutablePointer<Float>   // (d, tp)
    let scores: UnsafeMutablePointer<Float>  // (4, tp)

    init(maxTokens: Int, headDimension: Int) {
        let tp = max(16, (maxTokens + 15) & ~15)
        keysT = .allocate(capacity: headDimension * tp)
        scores = .allocate(capacity: 4 * tp)
    }

    func free() {
        keysT.deallocate()
        scores.deallocate()
    }
}

/// A pointer handed to worker threads that only read it, or write disjoint parts.
struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafePointer<Float>
    init(_ pointer: UnsafePointer<Float>) { self.pointer = pointer }
}

extension SIMD16 where Scalar == Float {
    @inline(__always) func bitPattern(as _: SIMD16<Int32>.Type) -> SIMD16<Int32> {
        unsafeBitCast(self, to: SIMD16<Int32>.self)
    }
    @inline(__always) init(bitPatternOf bits: SIMD16<Int32>) {
        self = unsafeBitCast(bits, to: SIMD16<Float>.self)
    }
}
