// Weight storage formats the kernels read directly, and a view of one weight matrix in memory.
// Block layouts follow ggml (ggml-common.h): 32 elements per block, little-endian halves.

/// How the rows of a weight matrix are stored. Quantised formats use ggml's block layouts:
/// - Q4_0 (18 bytes / 32): half d; 16 bytes of nibbles; value = (q − 8)·d
/// - Q4_1 (20 bytes / 32): half d, half m; 16 bytes of nibbles; value = q·d + m
/// - Q8_0 (34 bytes / 32): half d; 32 int8; value = q·d
/// In nibble blocks, byte j holds element j (low nibble) and element j + 16 (high nibble).
public enum WeightFormat: String, Sendable, CaseIterable {
    case f32, f16, q4_0, q4_1, q8_0

    /// Elements per block (1 for the float formats).
    public var blockSize: Int {
        switch self {
        case .f32, .f16: 1
        case .q4_0, .q4_1, .q8_0: 32
        }
    }

    /// Bytes per block.
    public var bytesPerBlock: Int {
        switch self {
        case .f32: 4
        case .f16: 2
        case .q4_0: 18
        case .q4_1: 20
        case .q8_0: 34
        }
    }

    /// Bytes one row of `columns` elements takes (`columns` must be a multiple of `blockSize`).
    public func rowBytes(columns: Int) -> Int { columns / blockSize * bytesPerBlock }
}

/// A read-only (rows, columns) weight matrix in some `WeightFormat`, usually pointing into a
/// memory-mapped model file. The memory must outlive every use of the view.
public struct WeightMatrix: @unchecked Sendable {
    public let base: UnsafeRawPointer
    public let rows: Int
    public let columns: Int
    public let format: WeightFormat
    /// Bytes from one row to the next.
    public let rowStride: Int

    public init(base: UnsafeRawPointer, rows: Int, columns: Int, format: WeightFormat) {
        precondition(columns % format.blockSize == 0, "row length must be a whole number of blocks")
        self.base = base
        self.rows = rows
        self.columns = columns
        self.format = format
        self.rowStride = format.rowBytes(columns: columns)
    }

    /// Bytes the whole matrix occupies.
    public var byteCount: Int { rows * rowStride }

    @inline(__always)
    public func row(_ r: Int) -> UnsafeRawPointer { base + r * rowStride }
}
