// The per-sequence key/value cache: f32 rows per position for every layer, grown on demand.
import Kernels

/// Keys and values of every layer for positions 0..<count, in the layout of `KVView`.
final class LlamaKVCache {
    let layers: Int
    let rowWidth: Int
    private(set) var capacity: Int
    private var keys: [UnsafeMutablePointer<Float>]    // layers × (rowWidth, capacity), transposed
    private var values: [UnsafeMutablePointer<Float>]  // layers × (capacity, rowWidth)

    init(layers: Int, rowWidth: Int, capacity: Int) {
        self.layers = layers
        self.rowWidth = rowWidth
        self.capacity = max(1, capacity)
        keys = (0..<layers).map { _ in .allocate(capacity: max(1, capacity) * rowWidth) }
        values = (0..<layers).map { _ in .allocate(capacity: max(1, capacity) * rowWidth) }
    }

    deinit {
        for p in keys { p.deallocate() }
        for p in values { p.deallocate() }
    }

    /// Makes room for `needed` positions, keeping the first `keep`.
    func reserve(_ needed: Int, keep: Int) {
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        for l in 0..<layers {
            let freshKeys = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity * rowWidth)
            for j in 0..<rowWidth { (freshKeys + j * newCapacity).update(from: keys[l] + j * capacity, count: keep) }
            keys[l].deallocate()
            keys[l] = freshKeys
            let freshValues = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity * rowWidth)
            freshValues.update(from: values[l], count: keep * rowWidth)
            values[l].deallocate()
            values[l] = freshValues
        }
        capacity = newCapacity
    }

    func view(layer: Int, kvHeads: Int, headDim: Int) -> KVView {
        KVView(keys: keys[layer], values: values[layer], kvHeads: kvHeads, headDim: headDim, capacity: capacity)
    }

    /// Bytes held.
    var byteCount: Int { 2 * layers * capacity * rowWidth * MemoryLayout<Float>.size }
}
