// Reader for the safetensors format: a memory-mapped file whose tensors are checked before use
// and converted to f32 on request.
//
// Format (https://github.com/huggingface/safetensors, "Format" section):
//  1. 8 bytes: N, the header length, unsigned little-endian 64-bit.
//  2. N bytes: a UTF-8 JSON object. Each key is a tensor name mapping to
//     {"dtype": "F32", "shape": [d0, d1, …], "data_offsets": [begin, end]}; the optional key
//     "__metadata__" maps to an object of string → string.
//  3. The rest: the byte buffer. Offsets are relative to its start, `end` exclusive, row-major,
//     little-endian. Tensors must not overlap.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a safetensors file could not be read.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case truncated(size: Int)
    case badHeaderLength(length: UInt64, fileSize: Int)
    case malformedHeader(reason: String)
    case unknownDType(tensor: String, dtype: String)
    case badShape(tensor: String, shape: [Int])
    case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataSize: Int)
    case sizeMismatch(tensor: String, expectedBytes: Int, actualBytes: Int)
    case overlapping(first: String, second: String)
    case missingTensor(name: String)
    case unexpectedShape(tensor: String, expected: [Int], actual: [Int])
    case unsupportedConversion(tensor: String, dtype: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "Cannot open safetensors file \(path): \(reason). Check the path, or re-run `make models`."
        case let .truncated(size):
            "Safetensors file is \(size) bytes, too short for its 8-byte header length. The file is truncated; fetch it again."
        case let .badHeaderLength(length, fileSize):
            "Safetensors header claims \(length) bytes but the file has \(fileSize); the file is damaged or not safetensors."
        case let .malformedHeader(reason):
            "Safetensors header is not valid: \(reason). The file is damaged or not safetensors."
        case let .unknownDType(tensor, dtype):
            "Tensor \(tensor) has unknown dtype \"\(dtype)\"; this reader knows F64, F32, F16, BF16 and integer types."
        case let .badShape(tensor, shape):
            "Tensor \(tensor) has an invalid shape \(shape) (negative or too large)."
        case let .offsetsOutOfRange(tensor, begin, end, dataSize):
            "Tensor \(tensor) claims bytes \(begin)..<\(end) but the data section has \(dataSize) bytes; the file is truncated or damaged."
        case let .sizeMismatch(tensor, expected, actual):
            "Tensor \(tensor) needs \(expected) bytes for its shape and dtype but its offsets span \(actual)."
        case let .overlapping(first, second):
            "Tensors \(first) and \(second) overlap in the file; the file is damaged."
        case let .missingTensor(name):
            "The model file has no tensor named \(name); is it the right model?"
        case let .unexpectedShape(tensor, expected, actual):
            "Tensor \(tensor) has shape \(actual) but \(expected) was expected; is it the right model?"
        case let .unsupportedConversion(tensor, dtype):
            "Tensor \(tensor) is \(dtype); only F32, F16 and BF16 tensors can be read as floats."
        }
    }
}

/// A safetensors file, mapped read-only. Immutable after init; the mapping lives as long as the object.
public final class SafetensorsFile: @unchecked Sendable {
    /// Element types the format defines.
    public enum DType: String, Sendable, CaseIterable {
        case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
        case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
        case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8", bool = "BOOL"

        /// Bytes per element.
        public var byteSize: Int {
            switch self {
            case .f64, .i64, .u64: 8
            case .f32, .i32, .u32: 4
            case .f16, .bf16, .i16, .u16: 2
            case .i8, .u8, .bool: 1
            }
        }
    }

    /// Where one tensor lives in the file.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        /// Byte range inside the data section.
        public let byteRange: Range<Int>
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The free-form `__metadata__` strings.
    public let metadata: [String: String]
    /// Tensors by name.
    public let tensors: [String: TensorInfo]

    private let base: UnsafeRawPointer
    private let size: Int
    private let dataStart: Int
    private let release: @Sendable (UnsafeRawPointer, Int) -> Void

