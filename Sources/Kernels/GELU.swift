// GELU in its exact (erf) form, with an optional bias added first, vectorised with SIMD16.
// GELU: Hendrycks & Gimpel 2016, arXiv:1606.08415: gelu(x) = x · ½ · (1 + erf(x / √2)).
// erf: the rational approximation on [-4, 4] used by Eigen/TensorFlow (`generic_fast_erf_float`),
// max abs error ≈ 1e-7 against the true erf (checked in GELUTests).

/// The erf-form GELU as BERT uses it (`hidden_act: "gelu"`).
public enum GELU {
    /// x[r, c] = gelu(x[r, c] + bias[c]) for a row-major (rows, width) buffer.
    public static func addBiasApply(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>?) {
        let vectorWidth = width & ~15
        for r in 0..<rows {
            let row = x + r * width
            var c = 0
            while c < vectorWidth {
                var v = UnsafeRawPointer(row + c).loadUnaligned(as: SIMD16<Float>.self)
                if let bias { v += UnsafeRawPointer(bias + c).loadUnaligned(as: SIMD16<Float>.self) }
                UnsafeMutableRawPointer(row + c).storeBytes(of: gelu(v), as: SIMD16<Float>.self)
                c += 16
            }
            while c < width {
                row[c] = gelu(row[c] + (bias?[c] ?? 0))
                c += 1
            }
        }
    }

    /// gelu of one value.
    @inlinable public static func gelu(_ x: Float) -> Float {
        gelu(SIMD16<Float>(repeating: x))[0]
    }

    /// gelu of 16 lanes.
    @inlinable @inline(__always)
    public static func gelu(_ x: SIMD16<Float>) -> SIMD16<Float> {
        0.5 * x * (1 + erf(x * 0.70710678118654752))
    }

    /// erf of 16 lanes (rational approximation, clamped to [-4, 4] where erf is ±1 in f32).
    @inlinable @inline(__always)
    public static func erf(_ x: SIMD16<Float>) -> SIMD16<Float> {
        // pointwiseMin/Max, not `clamped` (not inlined, PERFORMANCE.md trap 2); addingProduct for FMA.
        let x = pointwiseMin(pointwiseMax(x, SIMD16(repeating: -4)), SIMD16(repeating: 4))
        let x2 = x * x
        var p = SIMD16<Float>(repeating: -2.72614225801306e-10)
        p = SIMD16(repeating: 2.77068142495902e-08).addingProduct(p, x2)
        p = SIMD16(repeating: -2.10102402082508e-06).addingProduct(p, x2)
        p = SIMD16(repeating: -5.69250639462346e-05).addingProduct(p, x2)
        p = SIMD16(repeating: -7.34990630326855e-04).addingProduct(p, x2)
        p = SIMD16(repeating: -2.95459980854025e-03).addingProduct(p, x2)
        p = SIMD16(repeating: -1.60960333262415e-02).addingProduct(p, x2)
        p *= x
        var q = SIMD16<Float>(repeating: -1.45660718464996e-05)
        q = SIMD16(repeating: -2.13374055278905e-04).addingProduct(q, x2)
        q = SIMD16(repeating: -1.68282697438203e-03).addingProduct(q, x2)
        q = SIMD16(repeating: -7.37332916720468e-03).addingProduct(q, x2)
        q = SIMD16(repeating: -1.42647390514189e-02).addingProduct(q, x2)
        return p / q
    }
}
