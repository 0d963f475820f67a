// The GGUF parser: a cursor over the mapped bytes that checks every read.

struct GGUFParser {
    struct Parsed {
        var version: UInt32
        var alignment: Int
        var metadata: [String: GGUFValue]
        var metadataKeys: [String]
        var tensors: [GGUFTensorInfo]
    }

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private static let maxNesting = 4
    private static let maxDimensions = 4

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private var remaining: Int { bytes.count - offset }

    mutating func parse() throws -> Parsed {
        let magic = try readBytes(4)
        guard magic == Array("GGUF".utf8) else { throw GGUFError.badMagic(found: magic) }
        let version: UInt32 = try read()
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(version) }
        let tensorCount: UInt64 = try read()
        let kvCount: UInt64 = try read()
        // A key/value pair takes at least 13 bytes and a tensor info at least 28.
        try checkCount(kvCount, minimumBytesEach: 13, what: "metadata entries")
        try checkCount(tensorCount, minimumBytesEach: 28, what: "tensors")

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        keys.reserveCapacity(Int(kvCount))
        for _ in 0..<Int(kvCount) {
            let key = try readString()
            let type: UInt32 = try read()
            let value = try readValue(type: type, key: key, depth: 0)
            guard metadata.updateValue(value, forKey: key) == nil else { throw GGUFError.duplicateKey(key) }
            keys.append(key)
        }

        var alignment = 32
        if let value = metadata["general.alignment"] {
            guard let a = value.intValue, a > 0, a <= 65536, a & (a - 1) == 0 else {
                throw GGUFError.badAlignment(value.intValue ?? -1)
            }
            alignment = a
        }

        struct RawInfo { var name: String; var dims: [Int]; var type: GGMLType; var relativeOffset: UInt64 }
        var raw: [RawInfo] = []
        raw.reserveCapacity(Int(tensorCount))
        var seen = Set<String>()
        for _ in 0..<Int(tensorCount) {
            let name = try readString()
            guard seen.insert(name).inserted else { throw GGUFError.duplicateTensor(name) }
            let nDims: UInt32 = try read()
            guard nDims >= 1, nDims <= UInt32(Self.maxDimensions) else {
                throw GGUFError.badDimensions(tensor: name, dimensions: [UInt64(nDims)])
            }
            var dims64: [UInt64] = []
            for _ in 0..<Int(nDims) { dims64.append(try read()) }
            var dims: [Int] = []
            var elements = 1
            for d in dims64 {
                guard d >= 1, d <= UInt64(Int32.max) else { throw GGUFError.badDimensions(tensor: name, dimensions: dims64) }
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(d))
                guard !overflow else { throw GGUFError.badDimensions(tensor: name, dimensions: dims64) }
                elements = product
                dims.append(Int(d))
            }
            let typeID: UInt32 = try read()
            guard let type = GGMLType(rawValue: typeID) else { throw GGUFError.unknownTensorType(tensor: name, type: typeID) }
            guard dims[0] % type.blockSize == 0 else { throw GGUFError.badDimensions(tensor: name, dimensions: dims64) }
            let relativeOffset: UInt64 = try read()
            raw.append(RawInfo(name: name, dims: dims, type: type, relativeOffset: relativeOffset))
        }

        // The data section starts at the next multiple of the alignment.
        let dataStart = (offset + alignment - 1) / alignment * alignment
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(raw.count)
        for info in raw {
            let elements = info.dims.reduce(1, *)
            guard let byteCount = info.type.byteCount(elements: elements) else {
                throw GGUFError.badDimensions(tensor: info.name, dimensions: info.dims.map(UInt64.init))
            }
            guard info.relativeOffset <= UInt64(bytes.count) else {
                throw GGUFError.tensorOutOfBounds(tensor: info.name, offset: Int(clamping: info.relativeOffset),
                                                  bytes: byteCount, fileSize: bytes.count)
            }
            let start = dataStart + Int(info.relativeOffset)
            guard Int(info.relativeOffset) % alignment == 0 else {
                throw GGUFError.misalignedTensor(tensor: info.name, offset: start)
            }
            let (end, overflow) = start.addingReportingOverflow(byteCount)
            guard !overflow, end <= bytes.count else {
                throw GGUFError.tensorOutOfBounds(tensor: info.name, offset: start, bytes: byteCount, fileSize: bytes.count)
            }
            tensors.append(GGUFTensorInfo(name: info.name, dimensions: info.dims, type: info.type,
                                          offset: start, byteCount: byteCount))
        }
        return Parsed(version: version, alignment: alignment, metadata: metadata, metadataKeys: keys, tensors: tensors)
    }

    // MARK: Values

    private mutating func readValue(type: UInt32, key: String, depth: Int) throws -> GGUFValue {
        switch type {
        case 0: return .uint8(try read())
        case 1: return .int8(try read())
        case 2: return .uint16(try read())
        case 3: return .int16(try read())
        case 4: return .uint32(try read())
        case 5: return .int32(try read())
        case 6: return .float32(Float(bitPattern: try read()))
        case 7:
            let b: UInt8 = try read()
            return .bool(b != 0)
        case 8: return .string(try readString())
        case 9:
            guard depth < Self.maxNesting else { throw GGUFError.nestingTooDeep(key: key) }
            let elementType: UInt32 = try read()
            let count: UInt64 = try read()
            guard let size = Self.minimumSize(ofType: elementType) else {
                throw GGUFError.unknownValueType(key: key, type: elementType)
            }
            try checkCount(count, minimumBytesEach: size, what: "elements in \"\(key)\"")
            var values: [GGUFValue] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                values.append(try readValue(type: elementType, key: key, depth: depth + 1))
            }
            return .array(values)
        case 10: return .uint64(try read())
        case 11: return .int64(try read())
        case 12: return .float64(Double(bitPattern: try read()))
        default: throw GGUFError.unknownValueType(key: key, type: type)
        }
    }

    /// The fewest bytes a value of this type takes, or nil for an unknown type.
    private static func minimumSize(ofType type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 8: 8
        case 9: 12
        case 10, 11, 12: 8
        default: nil
        }
    }

    // MARK: Primitive reads

    private func checkCount(_ count: UInt64, minimumBytesEach: Int, what: String) throws {
        guard count <= UInt64(remaining / max(minimumBytesEach, 1)) else {
            throw GGUFError.implausibleCount(what: what, count: count)
        }
    }

    private mutating func read<T: FixedWidthInteger>() throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw GGUFError.truncated(offset: offset, needed: size - remaining) }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    private mutating func readBytes(_ count: Int) throws -> [UInt8] {
        guard remaining >= count else { throw GGUFError.truncated(offset: offset, needed: count - remaining) }
        let out = Array(bytes[offset ..< offset + count])
        offset += count
        return out
    }

    private mutating func readString() throws -> String {
        let length: UInt64 = try read()
        guard length <= UInt64(remaining) else {
            throw GGUFError.truncated(offset: offset, needed: Int(clamping: length) - remaining)
        }
        let start = offset
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + Int(length)])
        offset += Int(length)
        guard let s = String(validating: slice, as: UTF8.self) else { throw GGUFError.invalidString(offset: start) }
        return s
    }
}
