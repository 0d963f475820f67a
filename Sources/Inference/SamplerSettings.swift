// How the next token is chosen: greedy, or temperature with top-k and top-p (nucleus) filtering.

/// Sampling settings. Temperature 0 is greedy (argmax). Otherwise logits are divided by the
/// temperature, the `topK` most likely tokens are kept (0 keeps all), then the smallest set of
/// those whose probabilities sum to at least `topP` (1 keeps all; Holtzman et al. 2019,
/// arXiv:1904.09751), and a token is drawn from what remains with a generator seeded by `seed`,
/// so the same settings and prompt give the same text.
public struct SamplerSettings: Sendable, Equatable, Codable {
    public var temperature: Float
    public var topK: Int
    public var topP: Float
    public var seed: UInt64

    public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
    }

    /// Argmax decoding.
    public static let greedy = SamplerSettings()

    /// Throws when a value is outside its range.
    public func validate() throws(InferenceError) {
        guard temperature.isFinite, temperature >= 0, temperature <= 100 else {
            throw .invalidSetting(name: "temperature", value: "\(temperature)", expected: "0…100 (0 = greedy)")
        }
        guard topK >= 0 else { throw .invalidSetting(name: "top-k", value: "\(topK)", expected: "0 (off) or more") }
        guard topP.isFinite, topP > 0, topP <= 1 else {
            throw .invalidSetting(name: "top-p", value: "\(topP)", expected: "a number in (0, 1]")
        }
    }
}

/// xoshiro256** (Blackman & Vigna 2018) seeded through SplitMix64: small, fast and the same on
/// every platform, so sampling is reproducible from the seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let m = s1 &* 5
        let result = (m << 7 | m >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform Double in [0, 1) from the top 53 bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