    /// Memory-maps a file and checks its header.
    public convenience init(url: URL) throws {
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SafetensorsError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SafetensorsError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        let size = Int(st.st_size)
        guard size >= 8 else { throw SafetensorsError.truncated(size: size) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw SafetensorsError.cannotOpen(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        try self.init(base: UnsafeRawPointer(mapped), size: size) { pointer, size in
            munmap(UnsafeMutableRawPointer(mutating: pointer), size)
        }
    }

    /// Parses an in-memory copy of a file (for tests).
    public convenience init(bytes: [UInt8]) throws {
        let copy = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        try self.init(base: UnsafeRawPointer(copy), size: bytes.count) { pointer, _ in pointer.deallocate() }
    }

    private init(base: UnsafeRawPointer, size: Int, release: @escaping @Sendable (UnsafeRawPointer, Int) -> Void) throws {
        self.base = base
        self.size = size
        self.release = release
        do {
            guard size >= 8 else { throw SafetensorsError.truncated(size: size) }
            let headerLength = base.loadUnaligned(as: UInt64.self).littleEndian
            guard headerLength >= 2, headerLength <= UInt64(size - 8), headerLength <= 100_000_000 else {
                throw SafetensorsError.badHeaderLength(length: headerLength, fileSize: size)
            }
            dataStart = 8 + Int(headerLength)
            let header = Data(bytes: base + 8, count: Int(headerLength))
            (metadata, tensors) = try Self.parseHeader(header, dataSize: size - dataStart)
        } catch {
            release(base, size)
            throw error
        }
    }

    deinit { release(base, size) }

    /// The tensor's description, or `missingTensor`.
    public func info(_ name: String) throws -> TensorInfo {
        guard let info = tensors[name] else { throw SafetensorsError.missingTensor(name: name) }
        return info
    }

    /// The raw little-endian bytes of a tensor (bounds checked at init).
    public func bytes(of info: TensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + dataStart + info.byteRange.lowerBound, count: info.byteRange.count)
    }

    /// A tensor's elements as f32, row-major; F32, F16 and BF16 are converted.
    /// With `shape`, throws unless the tensor has exactly that shape.
    public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        let info = try info(name)
        if let shape, shape != info.shape {
            throw SafetensorsError.unexpectedShape(tensor: name, expected: shape, actual: info.shape)
        }
        let raw = bytes(of: info)
        let count = info.elementCount
        switch info.dtype {
        case .f32:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: count * 4) }
                initialized = count
            }
        case .f16:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self).littleEndian
                    buffer[i] = Float(Float16(bitPattern: bits))
                }
                initialized = count
            }
        case .bf16:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self).littleEndian
                    buffer[i] = Float(bitPattern: UInt32(bits) << 16)
                }
                initialized = count
            }
        default:
            throw SafetensorsError.unsupportedConversion(tensor: name, dtype: info.dtype.rawValue)
        }
    }

    // MARK: - Header

    static func parseHeader(_ header: Data, dataSize: Int) throws -> ([String: String], [String: TensorInfo]) {
        let object: Any
        do {
            object = try JSONGuard.object(from: header)
        } catch {
            throw SafetensorsError.malformedHeader(reason: "JSON does not parse (\(error))")
        }
        guard let entries = object as? [String: Any] else {
            throw SafetensorsError.malformedHeader(reason: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let strings = value as? [String: Any] else {
                    throw SafetensorsError.malformedHeader(reason: "__metadata__ is not an object")
                }
                for (key, item) in strings {
                    guard let text = item as? String else {
                        throw SafetensorsError.malformedHeader(reason: "__metadata__[\(key)] is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try parseTensor(name: name, value: value, dataSize: dataSize)
        }
        // No two tensors may share bytes (empty tensors occupy none).
        let ordered = tensors.values.filter { !$0.byteRange.isEmpty }.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.byteRange.lowerBound < previous.byteRange.upperBound {
            throw SafetensorsError.overlapping(first: previous.name, second: next.name)
        }
        return (metadata, tensors)
    }

    private static func parseTensor(name: String, value: Any, dataSize: Int) throws -> TensorInfo {
        guard let fields = value as? [String: Any] else {
            throw SafetensorsError.malformedHeader(reason: "entry \(name) is not an object")
        }
        guard let dtypeName = fields["dtype"] as? String else {
            throw SafetensorsError.malformedHeader(reason: "entry \(name) has no dtype string")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw SafetensorsError.unknownDType(tensor: name, dtype: dtypeName)
        }
        guard let shapeValues = fields["shape"] as? [Any], let shape = integers(shapeValues) else {
            throw SafetensorsError.malformedHeader(reason: "entry \(name) has no integer shape list")
        }
        guard let offsetValues = fields["data_offsets"] as? [Any], let offsets = integers(offsetValues), offsets.count == 2 else {
            throw SafetensorsError.malformedHeader(reason: "entry \(name) has no [begin, end] data_offsets")
        }
        var elements = 1
        for dimension in shape {
            guard dimension >= 0 else { throw SafetensorsError.badShape(tensor: name, shape: shape) }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Int(Int32.max) * 64 else { throw SafetensorsError.badShape(tensor: name, shape: shape) }
            elements = product
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, end >= begin, end <= dataSize else {
            throw SafetensorsError.offsetsOutOfRange(tensor: name, begin: begin, end: end, dataSize: dataSize)
        }
        let expected = elements * dtype.byteSize
        guard expected == end - begin else {
            throw SafetensorsError.sizeMismatch(tensor: name, expectedBytes: expected, actualBytes: end - begin)
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    /// JSON numbers as exact integers, or nil if any is not a whole number in range.
    private static func integers(_ values: [Any]) -> [Int]? {
        var result: [Int] = []
        result.reserveCapacity(values.count)
        for value in values {
            guard let number = value as? NSNumber else { return nil }
            let double = number.doubleValue
            guard double.rounded() == double, abs(double) < 9e15 else { return nil }
            result.append(number.intValue)
        }
        return result
    }
}
