// Scalar references the SIMD kernels are checked against: ggml's block formats decoded one
// element at a time (ggml-quants.c dequantize_row_*), and naive loops in Double.
import Foundation
@testable import Kernels

/// A seeded generator so every test run sees the same data.
typealias SeededRandom = SplitMix64

extension SplitMix64 {
    mutating func floats(_ n: Int, in range: ClosedRange<Float> = -1...1) -> [Float] {
        (0..<n).map { _ in Float.random(in: range, using: &self) }
    }
}

enum Reference {
    static func half(_ bytes: [UInt8], _ at: Int) -> Float {
        Float(Float16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8))
    }

    /// Decodes one row of `columns` elements stored in `format`.
    static func dequantize(_ row: [UInt8], format: WeightFormat, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: columns)
        switch format {
        case .f32:
            for i in 0..<columns {
                let bits = (0..<4).reduce(UInt32(0)) { $0 | UInt32(row[i * 4 + $1]) << (8 * $1) }
                out[i] = Float(bitPattern: bits)
            }
        case .f16:
            for i in 0..<columns { out[i] = half(row, i * 2) }
        case .q4_0:
            for b in 0..<(columns / 32) {
                let base = b * 18, d = half(row, base)
                for j in 0..<16 {
                    let byte = row[base + 2 + j]
                    out[b * 32 + j] = Float(Int(byte & 0x0F) - 8) * d
                    out[b * 32 + j + 16] = Float(Int(byte >> 4) - 8) * d
                }
            }
        case .q4_1:
            for b in 0..<(columns / 32) {
                let base = b * 20, d = half(row, base), m = half(row, base + 2)
                for j in 0..<16 {
                    let byte = row[base + 4 + j]
                    out[b * 32 + j] = Float(byte & 0x0F) * d + m
                    out[b * 32 + j + 16] = Float(byte >> 4) * d + m
                }
            }
        case .q8_0:
            for b in 0..<(columns / 32) {
                let base = b * 34, d = half(row, base)
                for j in 0..<32 { out[b * 32 + j] = Float(Int8(bitPattern: row[base + 2 + j])) * d }
            }
        }
        return out
    }

    /// Random stored rows: plausible scales, random quants.
    static func randomMatrix(rows: Int, columns: Int, format: WeightFormat, rng: inout SeededRandom) -> [UInt8] {
        let rowBytes = format.rowBytes(columns: columns)
        var bytes = [UInt8](repeating: 0, count: rows * rowBytes)
        func putHalf(_ v: Float, _ at: Int) {
            let bits = Float16(v).bitPattern
            bytes[at] = UInt8(bits & 0xFF)
            bytes[at + 1] = UInt8(bits >> 8)
        }
        for r in 0..<rows {
            let base = r * rowBytes
            switch format {
            case .f32:
                for i in 0..<columns {
                    let bits = Float.random(in: -1...1, using: &rng).bitPattern
                    for k in 0..<4 { bytes[base + i * 4 + k] = UInt8((bits >> (8 * UInt32(k))) & 0xFF) }
                }
            case .f16:
                for i in 0..<columns { putHalf(Float.random(in: -1...1, using: &rng), base + i * 2) }
            case .q4_0, .q4_1, .q8_0:
                for b in 0..<(columns / 32) {
                    let at = base + b * format.bytesPerBlock
                    putHalf(Float.random(in: 0.001...0.1, using: &rng), at)
                    var quantStart = at + 2
                    if format == .q4_1 { putHalf(Float.random(in: -0.5...0.5, using: &rng), at + 2); quantStart += 2 }
                    for k in quantStart..<(at + format.bytesPerBlock) { bytes[k] = UInt8.random(in: 0...255, using: &rng) }
                }
            }
        }
        return bytes
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
}
