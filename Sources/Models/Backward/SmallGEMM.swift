// Matrix products for attention's small operands, without packing. Attention's products have one
// side the head dimension (64) and the other a causal block (64–256 rows); OpenBLAS packs both
// operands of every call into its own layout first. Here the register tile reads its operands where
// they lie: B's rows are contiguous, and A is read one element at a time, so A may be transposed at
// no cost. Causal products skip the tiles and depths that only meet masked zeros (≈ 15 % of a
// causal block's multiply-adds). Measured in the training step (`bench train --profile`, quiet):
// attention 146 → 131 ms a step with these tiles and the saved log-sum-exp; the causal skips take
// off ≈ 5 % more of attention, within the machine's noise for the whole step.
import Kernels

enum SmallGEMM {
    /// Which part of a causal product is needed, for output row i (offset d ≥ 0):
    enum Causal {
        /// the whole product;
        case none
        /// only columns j ≤ i + d (the rest may be left unwritten or hold anything);
        case columnsThrough(Int)
        /// all columns, but A[i, p] is zero for p > i + d;
        case depthThrough(Int)
        /// all columns, but A[i, p] is zero for p < i − d.
        case depthFrom(Int)
    }

    /// C (m, n; row stride ldc) = alpha · A · B, or C += alpha · A · B when `accumulate`.
    /// A (m, k) has element (i, p) at a[i·aRowStride + p·aColumnStride], so Aᵀ of a row-major
    /// matrix is a swap of the two strides; B (k, n) is row-major with row stride ldb.
    /// Column tiles of 64 (16 accumulators over 4 rows), then 16, then scalar columns; each tile
    /// walks the row groups, so its slice of B stays in L1.
    static func multiply(m: Int, n: Int, k: Int, alpha: Float = 1,
                         a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
                         b: UnsafePointer<Float>, ldb: Int,
                         accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int, causal: Causal = .none) {
        guard m > 0, n > 0 else { return }
        let operands = Operands(alpha: alpha, aRowStride: aRowStride, aColumnStride: aColumnStride, ldb: ldb,
                                accumulate: accumulate)
        /// Row groups that need columns from j on, and each group's depth range.
        func firstRow(_ j: Int) -> Int {
            if case .columnsThrough(let d) = causal { return min(m, max(0, j - d)) / 4 * 4 }
            return 0
        }
        func depths(_ i: Int, _ rows: Int) -> Range<Int> {
            switch causal {
            case .none, .columnsThrough: 0..<k
            case .depthThrough(let d): 0..<min(k, i + rows + d)
            case .depthFrom(let d): min(k, max(0, i - d))..<k
            }
        }
        // Tiles 64 columns wide, then 16 wide for what is left.
        var j = 0, width = 64
        while width >= 16 {
            while j + width <= n {
                for i in stride(from: firstRow(j), to: m, by: 4) {
                    let rows = min(4, m - i), p = depths(i, rows)
                    operands.tile(width: width, rows: rows, depth: p.count,
                                  a: a + i * aRowStride + p.lowerBound * aColumnStride,
                                  b: b + p.lowerBound * ldb + j, c: c + i * ldc + j, ldc: ldc)
                }
                j += width
            }
            width /= 4
        }
        guard j < n else { return }
        for i in firstRow(j)..<m {
            let p = depths(i, 1)
            for column in j..<n {
                var sum: Float = 0
                for q in p { sum += a[i * aRowStride + q * aColumnStride] * b[q * ldb + column] }
                let out = c + i * ldc + column
                out.pointee = accumulate ? out.pointee + alpha * sum : alpha * sum
            }
        }
    }

    /// The values every tile of one product shares.
    private struct Operands {
        let alpha: Float, aRowStride: Int, aColumnStride: Int, ldb: Int, accumulate: Bool

        @inline(__always)
        func tile(width: Int, rows: Int, depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                  c: UnsafeMutablePointer<Float>, ldc: Int) {
            if width == 64 {
                tile4x64(rows: rows, depth: depth, a: a, b: b, c: c, ldc: ldc)
            } else {
                tile4x16(rows: rows, depth: depth, a: a, b: b, c: c, ldc: ldc)
            }
        }

