// The training model's backward pass: the forward's layer calls in reverse. Base weights are
// frozen, so each linear layer computes only its input gradient and its LoRA gradients.
import Kernels

extension LlamaTrainingModel {
    /// Accumulates ∂(gradScale · loss sum)/∂LoRA into `lora.gradients` for the batch of the last
    /// `forward(_:gradScale:)` call. The caller zeroes the gradients between optimiser steps.
    public func backward() {
        // Every product runs on the pool's threads with single-threaded OpenBLAS (see PoolGEMM).
        BLAS.singleThreaded { backwardLayers() }
    }

    private func backwardLayers() {
        let n = batchSize * seqLen, c = config.dim, f = config.ffnDim, qd = config.qkvDim, kvd = config.kvDim
        let shape = AttentionShape(batch: batchSize, seq: seqLen, heads: config.heads, kvHeads: config.kvHeads,
                                   headDim: config.headDim)
        // dx (N, C) holds ∂loss/∂(output of the last block), from the head.
        for l in stride(from: config.layers - 1, through: 0, by: -1) {
            let a = layerActivations[l], w = weights.layers[l]
            // feed-forward block
            // The normed input is only read by gate|up LoRA gradients.
            if a.loraXA[.gate] != nil || a.loraXA[.up] != nil {
                RMSNormLayer.recompute(y: xNorm.pointer, x: a.xMid.pointer, weight: w.ffnNorm.pointer,
                                       rstd: a.rstdFFN.pointer, n: n, c: c, pool: pool)
            }
            if a.loraXA[.down] != nil { SwiGLULayer.forward(h: hidden.pointer, gu: a.gateUp.pointer, n: n, f: f, pool: pool) }
            linearBackward(layer: l, [.down], dx: dHidden.pointer, dy: dx.pointer, ldy: c, x: hidden.pointer,
                           w: w.down.pointer, n: n, inFeatures: f, outFeatures: c, activations: a)
            timed(.swiGLU) {
                SwiGLULayer.backward(dgu: a.gateUp.pointer, dh: dHidden.pointer, gu: a.gateUp.pointer, n: n, f: f, pool: pool)
            }
            linearBackward(layer: l, [.gate, .up], dx: dxNorm.pointer, dy: a.gateUp.pointer, ldy: 2 * f, x: xNorm.pointer,
                           w: w.gateUp.pointer, n: n, inFeatures: c, outFeatures: 2 * f, activations: a)
            timed(.norms) {
                RMSNormLayer.backward(dx: dx.pointer, dy: dxNorm.pointer, x: a.xMid.pointer, weight: w.ffnNorm.pointer,
                                      rstd: a.rstdFFN.pointer, n: n, c: c, pool: pool)
            }
            // attention block; dx now holds ∂loss/∂xMid, and dxNorm receives ∂loss/∂attention
            linearBackward(layer: l, [.o], dx: dxNorm.pointer, dy: dx.pointer, ldy: c, x: a.attention.pointer,
                           w: w.output.pointer, n: n, inFeatures: c, outFeatures: c, activations: a)
            timed(.attentionBackward) {
                AttentionLayer.backward(dq: dqkv.pointer, dk: dqkv.pointer + c, dv: dqkv.pointer + c + kvd,
                                        dOut: dxNorm.pointer, ldo: c, q: a.qkv.pointer, ldq: qd, k: a.qkv.pointer + c,
                                        v: a.qkv.pointer + c + kvd, ldk: qd, segmentStart: segmentStarts, shape: shape,
                                        lse: a.attentionLSE.pointer, scratch: attentionScratch, pool: pool)
            }
            timed(.rope) {
                RoPELayer.apply(x: dqkv.pointer, ld: qd, n: n, heads: config.heads, positions: positions, table: rope, inverse: true, pool: pool)
                RoPELayer.apply(x: dqkv.pointer + c, ld: qd, n: n, heads: config.kvHeads, positions: positions, table: rope,
                                inverse: true, pool: pool)
            }
            if a.loraXA[.q] != nil || a.loraXA[.k] != nil || a.loraXA[.v] != nil {
                RMSNormLayer.recompute(y: xNorm.pointer, x: a.xIn.pointer, weight: w.attentionNorm.pointer,
                                       rstd: a.rstdAttention.pointer, n: n, c: c, pool: pool)
            }
            // The embedding is frozen: block 0 needs no gradient below its q|k|v LoRA.
            let needsInput = l > 0
            linearBackward(layer: l, [.q, .k, .v], dx: needsInput ? dxNorm.pointer : nil, dy: dqkv.pointer, ldy: qd,
                           x: xNorm.pointer, w: w.qkv.pointer, n: n, inFeatures: c, outFeatures: qd, activations: a)
            if needsInput {
                timed(.norms) {
                    RMSNormLayer.backward(dx: dx.pointer, dy: dxNorm.pointer, x: a.xIn.pointer, weight: w.attentionNorm.pointer,
                                          rstd: a.rstdAttention.pointer, n: n, c: c, pool: pool)
                }
            }
        }
    }

    /// Runs forward and backward; returns the loss sum and target count of the batch.
    @discardableResult
    public func accumulateGradients(_ batch: TrainingBatch, gradScale: Float) throws(TrainingModelError) -> (lossSum: Double, count: Int) {
        let result = try forward(batch, gradScale: gradScale)
        backward()
        return result
    }

    /// dx (N, in) = dy · W (when dx is given) plus each targeted projection's LoRA input gradient;
    /// LoRA parameter gradients accumulate into `lora.gradients`.
    func linearBackward(layer: Int, _ projections: [LlamaProjection], dx: UnsafeMutablePointer<Float>?,
                        dy: UnsafePointer<Float>, ldy: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                        n: Int, inFeatures: Int, outFeatures: Int, activations: LayerActivations) {
        if let dx {
            timed(.frozenBackward) {
                LinearLayer.backward(dx: dx, dy: dy, ldy: ldy, w: w, n: n, inFeatures: inFeatures, outFeatures: outFeatures,
                                     accumulate: false, pool: pool)
            }
        }
        timed(.loraBackward) {
            for projection in projections {
                guard let view = loraView(layer: layer, projection), let xa = activations.loraXA[projection] else { continue }
                if dropout > 0 {
                    let xl = dropped(x, count: n * inFeatures, layer: layer, projection)
                    let count = n * inFeatures
                    if dx != nil { dropGrad.pointer.update(repeating: 0, count: count) }
                    LinearLayer.loraBackward(dxl: dx == nil ? nil : dropGrad.pointer, dy: dy, ldy: ldy, xl: xl, xa: xa.pointer,
                                             lora: view, scratch: loraScratch.pointer, n: n, pool: pool)
                    if let dx {
                        let keep = 1 / (1 - dropout)
                        let base = dropoutBase(layer: layer, projection)
                        let grad = dropGrad.pointer
                        SwiGLULayer.rows(count, pool) { range in
                            for i in range where keepsUnit(base, i) { dx[i] += grad[i] * keep }
                        }
                    }
                } else {
                    LinearLayer.loraBackward(dxl: dx, dy: dy, ldy: ldy, xl: x, xa: xa.pointer, lora: view,
                                             scratch: loraScratch.pointer, n: n, pool: pool)
                }
            }
        }
    }
}
