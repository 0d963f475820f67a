// Row-parallel matrix-vector products on quantised weights, fusing products that share an
// input (q|k|v, gate|up) into one fork/join (PERFORMANCE.md, trap 8).

/// One product y (rows) = W (rows, columns) · x (columns) of a fused job.
public struct MatVecPart: @unchecked Sendable {
    public let weights: WeightMatrix
    public let output: UnsafeMutablePointer<Float>
    public init(_ weights: WeightMatrix, _ output: UnsafeMutablePointer<Float>) {
        self.weights = weights
        self.output = output
    }
}

extension WorkerPool {
    /// y = W · x on the pool. x (W.columns), y (W.rows).
    public func matVec(_ w: WeightMatrix, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        matVec(MatVecPart(w, y), nil, nil, x: x)
    }

    /// Up to three products sharing the input x, in one fork/join. All parts must have the
    /// same number of columns.
    public func matVec(_ p0: MatVecPart, _ p1: MatVecPart?, _ p2: MatVecPart?, x: UnsafePointer<Float>) {
        let columns = p0.weights.columns
        precondition(p1.map { $0.weights.columns == columns } ?? true, "fused parts must share columns")
        precondition(p2.map { $0.weights.columns == columns } ?? true, "fused parts must share columns")
        let r0 = p0.weights.rows
        let r1 = p1?.weights.rows ?? 0
        let total = r0 + r1 + (p2?.weights.rows ?? 0)
        var chunk = max(16, total / (threadCount * 8))
        chunk = (chunk + 7) & ~7
        let tasks = (total + chunk - 1) / chunk
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, columns / 32)) { sumsBuffer in
            let sums = sumsBuffer.baseAddress!
            let needsSums = [p0, p1, p2].contains { $0.map { $0.weights.format == .q4_0 || $0.weights.format == .q4_1 } ?? false }
            if needsSums { blockSums(x, count: columns, into: sums) }
            parallelFor(tasks) { t in
                var row = t * chunk
                let end = min(total, row + chunk)
                while row < end {
                    // Map the global row to its part.
                    let part: MatVecPart, base: Int
                    if row < r0 { part = p0; base = 0 }
                    else if row < r0 + r1 { part = p1!; base = r0 }
                    else { part = p2!; base = r0 + r1 }
                    let partEnd = min(end, base + part.weights.rows)
                    matVecRows(part.weights, x, sums, part.output, from: row - base, to: partEnd - base)
                    row = partEnd
                }
            }
        }
    }
}

/// y[r] = W[r] · x for r in from..<to, on the calling thread.
@inline(__always)
func matVecRows(_ w: WeightMatrix, _ x: UnsafePointer<Float>, _ sums: UnsafePointer<Float>,
                _ y: UnsafeMutablePointer<Float>, from: Int, to: Int) {
    switch w.format {
    case .q4_1: matVecRowsQ4_1(w, x, sums, y, from: from, to: to)
    case .q4_0: matVecRowsQ4_0(w, x, sums, y, from: from, to: to)
    case .q8_0: matVecRowsQ8_0(w, x, y, from: from, to: to)
    case .f16:
        for r in from..<to { y[r] = dotF16(w.row(r), x, count: w.columns) }
    case .f32:
        for r in from..<to { y[r] = dotF32(w.row(r).assumingMemoryBound(to: Float.self), x, count: w.columns) }
    }
}
