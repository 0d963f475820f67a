// The GGUF reader: round trips through the writer, hostile files, and the real model
// against golden values from the reference `gguf` package (scripts/goldens/gguf_reference.py).
import Foundation
import Testing
@testable import ModelFiles

@Suite struct GGUFRoundTripTests {
    @Test func everyValueTypeRoundTrips() throws {
        var w = GGUFWriter()
        let values: [(String, GGUFValue)] = [
            ("u8", .uint8(200)), ("i8", .int8(-7)), ("u16", .uint16(60000)), ("i16", .int16(-30000)),
            ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)), ("f32", .float32(1.5)),
            ("bool", .bool(true)), ("str", .string("héllo 世界 🙂")), ("u64", .uint64(1 << 60)),
            ("i64", .int64(-(1 << 60))), ("f64", .float64(-2.25)),
            ("arr", .array([.string("a"), .string(""), .string("ç")])),
            ("nested", .array([.array([.int32(1), .int32(2)]), .array([.int32(3)])])),
        ]
        for (k, v) in values { w.set(k, v) }
        w.addTensor(name: "t", dimensions: [3, 2], floats: [1, 2, 3, 4, 5, 6])
        let file = try GGUFFile(bytes: w.bytes())
        #expect(file.version == 3)
        #expect(file.metadataKeys == values.map(\.0))
        for (k, v) in values { #expect(file.metadata[k] == v, "key \(k)") }
        #expect(file.strings("arr") == ["a", "", "ç"])
        #expect(file.int("u32") == 4_000_000_000)
        let t = try #require(file.tensor(named: "t"))
        #expect(t.dimensions == [3, 2] && t.rowLength == 3 && t.rowCount == 2)
        #expect(try file.dequantize(t) == [1, 2, 3, 4, 5, 6])
    }

    @Test func customAlignmentIsHonoured() throws {
        var w = GGUFWriter()
        w.alignment = 64
        w.addTensor(name: "a", dimensions: [1], floats: [7])
        w.addTensor(name: "b", dimensions: [2], floats: [8, 9])
        let file = try GGUFFile(bytes: w.bytes())
        #expect(file.alignment == 64)
        #expect(file.tensors.allSatisfy { $0.offset % 64 == 0 })
        #expect(try file.dequantize(file.tensor(named: "b")!) == [8, 9])
    }

    @Test func quantisedBlocksDequantiseByHand() throws {
        // One Q4_1 block: d = 0.5, m = -1; nibbles j (low) and 15 - j (high).
        var q41: [UInt8] = []
        q41 += withUnsafeBytes(of: Float16(0.5).bitPattern.littleEndian, Array.init)
        q41 += withUnsafeBytes(of: Float16(-1).bitPattern.littleEndian, Array.init)
        for j in 0..<16 { q41.append(UInt8(j) | UInt8(15 - j) << 4) }
        // One Q8_0 block: d = 0.25, q = j - 16.
        var q80: [UInt8] = withUnsafeBytes(of: Float16(0.25).bitPattern.littleEndian, Array.init)
        for j in 0..<32 { q80.append(UInt8(bitPattern: Int8(j - 16))) }
        // One Q4_0 block: d = 2, nibbles j; values (nibble - 8) * d.
        var q40: [UInt8] = withUnsafeBytes(of: Float16(2).bitPattern.littleEndian, Array.init)
        for j in 0..<16 { q40.append(UInt8(j) | UInt8(j) << 4) }
        var w = GGUFWriter()
        w.addTensor(name: "q41", dimensions: [32], type: .q4_1, data: q41)
        w.addTensor(name: "q80", dimensions: [32], type: .q8_0, data: q80)
        w.addTensor(name: "q40", dimensions: [32], type: .q4_0, data: q40)
        let file = try GGUFFile(bytes: w.bytes())
        let a = try file.dequantize(file.tensor(named: "q41")!)
        let low: [Float] = (0..<16).map { Float($0) * 0.5 - 1 }
        let high: [Float] = (0..<16).map { Float(15 - $0) * 0.5 - 1 }
        #expect(a == low + high)
        let b = try file.dequantize(file.tensor(named: "q80")!)
        let expectedB: [Float] = (0..<32).map { Float($0 - 16) * 0.25 }
        #expect(b == expectedB)
        let c = try file.dequantize(file.tensor(named: "q40")!)
        let half: [Float] = (0..<16).map { Float($0 - 8) * 2 }
        #expect(c == half + half)
    }
}

