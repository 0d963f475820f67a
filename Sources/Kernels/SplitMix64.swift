// A small seeded generator shared by training, benchmarks and tests (one copy for the whole project).

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, also usable as a hash.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }
    /// Uniform in [0, 1).
    public mutating func nextFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }
    /// The finaliser alone: a stateless hash of one 64-bit value.
    @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
