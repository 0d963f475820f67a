// GGUF: the file format of llama.cpp models. A bounds-checked reader over a mapped buffer.
//
// The format (ggml/docs/gguf.md), all little-endian:
//  1. magic "GGUF" (4 bytes)
//  2. version: uint32 (2 or 3 here; version 1 used 32-bit counts and is not read)
//  3. tensor count: uint64
//  4. metadata key/value count: uint64
//  5. key/value pairs: key (string), value type (uint32), value
//     string = uint64 length + UTF-8 bytes (no terminator)
//     array  = element type (uint32) + uint64 count + elements
//  6. tensor infos: name (string), n_dims (uint32, at most 4), dims (uint64 × n_dims, innermost
//     first), type (uint32), offset (uint64, relative to the start of the data section)
//  7. padding to `general.alignment` (default 32)
//  8. tensor data; each tensor's offset is a multiple of the alignment
//
// Every count and offset is checked against the bytes that remain before it is used, so a
// hostile file is rejected with a `GGUFError` and never traps or allocates without bound.
import Foundation

/// A metadata value.
public indirect enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case float32(Float), bool(Bool), string(String), array([GGUFValue])
    case uint64(UInt64), int64(Int64), float64(Double)

    /// The value as an integer, when it is one and fits.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(v)
        case .bool(let v): v ? 1 : 0
        default: nil
        }
    }

    public var floatValue: Float? {
        switch self {
        case .float32(let v): v
        case .float64(let v): Float(v)
        default: intValue.map(Float.init)
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var arrayValue: [GGUFValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
}

/// Where one tensor's data lies and how it is laid out.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// ggml order: `dimensions[0]` is the innermost (contiguous) one. A Linear layer's weight of
    /// shape (out, in) in PyTorch terms has dimensions [in, out].
    public let dimensions: [Int]
    public let type: GGMLType
    /// Absolute byte offset of the data in the file.
    public let offset: Int
    public let byteCount: Int

    public var elementCount: Int { dimensions.reduce(1, *) }
    /// Number of rows: the product of every dimension but the innermost.
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }
    /// Elements per row (the innermost dimension).
    public var rowLength: Int { dimensions.first ?? 1 }
}

/// What was wrong with a GGUF file.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
    case badMagic(found: [UInt8])
    case unsupportedVersion(UInt32)
    case truncated(offset: Int, needed: Int)
    case implausibleCount(what: String, count: UInt64)
    case invalidString(offset: Int)
    case unknownValueType(key: String, type: UInt32)
    case nestingTooDeep(key: String)
    case duplicateKey(String)
    case duplicateTensor(String)
    case badAlignment(Int)
    case badDimensions(tensor: String, dimensions: [UInt64])
    case unknownTensorType(tensor: String, type: UInt32)
    case misalignedTensor(tensor: String, offset: Int)
    case tensorOutOfBounds(tensor: String, offset: Int, bytes: Int, fileSize: Int)
    case unsupportedTensorType(tensor: String, type: String)
    case missingTensor(String)
    case missingMetadata(String)

    public var description: String {
        switch self {
        case .badMagic(let found):
            "not a GGUF file: it starts with \(found.map { String(format: "%02x", $0) }.joined(separator: " ")), expected \"GGUF\""
        case .unsupportedVersion(let v):
            "GGUF version \(v) is not supported (versions 2 and 3 are); re-convert the model with a current llama.cpp"
        case .truncated(let offset, let needed):
            "the GGUF file is truncated: \(needed) more bytes were needed at offset \(offset); it may be an incomplete download"
        case .implausibleCount(let what, let count):
            "the GGUF file claims \(count) \(what), more than the file could hold; the file is damaged"
        case .invalidString(let offset):
            "the GGUF file holds a string that is not valid UTF-8 at offset \(offset)"
        case .unknownValueType(let key, let type):
            "metadata key \"\(key)\" has unknown value type \(type)"
        case .nestingTooDeep(let key):
            "metadata key \"\(key)\" nests arrays too deeply"
        case .duplicateKey(let key):
            "metadata key \"\(key)\" appears twice"
        case .duplicateTensor(let name):
            "tensor \"\(name)\" appears twice"
        case .badAlignment(let a):
            "general.alignment is \(a); it must be a power of two between 1 and 65536"
        case .badDimensions(let tensor, let dims):
            "tensor \"\(tensor)\" has invalid dimensions \(dims)"
        case .unknownTensorType(let tensor, let type):
            "tensor \"\(tensor)\" has unknown ggml type id \(type)"
        case .misalignedTensor(let tensor, let offset):
            "tensor \"\(tensor)\" starts at offset \(offset), which is not aligned"
        case .tensorOutOfBounds(let tensor, let offset, let bytes, let size):
            "tensor \"\(tensor)\" (\(bytes) bytes at offset \(offset)) runs past the end of the file (\(size) bytes)"
        case .unsupportedTensorType(let tensor, let type):
            "tensor \"\(tensor)\" is of type \(type), which Parallax cannot compute with (supported: F32, F16, BF16, Q4_0, Q4_1, Q8_0); use a model quantised to one of those"
        case .missingTensor(let name):
            "the model has no tensor \"\(name)\""
        case .missingMetadata(let key):
            "the model's metadata has no \"\(key)\""
        }
    }
}

