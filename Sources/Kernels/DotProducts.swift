// SIMD dot products of one stored weight row with f32 activations, one per WeightFormat.
// Block formats as in ggml (ggml-common.h); nibble rows use the per-block sums of x so that
// Σ (q·d + m)·x = d·Σ q·x + m·Σ x costs one FMA chain per block.

/// Per-block sums of an activation vector (n / 32 of them), needed by the nibble formats.
/// - Parameters: x (n), sums (n / 32)
@inline(__always)
public func blockSums(_ x: UnsafePointer<Float>, count n: Int, into sums: UnsafeMutablePointer<Float>) {
    for b in 0..<(n / 32) {
        let v = load16(x + b * 32) + load16(x + b * 32 + 16)
        sums[b] = horizontalSum(v)
    }
}

/// Dot of one Q4_1 row (blocks × 20 bytes) with x (blocks × 32); `sums` from `blockSums`.
@inline(__always)
public func dotQ4_1(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>, blocks: Int) -> Float {
    var acc0 = SIMD16<Float>()
    var offsetSum: Float = 0
    for b in 0..<blocks {
        let p = row + b * 20
        let d = loadHalf(p), m = loadHalf(p, 2)
        let q = p.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self)
        let lo = toFloat(q & 0x0F), hi = toFloat(q &>> 4)
        let xs = x + b * 32
        let t = (lo * load16(xs)).addingProduct(hi, load16(xs + 16))
        acc0 = acc0.addingProduct(t, SIMD16(repeating: d))
        offsetSum += m * sums[b]
    }
    return horizontalSum(acc0) + offsetSum
}

/// Dot of one Q4_0 row (blocks × 18 bytes) with x; `sums` from `blockSums`.
@inline(__always)
public func dotQ4_0(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>, blocks: Int) -> Float {
    var acc0 = SIMD16<Float>()
    var offsetSum: Float = 0
    for b in 0..<blocks {
        let p = row + b * 18
        let d = loadHalf(p)
        let q = p.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
        let lo = toFloat(q & 0x0F), hi = toFloat(q &>> 4)
        let xs = x + b * 32
        let t = (lo * load16(xs)).addingProduct(hi, load16(xs + 16))
        acc0 = acc0.addingProduct(t, SIMD16(repeating: d))
        offsetSum -= 8 * d * sums[b]
    }
    return horizontalSum(acc0) + offsetSum
}

/// Dot of one Q8_0 row (blocks × 34 bytes) with x.
@inline(__always)
public func dotQ8_0(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, blocks: Int) -> Float {
    var acc0 = SIMD16<Float>()
    for b in 0..<blocks {
        let p = row + b * 34
        let d = SIMD16<Float>(repeating: loadHalf(p))
        let q0 = p.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int8>.self)
        let q1 = p.loadUnaligned(fromByteOffset: 18, as: SIMD16<Int8>.self)
        let xs = x + b * 32
        let t = (toFloat(q0) * load16(xs)).addingProduct(toFloat(q1), load16(xs + 16))
        acc0 = acc0.addingProduct(t, d)
    }
    return horizontalSum(acc0)
}

/// Dot of one F16 row with x (any length).
@inline(__always)
public func dotF16(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count n: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= n {
        let h = row.loadUnaligned(fromByteOffset: i * 2, as: SIMD16<UInt16>.self)
        acc = acc.addingProduct(toFloat(h), load16(x + i))
        i += 16
    }
    var tail: Float = 0
    while i < n {
        tail += loadHalf(row, i * 2) * x[i]
        i += 1
    }
    return horizontalSum(acc) + tail
}

/// Dot of one F32 row with x (any length).
@inline(__always)
public func dotF32(_ row: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count n: Int) -> Float {
    var acc0 = SIMD16<Float>(), acc1 = SIMD16<Float>()
    var i = 0
    while i + 32 <= n {
        acc0 = acc0.addingProduct(load16(row + i), load16(x + i))
        acc1 = acc1.addingProduct(load16(row + i + 16), load16(x + i + 16))
        i += 32
    }
    while i + 16 <= n {
        acc0 = acc0.addingProduct(load16(row + i), load16(x + i))
        i += 16
    }
    var tail: Float = 0
    while i < n {
        tail += row[i] * x[i]
        i += 1
    }
    return horizontalSum(acc0 + acc1) + tail
}

extension WeightMatrix {
    /// Dot of row `r` with x (columns); `sums` (columns / 32) from `blockSums` for Q4_0/Q4_1.
    @inline(__always)
    public func dot(row r: Int, _ x: UnsafePointer<Float>, sums: UnsafePointer<Float>) -> Float {
        let p = row(r)
        switch format {
        case .q4_1: return dotQ4_1(p, x, sums, blocks: columns / 32)
        case .q4_0: return dotQ4_0(p, x, sums, blocks: columns / 32)
        case .q8_0: return dotQ8_0(p, x, blocks: columns / 32)
        case .f16: return dotF16(p, x, count: columns)
        case .f32: return dotF32(p.assumingMemoryBound(to: Float.self), x, count: columns)
        }
    }
}
