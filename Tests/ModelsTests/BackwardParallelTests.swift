// The training layers' parallel paths give the serial results: products split over the pool,
// causal attention blocks of any size, and output-head chunks on several threads.
import Kernels
import Testing
@testable import Models

@Suite("Backward layers: parallel paths equal serial ones")
struct BackwardParallelTests {
    static let pool = WorkerPool(threads: 2)

    static func maxRelativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        let scale = max(1e-6, a.map(abs).max() ?? 0)
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    /// Row splits (m ≥ n) and column splits (m small, or n > m), every transpose combination, β = 0 and 1.
    @Test(arguments: [(150, 40, 17), (6, 200, 33), (70, 300, 9)], [false, true])
    func splitProductsEqualOneCall(shape: (Int, Int, Int), transposed: Bool) {
        let (m, n, k) = shape
        let a = randomTensor(m * k, seed: 21), b = randomTensor(n * k, seed: 22), start = randomTensor(m * n, seed: 23)
        let lda = transposed ? m : k, ldb = transposed ? n : k
        for beta: Float in [0, 1] {
            let serial = TrainingTensor(start.array), split = TrainingTensor(start.array)
            BLAS.sgemm(transA: transposed, transB: !transposed, m: m, n: n, k: k, alpha: 0.5, a: a.pointer, lda: lda,
                       b: b.pointer, ldb: ldb, beta: beta, c: serial.pointer, ldc: n)
            BLAS.singleThreaded {
                PoolGEMM.sgemm(transA: transposed, transB: !transposed, m: m, n: n, k: k, alpha: 0.5, a: a.pointer, lda: lda,
                               b: b.pointer, ldb: ldb, beta: beta, c: split.pointer, ldc: n, pool: Self.pool)
            }
            #expect(Self.maxRelativeDifference(serial.array, split.array) <= 1e-5, "\(m)×\(n)×\(k) β \(beta)")
            #expect(split.array != start.array)
        }
    }

    @Test func attentionBlocksMatchWholeRows() {
        let shape = AttentionShape(batch: 3, seq: 37, heads: 4, kvHeads: 2, headDim: 16)
        let n = shape.batch * shape.seq, ldq = 4 * 16 + 2 * 2 * 16, ldo = 4 * 16
        let qkv = randomTensor(n * ldq, seed: 24, scale: 2), dOut = randomTensor(n * ldo, seed: 25)
        // Row 0 one example, row 1 two (second from t = 11), row 2 three (from t = 5 and t = 30).
        var starts = [Int32](repeating: 0, count: n)
        for t in 0..<37 {
            starts[37 + t] = t < 11 ? 0 : 11
            starts[74 + t] = t < 5 ? 0 : (t < 30 ? 5 : 30)
        }
        let scratch = AttentionScratch(threads: 2, seq: 37, headDim: 16)
        let lse = TrainingTensor(count: n * shape.heads)
        func run(_ blockRows: Int) -> (out: [Float], grad: [Float]) {
            var s = shape
            s.blockRows = blockRows
            let out = TrainingTensor(count: n * ldo), grad = TrainingTensor(count: n * ldq)
            AttentionLayer.forward(out: out.pointer, ldo: ldo, q: qkv.pointer, ldq: ldq, k: qkv.pointer + 64,
                                   v: qkv.pointer + 96, ldk: ldq, segmentStart: starts, shape: s,
                                   lse: lse.pointer, scratch: scratch, pool: Self.pool)
            AttentionLayer.backward(dq: grad.pointer, dk: grad.pointer + 64, dv: grad.pointer + 96, dOut: dOut.pointer, ldo: ldo,
                                    q: qkv.pointer, ldq: ldq, k: qkv.pointer + 64, v: qkv.pointer + 96, ldk: ldq,
                                    segmentStart: starts, shape: s, lse: lse.pointer, scratch: scratch, pool: Self.pool)
            return (out.array, grad.array)
        }
        let whole = run(37)
        for blockRows in [1, 8, 16] {
            let blocked = run(blockRows)
            #expect(Self.maxRelativeDifference(whole.out, blocked.out) <= 1e-5, "out, blocks of \(blockRows)")
            #expect(Self.maxRelativeDifference(whole.grad, blocked.grad) <= 1e-5, "gradients, blocks of \(blockRows)")
        }
    }

    @Test func headChunksOnThreadsMatchSerial() {
        let n = 23, c = 16, vocab = 70
        let x = randomTensor(n * c, seed: 26, scale: 2), e = randomTensor(vocab * c, seed: 27)
        let targets: [Int32] = (0..<n).map { $0 % 5 == 1 ? -1 : Int32(($0 * 7) % vocab) }
        let serialScratch = OutputHeadScratch(rows: 4, vocab: vocab, dim: c)
        let parallelScratch = OutputHeadScratch(rows: 4, vocab: vocab, dim: c, slots: 2)
        let dxSerial = TrainingTensor(count: n * c), dxParallel = TrainingTensor(count: n * c)
        let serial = OutputHeadLayer.forwardBackward(xf: x.pointer, targets: targets, embedding: e.pointer, n: n, c: c,
                                                     vocab: vocab, gradScale: 0.1, dxf: dxSerial.pointer, scratch: serialScratch)
        let parallel = OutputHeadLayer.forwardBackward(xf: x.pointer, targets: targets, embedding: e.pointer, n: n, c: c,
                                                       vocab: vocab, gradScale: 0.1, dxf: dxParallel.pointer,
                                                       scratch: parallelScratch, pool: Self.pool)
        #expect(serial.count == 18 && parallel.count == 18)
        #expect(abs(serial.lossSum - parallel.lossSum) <= 1e-5 * abs(serial.lossSum))
        // Two lanes split the vocabulary (0..<32, 32..<70): their input gradients merge to the serial one.
        #expect(parallelScratch.lanes.map(\.vocabStart) == [0, 32])
        #expect(serial.lossSum > 0)
        #expect(Self.maxRelativeDifference(dxSerial.array, dxParallel.array) <= 1e-5)
        // Rows without a target get no gradient.
        for i in 0..<c { #expect(dxParallel.pointer[1 * c + i] == 0) }
    }
}
