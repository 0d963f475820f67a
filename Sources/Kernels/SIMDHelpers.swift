// Small always-inlined SIMD helpers: lane conversions, horizontal sums, unaligned loads.
// The generic standard-library conversions are not always inlined (PERFORMANCE.md, trap 2);
// these per-lane loops compile to single vector instructions with a target CPU.

@inline(__always)
func toFloat(_ v: SIMD16<UInt8>) -> SIMD16<Float> {
    var r = SIMD16<Float>()
    for i in 0..<16 { r[i] = Float(v[i]) }
    return r
}

@inline(__always)
func toFloat(_ v: SIMD16<Int8>) -> SIMD16<Float> {
    var r = SIMD16<Float>()
    for i in 0..<16 { r[i] = Float(v[i]) }
    return r
}

@inline(__always)
func toFloat(_ v: SIMD16<Float16>) -> SIMD16<Float> {
    var r = SIMD16<Float>()
    for i in 0..<16 { r[i] = Float(v[i]) }
    return r
}

@inline(__always)
func toFloat(_ v: SIMD16<UInt16>) -> SIMD16<Float> {
    var r = SIMD16<Float>()
    for i in 0..<16 { r[i] = Float(Float16(bitPattern: v[i])) }
    return r
}

/// Sum of the lanes, as a tree.
@inline(__always)
func horizontalSum(_ v: SIMD16<Float>) -> Float {
    let a = v.lowHalf + v.highHalf          // 8
    let b = a.lowHalf + a.highHalf          // 4
    let c = b.lowHalf + b.highHalf          // 2
    return c[0] + c[1]
}

/// Largest lane.
@inline(__always)
func horizontalMax(_ v: SIMD16<Float>) -> Float {
    let a = pointwiseMax(v.lowHalf, v.highHalf)
    let b = pointwiseMax(a.lowHalf, a.highHalf)
    let c = pointwiseMax(b.lowHalf, b.highHalf)
    return Swift.max(c[0], c[1])
}

/// 16 floats from p (any alignment). Public for the Models kernels; inlinable, so it stays one
/// vector load there too.
@inlinable @inline(__always)
public func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// Stores 16 floats at p (any alignment).
@inlinable @inline(__always)
public func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// An IEEE half stored at `offset` bytes, widened to Float.
@inline(__always)
func loadHalf(_ p: UnsafeRawPointer, _ offset: Int = 0) -> Float {
    Float(Float16(bitPattern: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
}