        /// Rows i < `rows` (1...4) of a 4 × 64 tile. Missing rows read row 0 again and are not
        /// stored, so the loop body stays one shape.
        @inline(__always)
        func tile4x64(rows: Int, depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                      c: UnsafeMutablePointer<Float>, ldc: Int) {
            let a1 = rows > 1 ? aRowStride : 0, a2 = rows > 2 ? 2 * aRowStride : 0, a3 = rows > 3 ? 3 * aRowStride : 0
            var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c02 = SIMD16<Float>(), c03 = SIMD16<Float>()
            var c10 = SIMD16<Float>(), c11 = SIMD16<Float>(), c12 = SIMD16<Float>(), c13 = SIMD16<Float>()
            var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c22 = SIMD16<Float>(), c23 = SIMD16<Float>()
            var c30 = SIMD16<Float>(), c31 = SIMD16<Float>(), c32 = SIMD16<Float>(), c33 = SIMD16<Float>()
            var ap = a, bp = b
            for _ in 0..<depth {
                let b0 = load16(bp), b1 = load16(bp + 16), b2 = load16(bp + 32), b3 = load16(bp + 48)
                var x = SIMD16<Float>(repeating: ap[0])
                c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
                c02 = c02.addingProduct(x, b2); c03 = c03.addingProduct(x, b3)
                x = SIMD16(repeating: ap[a1])
                c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
                c12 = c12.addingProduct(x, b2); c13 = c13.addingProduct(x, b3)
                x = SIMD16(repeating: ap[a2])
                c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
                c22 = c22.addingProduct(x, b2); c23 = c23.addingProduct(x, b3)
                x = SIMD16(repeating: ap[a3])
                c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
                c32 = c32.addingProduct(x, b2); c33 = c33.addingProduct(x, b3)
                ap += aColumnStride
                bp += ldb
            }
            put(c00, c); put(c01, c + 16); put(c02, c + 32); put(c03, c + 48)
            guard rows > 1 else { return }
            put(c10, c + ldc); put(c11, c + ldc + 16); put(c12, c + ldc + 32); put(c13, c + ldc + 48)
            guard rows > 2 else { return }
            put(c20, c + 2 * ldc); put(c21, c + 2 * ldc + 16); put(c22, c + 2 * ldc + 32); put(c23, c + 2 * ldc + 48)
            guard rows > 3 else { return }
            put(c30, c + 3 * ldc); put(c31, c + 3 * ldc + 16); put(c32, c + 3 * ldc + 32); put(c33, c + 3 * ldc + 48)
        }

        /// Rows i < `rows` (1...4) of a 4 × 16 tile, as `tile4x64`.
        @inline(__always)
        func tile4x16(rows: Int, depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                      c: UnsafeMutablePointer<Float>, ldc: Int) {
            let a1 = rows > 1 ? aRowStride : 0, a2 = rows > 2 ? 2 * aRowStride : 0, a3 = rows > 3 ? 3 * aRowStride : 0
            var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
            var ap = a, bp = b
            for _ in 0..<depth {
                let bv = load16(bp)
                c0 = c0.addingProduct(SIMD16(repeating: ap[0]), bv)
                c1 = c1.addingProduct(SIMD16(repeating: ap[a1]), bv)
                c2 = c2.addingProduct(SIMD16(repeating: ap[a2]), bv)
                c3 = c3.addingProduct(SIMD16(repeating: ap[a3]), bv)
                ap += aColumnStride
                bp += ldb
            }
            put(c0, c)
            if rows > 1 { put(c1, c + ldc) }
            if rows > 2 { put(c2, c + 2 * ldc) }
            if rows > 3 { put(c3, c + 3 * ldc) }
        }

        @inline(__always)
        private func put(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
            let scaled = v * SIMD16(repeating: alpha)
            store16(accumulate ? scaled + load16(p) : scaled, p)
        }
    }

    /// dst (columns, rows; row stride ldd) = srcᵀ, src (rows, columns) with row stride lds.
    static func transpose(_ src: UnsafePointer<Float>, lds: Int, rows: Int, columns: Int,
                          into dst: UnsafeMutablePointer<Float>, ldd: Int) {
        for i in 0..<rows {
            let row = src + i * lds
            for j in 0..<columns { dst[j * ldd + i] = row[j] }
        }
    }
}
