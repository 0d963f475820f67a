// SIMD dot products, fused mat-vec and dequantisation against the scalar ggml reference.
import Testing
@testable import Kernels

@Suite struct DotProductTests {
    static let shapes: [(WeightFormat, Int, Int)] = [
        (.q4_0, 37, 96), (.q4_1, 37, 160), (.q8_0, 41, 224), (.f16, 19, 37), (.f32, 23, 53),
        (.q4_1, 1, 32), (.q8_0, 300, 576), (.f16, 5, 16), (.f32, 3, 7),
    ]

    @Test(arguments: 0..<shapes.count)
    func matVecMatchesScalarReference(_ index: Int) {
        let (format, rows, columns) = Self.shapes[index]
        var rng = SeededRandom(seed: UInt64(index) + 1)
        let bytes = Reference.randomMatrix(rows: rows, columns: columns, format: format, rng: &rng)
        let x = rng.floats(columns)
        let rowBytes = format.rowBytes(columns: columns)
        let expected = (0..<rows).map { r in
            Reference.dot(Reference.dequantize(Array(bytes[(r * rowBytes)..<((r + 1) * rowBytes)]), format: format, columns: columns), x)
        }
        var y = [Float](repeating: .nan, count: rows)
        let pool = WorkerPool(threads: 2)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(base: raw.baseAddress!, rows: rows, columns: columns, format: format)
            pool.matVec(w, x, &y)
        }
        for r in 0..<rows {
            // f32 accumulation of ≤ 576 products of size ≤ 1: error well under 1e-4 absolute.
            #expect(abs(Double(y[r]) - expected[r]) <= 1e-4 * max(1, abs(expected[r])), "row \(r): \(y[r]) vs \(expected[r])")
        }
        pool.shutdown()
    }

    @Test(arguments: 0..<shapes.count)
    func dequantizeMatchesScalarReference(_ index: Int) {
        let (format, rows, columns) = Self.shapes[index]
        var rng = SeededRandom(seed: UInt64(index) + 100)
        let bytes = Reference.randomMatrix(rows: rows, columns: columns, format: format, rng: &rng)
        let rowBytes = format.rowBytes(columns: columns)
        let expected = (0..<rows).flatMap { r in
            Reference.dequantize(Array(bytes[(r * rowBytes)..<((r + 1) * rowBytes)]), format: format, columns: columns)
        }
        var out = [Float](repeating: .nan, count: rows * columns)
        let pool = WorkerPool(threads: 2)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(base: raw.baseAddress!, rows: rows, columns: columns, format: format)
            out.withUnsafeMutableBufferPointer { pool.dequantize(w, into: $0.baseAddress!) }
        }
        let worst = zip(out, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        // q·d + m may be fused into one rounding: differences stay at the last bit.
        #expect(worst <= 1e-6)
        pool.shutdown()
    }

    @Test func fusedPartsMatchSeparateProducts() {
        var rng = SeededRandom(seed: 7)
        let columns = 128
        let shapes = [(WeightFormat.q4_1, 70), (.q4_0, 33), (.q8_0, 9)]
        let mats = shapes.map { Reference.randomMatrix(rows: $0.1, columns: columns, format: $0.0, rng: &rng) }
        let x = rng.floats(columns)
        var f0 = [Float](repeating: .nan, count: 70), f1 = [Float](repeating: .nan, count: 33)
        var f2 = [Float](repeating: .nan, count: 9)
        var single = [f0, f1, f2]
        let pool = WorkerPool(threads: 2)
        mats[0].withUnsafeBytes { m0 in mats[1].withUnsafeBytes { m1 in mats[2].withUnsafeBytes { m2 in
            let ws = [m0, m1, m2].enumerated().map { i, raw in
                WeightMatrix(base: raw.baseAddress!, rows: shapes[i].1, columns: columns, format: shapes[i].0)
            }
            f0.withUnsafeMutableBufferPointer { y0 in f1.withUnsafeMutableBufferPointer { y1 in
                f2.withUnsafeMutableBufferPointer { y2 in
                    pool.matVec(MatVecPart(ws[0], y0.baseAddress!), MatVecPart(ws[1], y1.baseAddress!),
                                MatVecPart(ws[2], y2.baseAddress!), x: x)
                } } }
            for i in 0..<3 { pool.matVec(ws[i], x, &single[i]) }
        } } }
        let fused = [f0, f1, f2]
        // Rows may fall in a 4-row group in one job and in the tail loop in the other, which
        // sum in different orders: equal to f32 rounding.
        for (a, b) in zip(fused.joined(), single.joined()) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
        pool.shutdown()
    }
}
