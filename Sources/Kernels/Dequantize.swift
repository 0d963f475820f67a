// Fast dequantisation of weight rows to f32, for the compute-bound paths (prefill uses sgemm
// on a layer's weights dequantised into a scratch buffer). Block layouts as in WeightFormat.

extension WeightMatrix {
    /// Writes rows from..<to as f32 into out ((to − from), columns), on the calling thread.
    public func dequantizeRows(from: Int, to: Int, into out: UnsafeMutablePointer<Float>) {
        let blocks = columns / format.blockSize
        for r in from..<to {
            let p = row(r)
            let o = out + (r - from) * columns
            switch format {
            case .q4_1:
                for b in 0..<blocks {
                    let q = p.loadUnaligned(fromByteOffset: b * 20 + 4, as: SIMD16<UInt8>.self)
                    let d = SIMD16<Float>(repeating: loadHalf(p, b * 20))
                    let m = SIMD16<Float>(repeating: loadHalf(p, b * 20 + 2))
                    store16(toFloat(q & 0x0F) * d + m, o + b * 32)
                    store16(toFloat(q &>> 4) * d + m, o + b * 32 + 16)
                }
            case .q4_0:
                for b in 0..<blocks {
                    let q = p.loadUnaligned(fromByteOffset: b * 18 + 2, as: SIMD16<UInt8>.self)
                    let d = SIMD16<Float>(repeating: loadHalf(p, b * 18))
                    let eight = SIMD16<Float>(repeating: 8)
                    store16((toFloat(q & 0x0F) - eight) * d, o + b * 32)
                    store16((toFloat(q &>> 4) - eight) * d, o + b * 32 + 16)
                }
            case .q8_0:
                for b in 0..<blocks {
                    let d = SIMD16<Float>(repeating: loadHalf(p, b * 34))
                    store16(toFloat(p.loadUnaligned(fromByteOffset: b * 34 + 2, as: SIMD16<Int8>.self)) * d, o + b * 32)
                    store16(toFloat(p.loadUnaligned(fromByteOffset: b * 34 + 18, as: SIMD16<Int8>.self)) * d, o + b * 32 + 16)
                }
            case .f16:
                var i = 0
                while i + 16 <= columns {
                    store16(toFloat(p.loadUnaligned(fromByteOffset: i * 2, as: SIMD16<UInt16>.self)), o + i)
                    i += 16
                }
                while i < columns { o[i] = loadHalf(p, i * 2); i += 1 }
            case .f32:
                (o).update(from: p.assumingMemoryBound(to: Float.self), count: columns)
            }
        }
    }

    /// Writes one row as f32 into out (columns).
    @inline(__always)
    public func dequantizeRow(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        dequantizeRows(from: r, to: r + 1, into: out)
    }
}

extension WorkerPool {
    /// Dequantises the whole matrix into out (rows, columns), split over the pool.
    public func dequantize(_ w: WeightMatrix, into out: UnsafeMutablePointer<Float>) {
        let chunk = max(32, w.rows / (threadCount * 4))
        let tasks = (w.rows + chunk - 1) / chunk
        parallelFor(tasks) { t in
            let from = t * chunk, to = min(w.rows, from + chunk)
            w.dequantizeRows(from: from, to: to, into: out + from * w.columns)
        }
    }
}