@Suite struct GGUFHostileFileTests {
    /// A small valid file to corrupt.
    static func validFile() -> [UInt8] {
        var w = GGUFWriter()
        w.set("general.architecture", .string("llama"))
        w.set("list", .array([.uint32(1), .uint32(2)]))
        w.addTensor(name: "weight", dimensions: [4, 2], floats: [1, 2, 3, 4, 5, 6, 7, 8])
        return w.bytes()
    }

    static func header(version: UInt32 = 3, tensors: UInt64, kvs: UInt64) -> [UInt8] {
        Array("GGUF".utf8) + withUnsafeBytes(of: version.littleEndian, Array.init)
            + withUnsafeBytes(of: tensors.littleEndian, Array.init) + withUnsafeBytes(of: kvs.littleEndian, Array.init)
    }

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
    static func string(_ s: String) -> [UInt8] { le(UInt64(s.utf8.count)) + Array(s.utf8) }

    @Test func badMagic() {
        var bytes = Self.validFile()
        bytes[0] = UInt8(ascii: "X")
        #expect { try GGUFFile(bytes: bytes) } throws: { ($0 as? GGUFError).map { if case .badMagic = $0 { true } else { false } } ?? false }
    }

    @Test func unsupportedVersion() {
        #expect(throws: GGUFError.unsupportedVersion(1)) { try GGUFFile(bytes: Self.header(version: 1, tensors: 0, kvs: 0)) }
    }

    @Test func everyTruncationIsRejected() throws {
        let bytes = Self.validFile()
        let file = try GGUFFile(bytes: bytes)
        let dataEnd = file.tensors.map { $0.offset + $0.byteCount }.max()!
        for length in 0..<dataEnd {
            #expect(throws: GGUFError.self, "length \(length)") { try GGUFFile(bytes: Array(bytes[0..<length])) }
        }
    }

    @Test func hugeTensorCount() {
        #expect(throws: GGUFError.implausibleCount(what: "tensors", count: 1 << 40)) {
            try GGUFFile(bytes: Self.header(tensors: 1 << 40, kvs: 0) + [UInt8](repeating: 0, count: 64))
        }
    }

    @Test func hugeArrayAndStringLengths() {
        let array = Self.header(tensors: 0, kvs: 1) + Self.string("k") + Self.le(UInt32(9)) + Self.le(UInt32(4)) + Self.le(UInt64(1) << 50)
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: array) }
        let string = Self.header(tensors: 0, kvs: 1) + Self.le(UInt64.max) + [1, 2, 3]
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: string) }
    }

    @Test func unknownValueType() {
        let bytes = Self.header(tensors: 0, kvs: 1) + Self.string("key") + Self.le(UInt32(99)) + [0, 0, 0, 0]
        #expect(throws: GGUFError.unknownValueType(key: "key", type: 99)) { try GGUFFile(bytes: bytes) }
    }

    @Test func arraysNestedTooDeep() {
        var bytes: [UInt8] = Self.header(tensors: 0, kvs: 1)
        bytes += Self.string("deep")
        bytes += Self.le(UInt32(9))
        for _ in 0..<6 { bytes += Self.le(UInt32(9)) + Self.le(UInt64(1)) }
        bytes += Self.le(UInt32(4))
        bytes += Self.le(UInt64(1))
        bytes += [UInt8](repeating: 0, count: 68)
        #expect(throws: GGUFError.nestingTooDeep(key: "deep")) { try GGUFFile(bytes: bytes) }
    }

    @Test func invalidUTF8Key() {
        let bytes = Self.header(tensors: 0, kvs: 1) + Self.le(UInt64(2)) + [0xC3, 0x28] + Self.le(UInt32(4)) + Self.le(UInt32(0))
        #expect(throws: GGUFError.invalidString(offset: 32)) { try GGUFFile(bytes: bytes) }
    }

    /// A file with one tensor info written by hand.
    static func tensorFile(dims: [UInt64], type: UInt32, offset: UInt64, dataBytes: Int = 64) -> [UInt8] {
        var bytes = header(tensors: 1, kvs: 0) + string("t") + le(UInt32(dims.count))
        for d in dims { bytes += le(d) }
        bytes += le(type) + le(offset)
        while bytes.count % 32 != 0 { bytes.append(0) }
        return bytes + [UInt8](repeating: 0, count: dataBytes)
    }

    @Test func tensorPastTheEnd() {
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: Self.tensorFile(dims: [32], type: 0, offset: 0)) }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: Self.tensorFile(dims: [4], type: 0, offset: 1 << 62)) }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: Self.tensorFile(dims: [4], type: 0, offset: UInt64.max - 8)) }
    }

    @Test func tensorDimensionsChecked() {
        // 10^12 elements, product overflow, zero and too many dimensions.
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: Self.tensorFile(dims: [1_000_000, 1_000_000], type: 0, offset: 0)) }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: Self.tensorFile(dims: [1 << 31, 1 << 31, 1 << 31], type: 0, offset: 0)) }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: Self.tensorFile(dims: [0], type: 0, offset: 0)) }
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: Self.tensorFile(dims: [1, 1, 1, 1, 1], type: 0, offset: 0)) }
        // A Q4_1 row must be a whole number of 32-element blocks.
        #expect(throws: GGUFError.self) { try GGUFFile(bytes: Self.tensorFile(dims: [16], type: 3, offset: 0)) }
    }

    @Test func unknownAndUnsupportedTensorTypes() throws {
        #expect(throws: GGUFError.unknownTensorType(tensor: "t", type: 77)) {
            try GGUFFile(bytes: Self.tensorFile(dims: [4], type: 77, offset: 0))
        }
        // Q6_K parses (its size is known) but cannot be computed with: a clear error naming it.
        let file = try GGUFFile(bytes: Self.tensorFile(dims: [256], type: 14, offset: 0, dataBytes: 256))
        #expect(throws: GGUFError.unsupportedTensorType(tensor: "t", type: "Q6_K")) { try file.requireTensor("t") }
        #expect(throws: GGUFError.unsupportedTensorType(tensor: "t", type: "Q6_K")) { _ = try file.dequantize(file.tensors[0]) }
    }

    @Test func misalignedTensor() {
        #expect(throws: GGUFError.misalignedTensor(tensor: "t", offset: 64 + 4)) {
            try GGUFFile(bytes: Self.tensorFile(dims: [4], type: 0, offset: 4))
        }
    }

    @Test func randomCorruptionNeverTraps() {
        // Flip bytes of a valid file; every outcome is either a parsed file or a GGUFError.
        var rng = SystemRandomNumberGenerator()
        let valid = Self.validFile()
        for _ in 0..<2000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            do { _ = try GGUFFile(bytes: bytes) } catch { #expect(error is GGUFError) }
        }
    }

    @Test func notAFileAndMissingFile() {
        #expect(throws: ModelFileError.self) { try GGUFFile(url: URL(fileURLWithPath: "/nonexistent/model.gguf")) }
        #expect(throws: ModelFileError.self) { try GGUFFile(url: URL(fileURLWithPath: "/tmp")) }
    }
}

