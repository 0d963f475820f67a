// GPT-2's reversible byte ↔ printable-character mapping used by byte-level BPE vocabularies.

/// The byte-level alphabet of GPT-2 (Radford et al. 2019, `bytes_to_unicode` in openai/gpt-2
/// `encoder.py`): the 188 printable bytes map to themselves, the other 68 to U+0100 onwards,
/// so every byte string is a string of visible characters and back.
public enum ByteLevel {
    /// `scalarOfByte[b]` is the character that stands for byte `b` in vocabulary strings.
    public static let scalarOfByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next)!  // 256..<324: always valid scalars
                next += 1
            }
        }
        return table
    }()

    /// The byte a vocabulary character stands for, or nil when it is not in the alphabet.
    @inline(__always)
    public static func byte(of scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 256 {
            let byte = Int(value)
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            return printable ? UInt8(value) : nil
        }
        return value < 324 ? byteOfExtraScalar[Int(value - 256)] : nil
    }

    private static let byteOfExtraScalar: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 68)
        for byte in 0..<256 where scalarOfByte[byte].value >= 256 {
            table[Int(scalarOfByte[byte].value - 256)] = UInt8(byte)
        }
        return table
    }()

    /// The vocabulary string for raw bytes (e.g. " the" → "Ġthe").
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalarOfByte[Int(byte)]) }
        return String(text)
    }

    /// The raw bytes of a vocabulary string, or nil when a character is outside the alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let byte = byte(of: scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
