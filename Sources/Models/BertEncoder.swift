// The BERT encoder forward pass over a packed batch of sequences, on OpenBLAS sgemm.
// Devlin et al. 2018, arXiv:1810.04805 (post-LayerNorm Transformer encoder, Vaswani et al. 2017).
// Sequences are packed back to back as one (N, C) matrix (N = total tokens, no padding rows), so
// every dense layer is one sgemm over the whole batch and attention runs per (sequence, head).
import Foundation
import Kernels
import ModelFiles

/// A BERT encoder producing mean-pooled sentence vectors.
public final class BertEncoder: Sendable {
    public let config: BertConfig
    let weights: BertWeights

    /// Loads weights from a safetensors file, checking every tensor's shape against `config`.
    public init(safetensors url: URL, config: BertConfig) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw BertError.missingFile(path: url.path) }
        let file: SafetensorsFile
        do { file = try SafetensorsFile(url: url) } catch let error as SafetensorsError {
            throw BertError.weights(error.description)
        }
        self.config = config
        weights = try BertWeights(file: file, config: config)
    }

    /// Mean-pooled (over each sequence's tokens) final hidden states, one C-vector per sequence,
    /// not normalised. Every id must be < vocabularySize and every sequence ≤ maxPositions long.
    /// Attention runs on up to `attentionThreads` threads; the matrix products on OpenBLAS's.
    public func pooledHiddenStates(_ batch: [[Int32]], attentionThreads: Int = 2) -> [[Float]] {
        let c = config.hiddenSize, f = config.intermediateSize
        var sequences: [PackedSequence] = []
        var n = 0
        for ids in batch {
            precondition(ids.count <= config.maxPositions, "sequence longer than the position table")
            sequences.append(PackedSequence(start: n, count: ids.count))
            n += ids.count
        }
        guard n > 0 else { return batch.map { _ in [Float](repeating: 0, count: c) } }
        let keyStride = n + 16
        let x = UnsafeMutablePointer<Float>.allocate(capacity: n * c)                 // (N, C) hidden state
        let queryValue = UnsafeMutablePointer<Float>.allocate(capacity: n * 2 * c)    // (N, 2C)
        let keysT = UnsafeMutablePointer<Float>.allocate(capacity: c * keyStride)     // (C, N + 16)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: n * c)           // (N, C)
        let ffn = UnsafeMutablePointer<Float>.allocate(capacity: n * f)               // (N, F)
        defer { x.deallocate(); queryValue.deallocate(); keysT.deallocate(); context.deallocate(); ffn.deallocate() }
        keysT.initialize(repeating: 0, count: c * keyStride)  // the spare columns are read (and masked)
        let buffers = LayerBuffers(x: x, queryValue: queryValue, keysT: keysT, keyStride: keyStride,
                                   context: context, ffn: ffn, n: n)

        embed(batch, into: x)
        for layer in weights.layers {
            forward(layer, buffers, sequences: sequences, attentionThreads: attentionThreads)
        }
        return sequences.map { sequence in
            var pooled = [Float](repeating: 0, count: c)
            for t in sequence.start..<(sequence.start + sequence.count) {
                let row = x + t * c
                for j in 0..<c { pooled[j] += row[j] }
            }
            let scale = 1 / Float(max(sequence.count, 1))
            for j in 0..<c { pooled[j] *= scale }
            return pooled
        }
    }

    /// x (N, C) = LN(word[id] + position[t] + type[0]).
    private func embed(_ batch: [[Int32]], into x: UnsafeMutablePointer<Float>) {
        let c = config.hiddenSize
        var row = 0
        weights.wordEmbeddings.withUnsafeBufferPointer { words in
            weights.positionEmbeddings.withUnsafeBufferPointer { positions in
                weights.tokenTypeEmbedding.withUnsafeBufferPointer { type in
                    for ids in batch {
                        for (t, id) in ids.enumerated() {
                            let out = x + row * c
                            let word = words.baseAddress! + Int(id) * c, position = positions.baseAddress! + t * c
                            for j in 0..<c { out[j] = word[j] + position[j] + type[j] }
                            row += 1
                        }
                    }
                }
            }
        }
        LayerNorm.apply(x, rows: row, width: c, gamma: weights.embeddingNormGamma,
                        beta: weights.embeddingNormBeta, epsilon: config.layerNormEpsilon)
    }

    /// One post-LN encoder layer, in place on x (N, C).
    private func forward(_ w: BertLayerWeights, _ b: LayerBuffers, sequences: [PackedSequence], attentionThreads: Int) {
        let c = config.hiddenSize, eps = config.layerNormEpsilon, n = b.n
        // q|v (N, 2C) = x · Wqv + b
        w.queryValue.apply(b.x, rows: n, into: b.queryValue)
        // Kᵀ (C, N) = (x · Wk + bk)ᵀ
        if n <= BertLinear.smallRowLimit {
            w.key.apply(b.x, rows: n, into: b.context)  // context is free until attention
            for j in 0..<n { for row in 0..<c { b.keysT[row * b.keyStride + j] = b.context[j * c + row] } }
        } else {
            w.key.weightT.withUnsafeBufferPointer { wk in
                BLAS.sgemm(transA: true, transB: true, m: c, n: n, k: c, a: wk.baseAddress!, lda: c,
                           b: b.x, ldb: c, c: b.keysT, ldc: b.keyStride)
            }
            for row in 0..<c {
                let keys = b.keysT + row * b.keyStride, bias = w.key.bias[row]
                for j in 0..<n { keys[j] += bias }
            }
        }
        // context (N, C) = per-head softmax(q kᵀ/√d) v
        BertAttention.run(AttentionBuffers(queryValue: b.queryValue, keysT: b.keysT, keyStride: b.keyStride, context: b.context),
                          sequences: sequences, hidden: c, heads: config.headCount, workers: attentionThreads)
        // x = LN(x + context · Wo + bo); q|v's first N·C floats are free scratch now.
        let projected = b.queryValue
        w.output.apply(b.context, rows: n, into: projected, addBias: false)
        LayerNorm.addApply(b.x, adding: projected, bias: w.output.bias, rows: n, width: c,
                           gamma: w.attentionNormGamma, beta: w.attentionNormBeta, epsilon: eps)
        // ffn (N, F) = gelu(x · W1 + b1)
        w.intermediate.apply(b.x, rows: n, into: b.ffn, addBias: false)
        GELU.addBiasApply(b.ffn, rows: n, width: config.intermediateSize, bias: w.intermediate.bias)
        // x = LN(x + ffn · W2 + b2)
        w.ffnOutput.apply(b.ffn, rows: n, into: projected, addBias: false)
        LayerNorm.addApply(b.x, adding: projected, bias: w.ffnOutput.bias, rows: n, width: c,
                           gamma: w.outputNormGamma, beta: w.outputNormBeta, epsilon: eps)
    }
}

/// The activation buffers of one forward pass.
private struct LayerBuffers {
    let x: UnsafeMutablePointer<Float>           // (N, C)
    let queryValue: UnsafeMutablePointer<Float>  // (N, 2C)
    let keysT: UnsafeMutablePointer<Float>       // (C, keyStride)
    let keyStride: Int
    let context: UnsafeMutablePointer<Float>     // (N, C)
    let ffn: UnsafeMutablePointer<Float>         // (N, F)
    let n: Int
}
