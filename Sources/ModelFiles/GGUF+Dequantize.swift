// Reference (scalar) dequantisation of the ggml block formats Parallax computes with.
// Layouts from ggml-common.h: block_q4_0 {f16 d; u8 qs[16]}, block_q4_1 {f16 d, m; u8 qs[16]},
// block_q8_0 {f16 d; i8 qs[32]}; a 4-bit block holds element j in the low nibble of qs[j] and
// element j+16 in the high nibble. Kernels has the fast SIMD versions; this one is the yardstick.

public enum GGMLDequantizer {
    /// Converts `count` elements of `type` at `source` to f32. `count` must be a whole number of blocks.
    public static func dequantize(type: GGMLType, source: UnsafeRawPointer, count: Int,
                                  into destination: UnsafeMutablePointer<Float>) throws {
        guard type.isSupportedForCompute else { throw GGUFError.unsupportedTensorType(tensor: "?", type: type.name) }
        precondition(count % type.blockSize == 0, "dequantize: count must be a whole number of blocks")
        switch type {
        case .f32:
            for i in 0..<count { destination[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .f16:
            for i in 0..<count { destination[i] = half(source, 2 * i) }
        case .bf16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                destination[i] = Float(bitPattern: UInt32(bits) << 16)
            }
        case .q4_0:
            for block in 0..<count / 32 {
                let b = source + block * 18
                let d = half(b, 0)
                let out = destination + block * 32
                for j in 0..<16 {
                    let q = b.load(fromByteOffset: 2 + j, as: UInt8.self)
                    out[j] = Float(Int(q & 0x0F) - 8) * d
                    out[j + 16] = Float(Int(q >> 4) - 8) * d
                }
            }
        case .q4_1:
            for block in 0..<count / 32 {
                let b = source + block * 20
                let d = half(b, 0), m = half(b, 2)
                let out = destination + block * 32
                for j in 0..<16 {
                    let q = b.load(fromByteOffset: 4 + j, as: UInt8.self)
                    out[j] = Float(q & 0x0F) * d + m
                    out[j + 16] = Float(q >> 4) * d + m
                }
            }
        case .q8_0:
            for block in 0..<count / 32 {
                let b = source + block * 34
                let d = half(b, 0)
                let out = destination + block * 32
                for j in 0..<32 { out[j] = Float(b.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
            }
        default:
            throw GGUFError.unsupportedTensorType(tensor: "?", type: type.name)
        }
    }

    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
    }
}

extension GGUFFile {
    /// The whole tensor as f32, row-major in ggml order (rows of `dimensions[0]` elements).
    public func dequantize(_ tensor: GGUFTensorInfo) throws -> [Float] {
        guard tensor.type.isSupportedForCompute else {
            throw GGUFError.unsupportedTensorType(tensor: tensor.name, type: tensor.type.name)
        }
        let data = data(of: tensor)
        return try [Float](unsafeUninitializedCapacity: tensor.elementCount) { buffer, initialized in
            try GGMLDequantizer.dequantize(type: tensor.type, source: data.baseAddress!, count: tensor.elementCount,
                                           into: buffer.baseAddress!)
            initialized = tensor.elementCount
        }
    }
}
