// Helpers for the backward tests: seeded random tensors and central finite differences.
import Kernels
@testable import Models

struct GradientComparison {
    var maxAbsError: Float = 0
    var maxAbsAnalytic: Float = 0
    var errorNorm: Double = 0
    var analyticNorm: Double = 0
    var count = 0
    /// ‖fd − analytic‖ / ‖analytic‖.
    var relativeError: Double { analyticNorm > 0 ? (errorNorm / analyticNorm).squareRoot() : errorNorm.squareRoot() }

    mutating func add(analytic: Float, numeric: Float) {
        let e = abs(analytic - numeric)
        maxAbsError = max(maxAbsError, e)
        maxAbsAnalytic = max(maxAbsAnalytic, abs(analytic))
        errorNorm += Double(e * e)
        analyticNorm += Double(analytic * analytic)
        count += 1
    }
}

enum FiniteDifference {
    /// Central difference of `loss` with respect to each of `count` floats at `values`.
    static func gradient(of values: UnsafeMutablePointer<Float>, count: Int, eps: Float,
                        loss: () -> Double) -> [Float] {
        (0..<count).map { i in
            let saved = values[i]
            values[i] = saved + eps
            let plus = loss()
            values[i] = saved - eps
            let minus = loss()
            values[i] = saved
            return Float((plus - minus) / Double(2 * eps))
        }
    }

    static func compare(_ analytic: [Float], _ numeric: [Float]) -> GradientComparison {
        var c = GradientComparison()
        for (a, n) in zip(analytic, numeric) { c.add(analytic: a, numeric: n) }
        return c
    }
}

func randomTensor(_ count: Int, seed: UInt64, scale: Float = 1) -> TrainingTensor {
    var rng = SplitMix64(seed: seed)
    let t = TrainingTensor(count: count)
    for i in 0..<count { t.pointer[i] = scale * (2 * rng.nextFloat() - 1) }
    return t
}

/// Σ out ⊙ r in double precision: a scalar "loss" whose gradient with respect to out is r.
func projectedLoss(_ out: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ count: Int) -> Double {
    var s = 0.0
    for i in 0..<count { s += Double(out[i]) * Double(r[i]) }
    return s
}
