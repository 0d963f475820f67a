// Safetensors reader: well-formed files in every float dtype, and hostile headers that must fail cleanly.
import Foundation
import Testing
@testable import ModelFiles

@Suite struct SafetensorsTests {
    /// A file from a header JSON and a data section.
    static func file(header: String, data: [UInt8], headerLength: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        let length = headerLength ?? UInt64(json.count)
        return withUnsafeBytes(of: length.littleEndian) { Array($0) } + json + data
    }

    static func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }

    @Test func readsF32F16AndBF16AsFloats() throws {
        let f32 = Self.bytes([Float(1.5), -2, 3.25, 0])
        let f16 = Self.bytes([Float16(0.5), Float16(-1)].map(\.bitPattern))
        let bf16 = Self.bytes([Float(3.0), Float(-0.15625)].map { UInt16($0.bitPattern >> 16) })
        let header = """
            {"__metadata__":{"format":"pt"},
             "a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},
             "b":{"dtype":"F16","shape":[2],"data_offsets":[16,20]},
             "c":{"dtype":"BF16","shape":[2],"data_offsets":[20,24]}}
            """
        let st = try SafetensorsFile(bytes: Self.file(header: header, data: f32 + f16 + bf16))
        #expect(st.metadata == ["format": "pt"])
        #expect(try st.floats("a", shape: [2, 2]) == [1.5, -2, 3.25, 0])
        #expect(try st.floats("b") == [0.5, -1])
        #expect(try st.floats("c") == [3.0, -0.15625])
        #expect(try st.info("a").shape == [2, 2])
    }

    @Test func wrongExpectedShapeAndMissingTensor() throws {
        let st = try SafetensorsFile(bytes: Self.file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                                                      data: Self.bytes([Float(1), 2])))
        #expect(throws: SafetensorsError.unexpectedShape(tensor: "a", expected: [1, 2], actual: [2])) {
            try st.floats("a", shape: [1, 2])
        }
        #expect(throws: SafetensorsError.missingTensor(name: "b")) { try st.floats("b") }
    }

    @Test func integerTensorsAreListedButNotConverted() throws {
        let st = try SafetensorsFile(bytes: Self.file(header: #"{"ids":{"dtype":"I64","shape":[1,2],"data_offsets":[0,16]}}"#,
                                                      data: Self.bytes([Int64(0), 1])))
        #expect(st.tensors["ids"]?.dtype == .i64)
        #expect(throws: SafetensorsError.unsupportedConversion(tensor: "ids", dtype: "I64")) { try st.floats("ids") }
    }

    @Test func tooShortFile() {
        #expect(throws: SafetensorsError.truncated(size: 3)) { try SafetensorsFile(bytes: [1, 2, 3]) }
    }

    @Test func headerLengthPastTheEnd() {
        let bytes = Self.file(header: "{}", data: [], headerLength: 1_000)
        #expect(throws: SafetensorsError.badHeaderLength(length: 1_000, fileSize: bytes.count)) {
            try SafetensorsFile(bytes: bytes)
        }
        let huge = Self.file(header: "{}", data: [], headerLength: .max)
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: huge) }
    }

    @Test func headerThatIsNotJSON() {
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: Self.file(header: "{not json", data: [])) }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: Self.file(header: "[1,2]", data: [])) }
    }

    @Test func unknownDType() {
        let bytes = Self.file(header: #"{"a":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}}"#, data: [0])
        #expect(throws: SafetensorsError.unknownDType(tensor: "a", dtype: "Q7")) { try SafetensorsFile(bytes: bytes) }
    }

    @Test func offsetsOutsideTheData() {
        let bytes = Self.file(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: [0, 0, 0, 0])
        #expect(throws: SafetensorsError.offsetsOutOfRange(tensor: "a", begin: 0, end: 16, dataSize: 4)) {
            try SafetensorsFile(bytes: bytes)
        }
        let reversed = Self.file(header: #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#, data: [0, 0, 0, 0])
        #expect(throws: SafetensorsError.offsetsOutOfRange(tensor: "a", begin: 4, end: 0, dataSize: 4)) {
            try SafetensorsFile(bytes: reversed)
        }
    }

    @Test func shapeThatDisagreesWithTheByteSpan() {
        let bytes = Self.file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8))
        #expect(throws: SafetensorsError.sizeMismatch(tensor: "a", expectedBytes: 12, actualBytes: 8)) {
            try SafetensorsFile(bytes: bytes)
        }
        let negative = Self.file(header: #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        #expect(throws: SafetensorsError.badShape(tensor: "a", shape: [-1])) { try SafetensorsFile(bytes: negative) }
        let overflow = Self.file(header: #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: overflow) }
    }

    @Test func overlappingTensors() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(throws: SafetensorsError.overlapping(first: "a", second: "b")) {
            try SafetensorsFile(bytes: Self.file(header: header, data: Array(repeating: 0, count: 12)))
        }
    }

    @Test func errorsSayWhatToDo() {
        let text = SafetensorsError.offsetsOutOfRange(tensor: "w", begin: 0, end: 9, dataSize: 4).description
        #expect(text.contains("w") && text.contains("truncated"))
    }

    @Test func mapsTheRealMiniLMFile() throws {
        let url = ModelCache().embedderDirectory.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("skipping: \(url.path) is absent (run `make models`)")
            return
        }
        let st = try SafetensorsFile(url: url)
        #expect(st.tensors.count == 104)
        let gamma = try st.floats("embeddings.LayerNorm.weight", shape: [384])
        #expect(gamma.allSatisfy { $0.isFinite })
        #expect(try st.info("embeddings.word_embeddings.weight").shape == [30522, 384])
    }
}
