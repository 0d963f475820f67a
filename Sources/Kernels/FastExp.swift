// A vectorised exp for softmax and SiLU: Cody–Waite range reduction and the Cephes expf
// minimax polynomial (relative error ≈ 2e-7), as in Cephes `expf.c` and ggml's ggml_v_expf.

/// e^x for 16 lanes. Inputs are clamped to [−87.3, 88.4] (so −∞ gives ≈ 1e−38, not 0).
@inline(__always)
public func fastExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let clamped = pointwiseMin(pointwiseMax(x, SIMD16(repeating: -87.33654)), SIMD16(repeating: 88.3762626647949))
    // n = round(x / ln 2) with the 1.5·2^23 trick; the low mantissa bits of `shifted` hold n.
    let magic = SIMD16<Float>(repeating: 12582912)
    let shifted = clamped * SIMD16(repeating: 1.44269504088896341) + magic
    let n = shifted - magic
    var r = clamped.addingProduct(n, SIMD16(repeating: -0.693359375))
    r = r.addingProduct(n, SIMD16(repeating: 2.12194440e-4))
    return expPolynomial(r, shifted)
}

@inline(__always)
func expPolynomial(_ r: SIMD16<Float>, _ shifted: SIMD16<Float>) -> SIMD16<Float> {
    var p = SIMD16<Float>(repeating: 1.9875691500e-4)
    p = p * r + SIMD16(repeating: 1.3981999507e-3)
    p = p * r + SIMD16(repeating: 8.3334519073e-3)
    p = p * r + SIMD16(repeating: 4.1665795894e-2)
    p = p * r + SIMD16(repeating: 1.6666665459e-1)
    p = p * r + SIMD16(repeating: 5.0000001201e-1)
    p = p * (r * r) + r + SIMD16(repeating: 1)
    // 2^n from the integer in the low mantissa bits of `shifted` (offset by 0x4B400000).
    let bits = unsafeBitCast(shifted, to: SIMD16<UInt32>.self) &- SIMD16(repeating: 0x4B40_0000)
    let scale = unsafeBitCast((bits &+ SIMD16(repeating: 127)) &<< 23, to: SIMD16<Float>.self)
    return p * scale
}

/// e^x for one float, by the same method (keeps scalar tails consistent with the vector path).
@inline(__always)
public func fastExp(_ x: Float) -> Float {
    fastExp(SIMD16(repeating: x))[0]
}
