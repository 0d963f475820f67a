// The synthetic passages the sentence-transformers peer benchmark embeds, reproduced exactly:
// Python's `random.Random(seed).choice(WORDS)` (MT19937, Matsumoto & Nishimura 1998, seeded by
// `init_by_array`, `_randbelow` by rejection) over the word list of /work/shared/peers/common.py.

/// Builds the same passages as `common.synthetic_text(n_words, seed)`.
enum EmbedBenchCorpus {
    static let words = """
        the of and to in is was for on that with as by at from his it an were are which
        this be or has had first one their its new after but who not they have her she two been other
        when there all during into school time may years more most only over city some world would
        where later up such used many can state about national out known university united then made
        called team film well year american him however also series between both high three under
        being these while government since through part war best season north people back music
        number area south early before album until second county group same including name system
        life played several age because club four water island each work family river use public
        history around field long general although form five local based another following great
        band small against song received million development river village station power among
        country house service member did home league york population company support line still
        near end could down place party title right land included began main way game member church
        left day award short led major won original period old within set version design built book
        region air top military law six role production along found released career park children
        art form water health market energy research village data model language computer network
        software memory process signal data light sound color energy value question answer reason
        problem method theory result effect change level point order table figure section paper
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    /// `synthetic_text(n_words, seed)`: capitalised every 14th word, a full stop after every 14th.
    static func syntheticText(words count: Int, seed: UInt32) -> String {
        var random = PythonRandom(seed: seed)
        var out: [String] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            var word = words[random.below(words.count)]
            if i % 14 == 0 { word = word.prefix(1).uppercased() + word.dropFirst() }
            if i % 14 == 13 { word += "." }
            out.append(word)
        }
        return out.joined(separator: " ")
    }
}

/// CPython's Mersenne Twister as `random.Random(int)` seeds and uses it for `choice`.
struct PythonRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    init(seed: UInt32) {
        // init_genrand(19650218), then init_by_array([seed]).
        state[0] = 19_650_218
        for i in 1..<624 { state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i) }
        var i = 1
        for _ in 0..<624 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ seed
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
        }
        for _ in 0..<623 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 { state[0] = state[623]; i = 1 }
        }
        state[0] = 0x8000_0000
    }

    mutating func next() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `_randbelow(n)`: getrandbits(bit_length(n)) until the value is below n (n < 2³²).
    mutating func below(_ n: Int) -> Int {
        let bits = Int.bitWidth - n.leadingZeroBitCount
        while true {
            let value = Int(next() >> UInt32(32 - bits))
            if value < n { return value }
        }
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
        }
        index = 0
    }
}
