// The unpacked products of attention against a double-precision reference: every tile shape
// (4 × 64, 4 × 16, scalar columns), row tails of 1–3, a transposed A, and accumulation.
import Testing
@testable import Models

@Suite("SmallGEMM: attention's unpacked products")
struct SmallGEMMTests {
    /// (m, n, k): full 4 × 64 tiles; 64 + 16 + 5 columns with 1–3 tail rows; scalar columns only.
    @Test(arguments: [(64, 192, 64), (7, 85, 33), (5, 8, 11), (1, 64, 3), (130, 64, 256)], [false, true])
    func matchesReference(shape: (Int, Int, Int), transposedA: Bool) {
        let (m, n, k) = shape
        let ldb = n + 3, ldc = n + 5
        let a = randomTensor(m * k, seed: 31), b = randomTensor(k * ldb, seed: 32), start = randomTensor(m * ldc, seed: 33)
        // A stored row-major (m, k), or as its transpose (k, m) read through swapped strides.
        let (rowStride, columnStride) = transposedA ? (1, m) : (k, 1)
        for accumulate in [false, true] {
            let c = TrainingTensor(start.array)
            SmallGEMM.multiply(m: m, n: n, k: k, alpha: 0.75, a: a.pointer, aRowStride: rowStride, aColumnStride: columnStride,
                               b: b.pointer, ldb: ldb, accumulate: accumulate, c: c.pointer, ldc: ldc)
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<ldc {
                    let got = Double(c.pointer[i * ldc + j]), before = Double(start.pointer[i * ldc + j])
                    guard j < n else {
                        // Padding columns past n are never written.
                        #expect(got == before, "column \(j) past n was written")
                        continue
                    }
                    var sum = 0.0
                    for p in 0..<k { sum += Double(a.pointer[i * rowStride + p * columnStride]) * Double(b.pointer[p * ldb + j]) }
                    let expected = 0.75 * sum + (accumulate ? before : 0)
                    worst = max(worst, abs(got - expected) / max(1, abs(expected)))
                }
            }
            #expect(worst <= 1e-5, "\(m)×\(n)×\(k) transposed \(transposedA) accumulate \(accumulate): \(worst)")
        }
    }

    /// Causal products skip what only meets masked zeros: with A zero where the mode says so (and,
    /// for a column limit, only the needed columns compared), they equal the whole product.
    @Test(arguments: [0, 5, 64], [false, true])
    func causalModesMatchMaskedReference(diagonal d: Int, transposedA: Bool) {
        let (m, n, k) = (70, 150, 133)
        let ldb = n, ldc = n
        let b = randomTensor(k * ldb, seed: 36), start = randomTensor(m * ldc, seed: 37)
        let (rowStride, columnStride) = transposedA ? (1, m) : (k, 1)
        let modes: [(SmallGEMM.Causal, (Int, Int) -> Bool)] = [
            (.columnsThrough(d), { _, _ in true }),
            (.depthThrough(d), { i, p in p <= i + d }),
            (.depthFrom(d), { i, p in p >= i - d }),
        ]
        for (mode, nonzero) in modes {
            let a = randomTensor(m * k, seed: 35)
            for i in 0..<m {
                for p in 0..<k where !nonzero(i, p) { a.pointer[i * rowStride + p * columnStride] = 0 }
            }
            let c = TrainingTensor(start.array)
            SmallGEMM.multiply(m: m, n: n, k: k, a: a.pointer, aRowStride: rowStride, aColumnStride: columnStride,
                               b: b.pointer, ldb: ldb, accumulate: true, c: c.pointer, ldc: ldc, causal: mode)
            var worst = 0.0
            for i in 0..<m {
                let needed: Int
                if case .columnsThrough = mode { needed = min(n, i + d + 1) } else { needed = n }
                for j in 0..<needed {
                    var sum = Double(start.pointer[i * ldc + j])
                    for p in 0..<k { sum += Double(a.pointer[i * rowStride + p * columnStride]) * Double(b.pointer[p * ldb + j]) }
                    worst = max(worst, abs(Double(c.pointer[i * ldc + j]) - sum) / max(1, abs(sum)))
                }
            }
            #expect(worst <= 1e-5, "\(mode), diagonal \(d), transposed \(transposedA): \(worst)")
        }
    }

    @Test func transposeSwapsRowsAndColumns() {
        let src = randomTensor(6 * 9, seed: 34), dst = TrainingTensor(count: 7 * 6)
        SmallGEMM.transpose(src.pointer, lds: 9, rows: 6, columns: 7, into: dst.pointer, ldd: 6)
        for i in 0..<6 {
            for j in 0..<7 { #expect(dst.pointer[j * 6 + i] == src.pointer[i * 9 + j]) }
        }
    }
}
