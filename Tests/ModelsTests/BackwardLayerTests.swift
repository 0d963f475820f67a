// Finite-difference checks of every training layer's backward with respect to its input
// (and, for the linear layer, its LoRA parameters). Central differences in f32, eps = 1e-2 on
// O(1) inputs; tolerance: relative L2 error ≤ 1e-2 and max abs error ≤ 2e-2 · max |gradient|.
import Kernels
import Foundation
import Testing
@testable import Models

@Suite("Backward layers: finite differences")
struct BackwardLayerTests {
    static let eps: Float = 1e-2
    static let pool = WorkerPool(threads: 2)

    func expectClose(_ c: GradientComparison, _ what: String) {
        #expect(c.count > 0, "\(what): nothing compared")
        #expect(c.maxAbsAnalytic > 0, "\(what): analytic gradient is all zero")
        #expect(c.relativeError <= 1e-2, "\(what): relative error \(c.relativeError)")
        #expect(c.maxAbsError <= 2e-2 * c.maxAbsAnalytic, "\(what): max abs error \(c.maxAbsError) of \(c.maxAbsAnalytic)")
    }

    @Test func rmsNorm() {
        let n = 3, c = 20
        let x = randomTensor(n * c, seed: 1), w = randomTensor(c, seed: 2), r = randomTensor(n * c, seed: 3)
        let y = TrainingTensor(count: n * c), rstd = TrainingTensor(count: n), dx = TrainingTensor(count: n * c)
        func loss() -> Double {
            RMSNormLayer.forward(y: y.pointer, x: x.pointer, weight: w.pointer, rstd: rstd.pointer, n: n, c: c, eps: 1e-5)
            return projectedLoss(y.pointer, r.pointer, n * c)
        }
        _ = loss()
        RMSNormLayer.backward(dx: dx.pointer, dy: r.pointer, x: x.pointer, weight: w.pointer, rstd: rstd.pointer, n: n, c: c)
        let fd = FiniteDifference.gradient(of: x.pointer, count: n * c, eps: Self.eps, loss: loss)
        expectClose(FiniteDifference.compare(dx.array, fd), "RMSNorm dx")
    }

    @Test func rope() {
        let n = 5, heads = 2, hd = 8, ld = heads * hd + 3
        let x = randomTensor(n * ld, seed: 4), r = randomTensor(n * ld, seed: 5)
        let table = RoPETable(headDim: hd, maxPositions: 16, base: 10_000)
        let positions: [Int32] = [0, 3, 7, 1, 15]
        let work = TrainingTensor(count: n * ld)
        func loss() -> Double {
            work.pointer.update(from: x.pointer, count: n * ld)
            RoPELayer.apply(x: work.pointer, ld: ld, n: n, heads: heads, positions: positions, table: table, inverse: false)
            return projectedLoss(work.pointer, r.pointer, n * ld)
        }
        let dx = TrainingTensor(r.array)
        RoPELayer.apply(x: dx.pointer, ld: ld, n: n, heads: heads, positions: positions, table: table, inverse: true)
        let fd = FiniteDifference.gradient(of: x.pointer, count: n * ld, eps: Self.eps, loss: loss)
        // Columns past heads·hd are not rotated: their gradient is r itself.
        expectClose(FiniteDifference.compare(dx.array, fd), "RoPE dx")
    }

