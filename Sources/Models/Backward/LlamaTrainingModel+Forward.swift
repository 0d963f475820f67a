// The training model's forward pass: reads top to bottom as a list of layer calls, saving what
// backward needs; the tied head and cross-entropy run fused at the end.
import Kernels

extension LlamaTrainingModel {
    /// Runs the model on `batch` and returns the summed cross-entropy (nats) over its target
    /// positions and their number. With `gradScale`, also prepares backward: ∂(gradScale · loss sum)
    /// flows into the LoRA gradients when `backward()` runs next.
    @discardableResult
    public func forward(_ batch: TrainingBatch, gradScale: Float? = nil) throws(TrainingModelError) -> (lossSum: Double, count: Int) {
        try validate(batch)
        // Every product runs on the pool's threads with single-threaded OpenBLAS (see PoolGEMM).
        return BLAS.singleThreaded { forwardValidated(batch, gradScale: gradScale) }
    }

    private func forwardValidated(_ batch: TrainingBatch, gradScale: Float?) -> (lossSum: Double, count: Int) {
        tokens = batch.tokens
        targets = batch.targets
        segmentStarts = batch.segmentStarts
        positions = batch.positions
        batchSize = batch.batchSize
        seqLen = batch.seqLen
        let n = batchSize * seqLen, c = config.dim, f = config.ffnDim, qd = config.qkvDim, kvd = config.kvDim
        let eps = config.normEps
        let shape = AttentionShape(batch: batchSize, seq: seqLen, heads: config.heads, kvHeads: config.kvHeads,
                                   headDim: config.headDim)
        EmbeddingLayer.forward(out: layerActivations[0].xIn.pointer, tokens: tokens, table: weights.tokenEmbedding.pointer,
                               n: n, c: c)
        for l in 0..<config.layers {
            let a = layerActivations[l], w = weights.layers[l]
            let out = l + 1 < config.layers ? layerActivations[l + 1].xIn.pointer : xFinal.pointer
            // attention block
            timed(.norms) {
                RMSNormLayer.forward(y: xNorm.pointer, x: a.xIn.pointer, weight: w.attentionNorm.pointer,
                                     rstd: a.rstdAttention.pointer, n: n, c: c, eps: eps, pool: pool)
            }
            linearForward(layer: l, [.q, .k, .v], y: a.qkv.pointer, ldy: qd, x: xNorm.pointer, w: w.qkv.pointer,
                          n: n, inFeatures: c, outFeatures: qd, activations: a)
            timed(.rope) {
                RoPELayer.apply(x: a.qkv.pointer, ld: qd, n: n, heads: config.heads, positions: positions, table: rope, inverse: false,
                                pool: pool)
                RoPELayer.apply(x: a.qkv.pointer + c, ld: qd, n: n, heads: config.kvHeads, positions: positions, table: rope,
                                inverse: false, pool: pool)
            }
            timed(.attentionForward) {
                AttentionLayer.forward(out: a.attention.pointer, ldo: c, q: a.qkv.pointer, ldq: qd, k: a.qkv.pointer + c,
                                       v: a.qkv.pointer + c + kvd, ldk: qd, segmentStart: segmentStarts, shape: shape,
                                       lse: a.attentionLSE.pointer, scratch: attentionScratch, pool: pool)
            }
            linearForward(layer: l, [.o], y: projected.pointer, ldy: c, x: a.attention.pointer, w: w.output.pointer,
                          n: n, inFeatures: c, outFeatures: c, activations: a)
            timed(.residual) {
                VectorMath.add(a.xIn.pointer, projected.pointer, into: a.xMid.pointer, rows: n, columns: c, pool: pool)
            }
            // feed-forward block
            timed(.norms) {
                RMSNormLayer.forward(y: xNorm.pointer, x: a.xMid.pointer, weight: w.ffnNorm.pointer,
                                     rstd: a.rstdFFN.pointer, n: n, c: c, eps: eps, pool: pool)
            }
            linearForward(layer: l, [.gate, .up], y: a.gateUp.pointer, ldy: 2 * f, x: xNorm.pointer, w: w.gateUp.pointer,
                          n: n, inFeatures: c, outFeatures: 2 * f, activations: a)
            timed(.swiGLU) { SwiGLULayer.forward(h: hidden.pointer, gu: a.gateUp.pointer, n: n, f: f, pool: pool) }
            linearForward(layer: l, [.down], y: projected.pointer, ldy: c, x: hidden.pointer, w: w.down.pointer,
                          n: n, inFeatures: f, outFeatures: c, activations: a)
            timed(.residual) {
                VectorMath.add(a.xMid.pointer, projected.pointer, into: out, rows: n, columns: c, pool: pool)
            }
        }
        RMSNormLayer.forward(y: xNorm.pointer, x: xFinal.pointer, weight: weights.outputNorm.pointer,
                             rstd: rstdFinal.pointer, n: n, c: c, eps: eps, pool: pool)
        let result = timed(.head) {
            OutputHeadLayer.forwardBackward(
                xf: xNorm.pointer, targets: targets, embedding: weights.tokenEmbedding.pointer, n: n, c: c,
                vocab: config.vocabSize, gradScale: gradScale ?? 0, dxf: gradScale == nil ? nil : dxNorm.pointer, scratch: head, pool: pool)
        }
        if gradScale != nil {
            dx.zero()
            RMSNormLayer.backward(dx: dx.pointer, dy: dxNorm.pointer, x: xFinal.pointer, weight: weights.outputNorm.pointer,
                                  rstd: rstdFinal.pointer, n: n, c: c, pool: pool)
        }
        return result
    }

