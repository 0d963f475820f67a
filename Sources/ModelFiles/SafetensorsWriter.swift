// Writes safetensors files (format: https://github.com/huggingface/safetensors, "Format"):
// u64 little-endian header length N, an N-byte JSON header (tensor name → dtype, shape,
// data_offsets; optional "__metadata__" string map), padded with spaces to a multiple of 8, then
// the tensors' little-endian bytes back to back in the order they were added.
import Foundation

/// Builds a safetensors file of F32 tensors in memory and writes it atomically.
public struct SafetensorsWriter: Sendable {
    struct Entry: Sendable {
        let name: String
        let shape: [Int]
        let floats: [Float]
    }

    private var entries: [Entry] = []
    /// Free-form string metadata (`__metadata__`).
    public var metadata: [String: String] = [:]

    public init() {}

    /// Adds an F32 tensor of `shape` (row-major `floats`).
    public mutating func add(name: String, shape: [Int], floats: [Float]) {
        precondition(shape.reduce(1, *) == floats.count, "SafetensorsWriter: shape does not match data")
        precondition(!entries.contains { $0.name == name } && name != "__metadata__", "SafetensorsWriter: duplicate name \(name)")
        entries.append(Entry(name: name, shape: shape, floats: floats))
    }

    /// The whole file.
    public func bytes() -> [UInt8] {
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let items = metadata.keys.sorted().map { "\(Self.quote($0)):\(Self.quote(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
        }
        var offset = 0
        for entry in entries {
            let end = offset + entry.floats.count * 4
            let shape = entry.shape.map(String.init).joined(separator: ",")
            parts.append("\(Self.quote(entry.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for entry in entries {
            entry.floats.withUnsafeBufferPointer { buffer in
                for f in buffer { withUnsafeBytes(of: f.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
            }
        }
        return out
    }

    /// Writes the file atomically (a temporary file beside `url`, then renamed over it).
    public func write(to url: URL) throws {
        try Data(bytes()).write(to: url, options: .atomic)
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