    /// Block sizes: one block (the whole row), and blocks of 2 and 4 rows, so causal blocks that
    /// start inside the second packed example and blocks that straddle it are both exercised.
    @Test(arguments: [64, 2, 4])
    func attentionGroupedCausalWithSegments(blockRows: Int) {
        let shape = AttentionShape(batch: 2, seq: 6, heads: 4, kvHeads: 2, headDim: 4, blockRows: blockRows)
        let n = shape.batch * shape.seq
        let ldq = 4 * 4 + 2 * 2 * 4  // fused q|k|v row
        let qkv = randomTensor(n * ldq, seed: 6)
        let r = randomTensor(n * 16, seed: 7)
        // Row 0 is one example; row 1 packs two (the second starts at t = 2).
        let starts: [Int32] = [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2]
        let out = TrainingTensor(count: n * 16), scratch = AttentionScratch(threads: 2, seq: 6, headDim: 4)
        let lse = TrainingTensor(count: n * shape.heads)
        func loss() -> Double {
            AttentionLayer.forward(out: out.pointer, ldo: 16, q: qkv.pointer, ldq: ldq, k: qkv.pointer + 16,
                                   v: qkv.pointer + 24, ldk: ldq, segmentStart: starts, shape: shape, lse: lse.pointer, scratch: scratch, pool: Self.pool)
            return projectedLoss(out.pointer, r.pointer, n * 16)
        }
        _ = loss()
        let d = TrainingTensor(count: n * ldq)
        AttentionLayer.backward(dq: d.pointer, dk: d.pointer + 16, dv: d.pointer + 24, dOut: r.pointer, ldo: 16,
                                q: qkv.pointer, ldq: ldq, k: qkv.pointer + 16, v: qkv.pointer + 24, ldk: ldq,
                                segmentStart: starts, shape: shape, lse: lse.pointer, scratch: scratch, pool: Self.pool)
        let fd = FiniteDifference.gradient(of: qkv.pointer, count: n * ldq, eps: Self.eps, loss: loss)
        expectClose(FiniteDifference.compare(d.array, fd), "attention dq|dk|dv")
        // The mask holds: the first token of the second example ignores the first example.
        let before = out.array
        qkv.pointer[(6 + 0) * ldq + 24] += 5  // v of row 1, t = 0 (first example)
        _ = loss()
        for i in 0..<16 { #expect(out.pointer[(6 + 2) * 16 + i] == before[(6 + 2) * 16 + i]) }
    }

    @Test func swiGLU() {
        let n = 3, f = 7
        let gu = randomTensor(n * 2 * f, seed: 8, scale: 3), r = randomTensor(n * f, seed: 9)
        let h = TrainingTensor(count: n * f), d = TrainingTensor(count: n * 2 * f)
        func loss() -> Double {
            SwiGLULayer.forward(h: h.pointer, gu: gu.pointer, n: n, f: f)
            return projectedLoss(h.pointer, r.pointer, n * f)
        }
        SwiGLULayer.backward(dgu: d.pointer, dh: r.pointer, gu: gu.pointer, n: n, f: f)
        let fd = FiniteDifference.gradient(of: gu.pointer, count: n * 2 * f, eps: Self.eps, loss: loss)
        expectClose(FiniteDifference.compare(d.array, fd), "SwiGLU dgate|dup")
    }

    /// The training model writes the gradient over the saved pre-activations: in place must equal
    /// out of place, in the 16-lane body and the scalar tail (F = 37).
    @Test func swiGLUBackwardInPlace() {
        let n = 3, f = 37
        let gu = randomTensor(n * 2 * f, seed: 15, scale: 3), dh = randomTensor(n * f, seed: 16)
        let separate = TrainingTensor(count: n * 2 * f), inPlace = TrainingTensor(gu.array)
        SwiGLULayer.backward(dgu: separate.pointer, dh: dh.pointer, gu: gu.pointer, n: n, f: f)
        SwiGLULayer.backward(dgu: inPlace.pointer, dh: dh.pointer, gu: inPlace.pointer, n: n, f: f)
        #expect(inPlace.array == separate.array)
    }

    @Test func linearWithLoRA() {
        let n = 4, inF = 6, outF = 10, rank = 3, ldy = outF + 5, offset = 5
        let x = randomTensor(n * inF, seed: 10), w = randomTensor(outF * inF, seed: 11)
        let a = randomTensor(rank * inF, seed: 12), b = randomTensor(outF * rank, seed: 13)
        let ga = TrainingTensor(count: rank * inF), gb = TrainingTensor(count: outF * rank)
        let view = LoRAView(a: a.pointer, b: b.pointer, gradA: ga.pointer, gradB: gb.pointer, rank: rank,
                            inFeatures: inF, outFeatures: outF, scale: 1.5, outOffset: offset)
        let r = randomTensor(n * ldy, seed: 14)
        let y = TrainingTensor(count: n * ldy), xa = TrainingTensor(count: n * rank), t = TrainingTensor(count: n * rank)
        func loss() -> Double {
            y.zero()
            LinearLayer.forward(y: y.pointer + offset, ldy: ldy, x: x.pointer, w: w.pointer, n: n, inFeatures: inF, outFeatures: outF)
            LinearLayer.loraForward(y: y.pointer, ldy: ldy, xl: x.pointer, lora: view, xa: xa.pointer, n: n)
            return projectedLoss(y.pointer, r.pointer, n * ldy)
        }
        _ = loss()
        let dx = TrainingTensor(count: n * inF)
        LinearLayer.backward(dx: dx.pointer, dy: r.pointer + offset, ldy: ldy, w: w.pointer, n: n, inFeatures: inF,
                             outFeatures: outF, accumulate: false)
        LinearLayer.loraBackward(dxl: dx.pointer, dy: r.pointer, ldy: ldy, xl: x.pointer, xa: xa.pointer, lora: view,
                                 scratch: t.pointer, n: n)
        expectClose(FiniteDifference.compare(dx.array, FiniteDifference.gradient(of: x.pointer, count: n * inF, eps: Self.eps, loss: loss)), "linear dx")
        expectClose(FiniteDifference.compare(ga.array, FiniteDifference.gradient(of: a.pointer, count: rank * inF, eps: Self.eps, loss: loss)), "LoRA dA")
        expectClose(FiniteDifference.compare(gb.array, FiniteDifference.gradient(of: b.pointer, count: outF * rank, eps: Self.eps, loss: loss)), "LoRA dB")
    }

    /// 2 rows a chunk (chunking); one tile per lane, or tiles of 7 (the running maximum and the
    /// accumulator are rescaled across tiles); one lane, or two splitting the vocabulary.
    @Test(arguments: [(1, 512), (1, 7), (2, 7)])
    func outputHeadCrossEntropy(lanes: Int, tile: Int) {
        let n = 5, c = 8, vocab = 40
        let x = randomTensor(n * c, seed: 15, scale: 2), e = randomTensor(vocab * c, seed: 16)
        let targets: [Int32] = [3, -1, 39, 0, 17]
        let scratch = OutputHeadScratch(rows: 2, vocab: vocab, dim: c, slots: lanes, tile: tile)
        let dx = TrainingTensor(count: n * c)
        func loss() -> Double {
            OutputHeadLayer.forwardBackward(xf: x.pointer, targets: targets, embedding: e.pointer, n: n, c: c, vocab: vocab,
                                            gradScale: 0, dxf: nil, scratch: scratch).lossSum
        }
        let result = OutputHeadLayer.forwardBackward(xf: x.pointer, targets: targets, embedding: e.pointer, n: n, c: c,
                                                     vocab: vocab, gradScale: 1, dxf: dx.pointer, scratch: scratch)
        #expect(result.count == 4)
        // The loss itself against a direct logsumexp over all logits, in double precision.
        var reference = 0.0
        for (row, target) in targets.enumerated() where target >= 0 {
            let logits = (0..<vocab).map { v in (0..<c).reduce(0.0) { $0 + Double(x.pointer[row * c + $1]) * Double(e.pointer[v * c + $1]) } }
            let top = logits.max() ?? 0
            reference += top + log(logits.reduce(0.0) { $0 + exp($1 - top) }) - logits[Int(target)]
        }
        #expect(abs(result.lossSum - reference) <= 1e-5 * abs(reference), "loss \(result.lossSum) vs \(reference)")
        expectClose(FiniteDifference.compare(dx.array, FiniteDifference.gradient(of: x.pointer, count: n * c, eps: Self.eps, loss: loss)), "head dx")
        for i in 0..<c { #expect(dx.pointer[1 * c + i] == 0) }
    }

    @Test func embedding() {
        let n = 4, c = 3, vocab = 6
        let table = randomTensor(vocab * c, seed: 17), r = randomTensor(n * c, seed: 18)
        let tokens: [Int32] = [2, 5, 2, 0]
        let out = TrainingTensor(count: n * c), d = TrainingTensor(count: vocab * c)
        func loss() -> Double {
            EmbeddingLayer.forward(out: out.pointer, tokens: tokens, table: table.pointer, n: n, c: c)
            return projectedLoss(out.pointer, r.pointer, n * c)
        }
        EmbeddingLayer.backward(dTable: d.pointer, dOut: r.pointer, tokens: tokens, n: n, c: c)
        expectClose(FiniteDifference.compare(d.array, FiniteDifference.gradient(of: table.pointer, count: vocab * c, eps: Self.eps, loss: loss)), "embedding dTable")
    }
}
