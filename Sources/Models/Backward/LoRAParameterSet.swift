// Trainable LoRA parameters and their gradients in two flat buffers, so the optimiser and the
// checkpoint see one vector while each layer sees its own (A, B) pair.

/// LoRA parameters being trained: every pair's A (r, in) then B (out, r), back to back in `values`,
/// with gradients of the same layout in `gradients`.
public final class LoRAParameterSet: @unchecked Sendable {
    /// Where one pair lives in the flat buffers.
    public struct Slot: Sendable {
        public let key: LoRAKey
        public let inFeatures: Int
        public let outFeatures: Int
        /// Offset of A (r, in) in `values` / `gradients`.
        public let offsetA: Int
        /// Offset of B (out, r).
        public let offsetB: Int
    }

    public let rank: Int
    public let alpha: Float
    public let useRSLoRA: Bool
    /// Slots in (layer, projection) order.
    public let slots: [Slot]
    /// All parameters, flat.
    public let values: TrainingTensor
    /// ∂loss/∂values, same layout; the training model accumulates into it.
    public let gradients: TrainingTensor
    private let index: [LoRAKey: Int]

    /// The training-time multiplier of the LoRA branch (alpha/r, or alpha/√r with rsLoRA).
    public var scale: Float { useRSLoRA ? alpha / Float(rank).squareRoot() : alpha / Float(rank) }

    /// Copies `weights` into flat buffers; gradients start at zero.
    public init(weights: LoRAWeights) {
        rank = weights.rank
        alpha = weights.alpha
        useRSLoRA = weights.useRSLoRA
        let keys = weights.pairs.keys.sorted {
            ($0.layer, LoRAParameterSet.order($0.projection)) < ($1.layer, LoRAParameterSet.order($1.projection))
        }
        var slots: [Slot] = []
        var offset = 0
        for key in keys {
            let pair = weights.pairs[key]!  // key comes from the dictionary itself
            precondition(pair.rank == weights.rank, "every LoRA pair must have the adapter's rank")
            slots.append(Slot(key: key, inFeatures: pair.inFeatures, outFeatures: pair.outFeatures,
                              offsetA: offset, offsetB: offset + pair.a.count))
            offset += pair.a.count + pair.b.count
        }
        self.slots = slots
        let values = TrainingTensor(count: offset)
        self.values = values
        gradients = TrainingTensor(count: offset)
        var index: [LoRAKey: Int] = [:]
        for (i, slot) in slots.enumerated() {
            index[slot.key] = i
            let pair = weights.pairs[slot.key]!
            pair.a.withUnsafeBufferPointer { (values.pointer + slot.offsetA).update(from: $0.baseAddress!, count: $0.count) }
            pair.b.withUnsafeBufferPointer { (values.pointer + slot.offsetB).update(from: $0.baseAddress!, count: $0.count) }
        }
        self.index = index
    }

    /// The current values as `LoRAWeights` (copies).
    public var weights: LoRAWeights {
        var result = LoRAWeights(rank: rank, alpha: alpha, useRSLoRA: useRSLoRA)
        for slot in slots {
            let a = Array(UnsafeBufferPointer(start: values.pointer + slot.offsetA, count: rank * slot.inFeatures))
            let b = Array(UnsafeBufferPointer(start: values.pointer + slot.offsetB, count: slot.outFeatures * rank))
            result.pairs[slot.key] = LoRAPair(rank: rank, inFeatures: slot.inFeatures, outFeatures: slot.outFeatures, a: a, b: b)
        }
        return result
    }

    /// The slot for one projection of one layer, if the adapter targets it.
    public func slot(_ key: LoRAKey) -> Slot? { index[key].map { slots[$0] } }

    /// Number of trainable parameters.
    public var parameterCount: Int { values.count }

    func view(_ key: LoRAKey, outOffset: Int) -> LoRAView? {
        guard let slot = slot(key) else { return nil }
        return LoRAView(a: values.pointer + slot.offsetA, b: values.pointer + slot.offsetB,
                        gradA: gradients.pointer + slot.offsetA, gradB: gradients.pointer + slot.offsetB,
                        rank: rank, inFeatures: slot.inFeatures, outFeatures: slot.outFeatures,
                        scale: scale, outOffset: outOffset)
    }

    /// Position of a projection in the canonical order q, k, v, o, gate, up, down.
    public static func order(_ projection: LlamaProjection) -> Int {
        LlamaProjection.allCases.firstIndex(of: projection) ?? 0
    }
}