    /// Base projection plus the LoRA branch of each targeted projection in the fused output.
    func linearForward(layer: Int, _ projections: [LlamaProjection], y: UnsafeMutablePointer<Float>, ldy: Int,
                       x: UnsafePointer<Float>, w: UnsafePointer<Float>, n: Int, inFeatures: Int, outFeatures: Int,
                       activations: LayerActivations) {
        timed(.frozenForward) {
            LinearLayer.forward(y: y, ldy: ldy, x: x, w: w, n: n, inFeatures: inFeatures, outFeatures: outFeatures, pool: pool)
        }
        timed(.loraForward) {
            for projection in projections {
                guard let view = loraView(layer: layer, projection), let xa = activations.loraXA[projection] else { continue }
                let xl = dropout > 0 ? dropped(x, count: n * inFeatures, layer: layer, projection) : x
                LinearLayer.loraForward(y: y, ldy: ldy, xl: xl, lora: view, xa: xa.pointer, n: n, pool: pool)
            }
        }
    }

    /// dropInput = x ⊙ mask / (1 − p), the mask a pure function of (dropoutSeed, layer, projection, index).
    func dropped(_ x: UnsafePointer<Float>, count: Int, layer: Int, _ projection: LlamaProjection) -> UnsafePointer<Float> {
        let keep = 1 / (1 - dropout)
        let base = dropoutBase(layer: layer, projection)
        let out = dropInput.pointer
        // Index ranges on the pool: each mask bit depends on its index alone.
        SwiGLULayer.rows(count, pool) { range in
            for i in range { out[i] = keepsUnit(base, i) ? x[i] * keep : 0 }
        }
        return UnsafePointer(out)
    }

    @inline(__always)
    func dropoutBase(layer: Int, _ projection: LlamaProjection) -> UInt64 {
        SplitMix64.mix(dropoutSeed ^ (UInt64(layer * 8 + LoRAParameterSet.order(projection) + 1) << 40))
    }

    @inline(__always)
    func keepsUnit(_ base: UInt64, _ index: Int) -> Bool {
        Float(SplitMix64.mix(base &+ UInt64(index)) >> 40) / Float(1 << 24) >= dropout
    }
}