@Suite struct GGUFRealModelTests {
    struct Golden: Decodable {
        struct Tensor: Decodable {
            let name: String, type: String, dimensions: [Int], first: [Double], indices: [Int], values: [Double], sum: Double
        }
        let tensor_count: Int, version: Int, token_count: Int, tensors: [Tensor]
    }

    @Test func defaultModelMatchesReferenceReader() throws {
        let url = ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("model missing at \(url.path): run `make models`")
            return
        }
        let fixture = try #require(Bundle.module.url(forResource: "gguf_smollm2", withExtension: "json", subdirectory: "Fixtures"))
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: fixture))
        let file = try GGUFFile(url: url)
        #expect(Int(file.version) == golden.version)
        #expect(file.tensors.count == golden.tensor_count)
        #expect(file.string("general.architecture") == "llama")
        #expect(file.int("llama.block_count") == 30)
        #expect(file.int("llama.attention.head_count_kv") == 3)
        #expect(file.float("llama.rope.freq_base") == 100_000)
        #expect(file.string("tokenizer.ggml.pre") == "smollm")
        #expect(file.strings("tokenizer.ggml.tokens")?.count == golden.token_count)
        for g in golden.tensors {
            let t = try #require(file.tensor(named: g.name))
            #expect(t.type.name == g.type && t.dimensions == g.dimensions)
            let values = try file.dequantize(t)
            for (i, expected) in g.first.enumerated() { #expect(Double(values[i]) == expected, "\(g.name)[\(i)]") }
            for (i, expected) in zip(g.indices, g.values) { #expect(Double(values[i]) == expected, "\(g.name)[\(i)]") }
            let sum = values.reduce(0.0) { $0 + Double($1) }
            #expect(abs(sum - g.sum) <= 1e-6 * max(1, abs(g.sum)), "\(g.name) sum")
        }
    }
}
