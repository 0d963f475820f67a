// Mat-vec inner loops that walk four rows at once: four independent FMA chains hide the FMA
// latency that bounds a one-row loop, and each block of x is loaded once for four rows.

/// Q4_1 nibbles of one block as floats, multiplied into x: lo·x[0..<16] + hi·x[16..<32].
@inline(__always)
func nibbleProduct(_ q: SIMD16<UInt8>, _ x0: SIMD16<Float>, _ x1: SIMD16<Float>) -> SIMD16<Float> {
    (toFloat(q & 0x0F) * x0).addingProduct(toFloat(q &>> 4), x1)
}

/// Rows from..<to of a Q4_1 matrix times x; sums from `blockSums`.
@inline(__always)
func matVecRowsQ4_1(_ w: WeightMatrix, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                    _ y: UnsafeMutablePointer<Float>, from: Int, to: Int) {
    let blocks = w.columns / 32
    var r = from
    while r + 4 <= to {
        let p0 = w.row(r), p1 = w.row(r + 1), p2 = w.row(r + 2), p3 = w.row(r + 3)
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var offsets = SIMD4<Float>()
        for b in 0..<blocks {
            let o = b * 20
            let x0 = load16(x + b * 32), x1 = load16(x + b * 32 + 16)
            a0 = a0.addingProduct(nibbleProduct(p0.loadUnaligned(fromByteOffset: o + 4, as: SIMD16<UInt8>.self), x0, x1), SIMD16(repeating: loadHalf(p0, o)))
            a1 = a1.addingProduct(nibbleProduct(p1.loadUnaligned(fromByteOffset: o + 4, as: SIMD16<UInt8>.self), x0, x1), SIMD16(repeating: loadHalf(p1, o)))
            a2 = a2.addingProduct(nibbleProduct(p2.loadUnaligned(fromByteOffset: o + 4, as: SIMD16<UInt8>.self), x0, x1), SIMD16(repeating: loadHalf(p2, o)))
            a3 = a3.addingProduct(nibbleProduct(p3.loadUnaligned(fromByteOffset: o + 4, as: SIMD16<UInt8>.self), x0, x1), SIMD16(repeating: loadHalf(p3, o)))
            let m = SIMD4<Float>(loadHalf(p0, o + 2), loadHalf(p1, o + 2), loadHalf(p2, o + 2), loadHalf(p3, o + 2))
            offsets = offsets.addingProduct(m, SIMD4(repeating: sums[b]))
        }
        y[r] = horizontalSum(a0) + offsets[0]
        y[r + 1] = horizontalSum(a1) + offsets[1]
        y[r + 2] = horizontalSum(a2) + offsets[2]
        y[r + 3] = horizontalSum(a3) + offsets[3]
        r += 4
    }
    while r < to { y[r] = dotQ4_1(w.row(r), x, sums, blocks: blocks); r += 1 }
}

/// Rows from..<to of a Q4_0 matrix times x; sums from `blockSums`.
@inline(__always)
func matVecRowsQ4_0(_ w: WeightMatrix, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                    _ y: UnsafeMutablePointer<Float>, from: Int, to: Int) {
    let blocks = w.columns / 32
    var r = from
    while r + 4 <= to {
        let p0 = w.row(r), p1 = w.row(r + 1), p2 = w.row(r + 2), p3 = w.row(r + 3)
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var offsets = SIMD4<Float>()
        for b in 0..<blocks {
            let o = b * 18
            let x0 = load16(x + b * 32), x1 = load16(x + b * 32 + 16)
            let d = SIMD4<Float>(loadHalf(p0, o), loadHalf(p1, o), loadHalf(p2, o), loadHalf(p3, o))
            a0 = a0.addingProduct(nibbleProduct(p0.loadUnaligned(fromByteOffset: o + 2, as: SIMD16<UInt8>.self), x0, x1), SIMD16(repeating: d[0]))
            a1 = a1.addingProduct(nibbleProduct(p1.loadUnaligned(fromByteOffset: o + 2, as: SIMD16<UInt8>.self), x0, x1), SIMD16(repeating: d[1]))
            a2 = a2.addingProduct(nibbleProduct(p2.loadUnaligned(fromByteOffset: o + 2, as: SIMD16<UInt8>.self), x0, x1), SIMD16(repeating: d[2]))
            a3 = a3.addingProduct(nibbleProduct(p3.loadUnaligned(fromByteOffset: o + 2, as: SIMD16<UInt8>.self), x0, x1), SIMD16(repeating: d[3]))
            offsets = offsets.addingProduct(d, SIMD4(repeating: -8 * sums[b]))
        }
        y[r] = horizontalSum(a0) + offsets[0]
        y[r + 1] = horizontalSum(a1) + offsets[1]
        y[r + 2] = horizontalSum(a2) + offsets[2]
        y[r + 3] = horizontalSum(a3) + offsets[3]
        r += 4
    }
    while r < to { y[r] = dotQ4_0(w.row(r), x, sums, blocks: blocks); r += 1 }
}

/// Int8 lanes of one Q8_0 block multiplied into x.
@inline(__always)
func bytesProduct(_ p: UnsafeRawPointer, _ o: Int, _ x0: SIMD16<Float>, _ x1: SIMD16<Float>) -> SIMD16<Float> {
    (toFloat(p.loadUnaligned(fromByteOffset: o + 2, as: SIMD16<Int8>.self)) * x0)
        .addingProduct(toFloat(p.loadUnaligned(fromByteOffset: o + 18, as: SIMD16<Int8>.self)), x1)
}

/// Rows from..<to of a Q8_0 matrix times x.
@inline(__always)
func matVecRowsQ8_0(_ w: WeightMatrix, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, from: Int, to: Int) {
    let blocks = w.columns / 32
    var r = from
    while r + 4 <= to {
        let p0 = w.row(r), p1 = w.row(r + 1), p2 = w.row(r + 2), p3 = w.row(r + 3)
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        for b in 0..<blocks {
            let o = b * 34
            let x0 = load16(x + b * 32), x1 = load16(x + b * 32 + 16)
            a0 = a0.addingProduct(bytesProduct(p0, o, x0, x1), SIMD16(repeating: loadHalf(p0, o)))
            a1 = a1.addingProduct(bytesProduct(p1, o, x0, x1), SIMD16(repeating: loadHalf(p1, o)))
            a2 = a2.addingProduct(bytesProduct(p2, o, x0, x1), SIMD16(repeating: loadHalf(p2, o)))
            a3 = a3.addingProduct(bytesProduct(p3, o, x0, x1), SIMD16(repeating: loadHalf(p3, o)))
        }
        y[r] = horizontalSum(a0)
        y[r + 1] = horizontalSum(a1)
        y[r + 2] = horizontalSum(a2)
        y[r + 3] = horizontalSum(a3)
        r += 4
    }
    while r < to { y[r] = dotQ8_0(w.row(r), x, blocks: blocks); r += 1 }
}