/// A parsed GGUF file. Immutable; tensor data stays in the mapping and lives as long as this object.
public final class GGUFFile: @unchecked Sendable {
    public let version: UInt32
    public let alignment: Int
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    public let tensors: [GGUFTensorInfo]
    private let tensorIndex: [String: Int]
    private let storage: MappedFile

    /// Maps and parses the file at `url`.
    public convenience init(url: URL) throws {
        try self.init(storage: MappedFile(url: url))
    }

    /// Parses an in-memory copy of `bytes`.
    public convenience init(bytes: [UInt8]) throws {
        try self.init(storage: MappedFile(copying: bytes))
    }

    init(storage: MappedFile) throws {
        self.storage = storage
        var parser = GGUFParser(bytes: storage.bytes)
        let parsed = try parser.parse()
        version = parsed.version
        alignment = parsed.alignment
        metadata = parsed.metadata
        metadataKeys = parsed.metadataKeys
        tensors = parsed.tensors
        var index: [String: Int] = [:]
        for (i, t) in parsed.tensors.enumerated() { index[t.name] = i }
        tensorIndex = index
    }

    /// Size of the whole file in bytes.
    public var fileSize: Int { storage.bytes.count }

    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The tensor's bytes (bounds were checked when the file was parsed).
    public func data(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage.bytes[tensor.offset ..< tensor.offset + tensor.byteCount])
    }

    // MARK: Typed metadata

    public func string(_ key: String) -> String? { metadata[key]?.stringValue }
    public func int(_ key: String) -> Int? { metadata[key]?.intValue }
    public func float(_ key: String) -> Float? { metadata[key]?.floatValue }
    public func bool(_ key: String) -> Bool? {
        if case .bool(let b)? = metadata[key] { return b }
        return nil
    }
    public func strings(_ key: String) -> [String]? {
        guard let array = metadata[key]?.arrayValue else { return nil }
        var out: [String] = []
        out.reserveCapacity(array.count)
        for value in array {
            guard let s = value.stringValue else { return nil }
            out.append(s)
        }
        return out
    }
    public func ints(_ key: String) -> [Int]? {
        guard let array = metadata[key]?.arrayValue else { return nil }
        var out: [Int] = []
        out.reserveCapacity(array.count)
        for value in array {
            guard let i = value.intValue else { return nil }
            out.append(i)
        }
        return out
    }
    public func floats(_ key: String) -> [Float]? {
        guard let array = metadata[key]?.arrayValue else { return nil }
        var out: [Float] = []
        out.reserveCapacity(array.count)
        for value in array {
            guard let f = value.floatValue else { return nil }
            out.append(f)
        }
        return out
    }

    /// The tensor named `name`, checked to be of a type Parallax computes with.
    public func requireTensor(_ name: String) throws -> GGUFTensorInfo {
        guard let t = tensor(named: name) else { throw GGUFError.missingTensor(name) }
        guard t.type.isSupportedForCompute else { throw GGUFError.unsupportedTensorType(tensor: name, type: t.type.name) }
        return t
    }
}
