// Owned, zero-initialised f32 buffers for the training model's weights, activations and gradients.

/// A fixed-size f32 buffer that owns its memory. Numeric code reads and writes `pointer` directly;
/// every buffer in the training model carries a shape comment where it is declared.
public final class TrainingTensor: @unchecked Sendable {
    /// Number of floats.
    public let count: Int
    /// The storage, `count` floats, 64-byte aligned.
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` floats set to zero.
    public init(count: Int) {
        precondition(count >= 0, "negative tensor size")
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
        self.count = count
    }

    /// Allocates a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit { pointer.deallocate() }

    /// Sets every element to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }

    /// The contents as an array (copies).
    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Overwrites the contents from `values` (same count).
    public func assign(_ values: [Float]) {
        precondition(values.count == count, "tensor size mismatch")
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }
}
