// `parallax bench tokenize`: encoding speed of the BPE tokenizer, optionally against llama.cpp.
import ArgumentParser
import Foundation
import ModelFiles
import Tokenizers

struct BenchTokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Measure BPE encoding speed (tokens/s) on a long text; compare with llama.cpp when installed.")

    @Option(help: "Text file to encode (default: 1 MB of generated mixed text: prose, numbers, code, accents, CJK).")
    var file: String?

    @Option(help: "Timed passes (the first after a cold cache is reported separately).")
    var runs = 3

    @Option(help: "A GGUF model file (default: the cached SmolLM2-135M-Instruct).")
    var model: String?

    @Option(help: "Python with llama_cpp for the peer measurement (default: /tmp/peers/venv/bin/python if present; 'none' to skip).")
    var peerPython: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let url = model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("No model file at \(url.path). Run `make models`, or pass --model PATH.")
        }
        let loadStart = Date()
        let tokenizer = try BPETokenizer(gguf: GGUFFile(url: url))
        let loadSeconds = Date().timeIntervalSince(loadStart)

        let text: String
        if let file {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } else {
            text = Self.generatedText(bytes: 1 << 20)
        }
        let bytes = text.utf8.count

        // Cold: a fresh tokenizer cache; warm: the cache filled by earlier passes.
        var seconds: [Double] = []
        var tokenCount = 0
        for _ in 0..<max(1, runs) + 1 {
            let start = Date()
            tokenCount = tokenizer.encode32(text).count
            seconds.append(Date().timeIntervalSince(start))
        }
        let cold = seconds[0]
        let warmSamples = Array(seconds.dropFirst()).sorted()
        let warm = warmSamples[warmSamples.count / 2]  // median

        let decodeStart = Date()
        let ids = tokenizer.encode32(text)
        let roundTrip = tokenizer.decode(ids)
        let decodeSeconds = Date().timeIntervalSince(decodeStart)

        let peer = measurePeer(text: text, model: url)
        var result: [String: Any] = [
            "bench": "tokenize", "bytes": bytes, "tokens": tokenCount,
            "load_seconds": loadSeconds,
            "encode_cold_tokens_per_s": Double(tokenCount) / cold,
            "encode_warm_tokens_per_s": Double(tokenCount) / warm,
            "encode_warm_mb_per_s": Double(bytes) / warm / 1e6,
            "encode_plus_decode_seconds": decodeSeconds,
            "round_trip_exact": roundTrip == text,
            "samples_seconds": seconds,
        ]
        if let peer {
            result["peer"] = "llama.cpp (llama-cpp-python) Llama.tokenize"
            result["peer_tokens"] = peer.tokens
            result["peer_tokens_per_s"] = Double(peer.tokens) / peer.seconds
            result["same_ids_count"] = peer.tokens == tokenCount
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("text: \(bytes) bytes → \(tokenCount) tokens; tokenizer load \(String(format: "%.3f", loadSeconds)) s")
            print(String(format: "encode: cold %.0f tokens/s, warm %.0f tokens/s (%.1f MB/s)",
                         Double(tokenCount) / cold, Double(tokenCount) / warm, Double(bytes) / warm / 1e6))
            print("round trip exact: \(roundTrip == text)")
            if let peer {
                print(String(format: "peer llama.cpp tokenize: %.0f tokens/s (%d tokens)",
                             Double(peer.tokens) / peer.seconds, peer.tokens))
            }
        }
    }

    /// Times llama-cpp-python's tokenizer on the same text (median of 3), when it is installed.
    private func measurePeer(text: String, model: URL) -> (tokens: Int, seconds: Double)? {
        let python = peerPython ?? "/tmp/peers/venv/bin/python"
        guard python != "none", FileManager.default.isExecutableFile(atPath: python) else { return nil }
        let textURL = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-bench-\(getpid()).txt")
        defer { try? FileManager.default.removeItem(at: textURL) }
        guard (try? text.write(to: textURL, atomically: true, encoding: .utf8)) != nil else { return nil }
        let script = """
            import sys, time, json, llama_cpp
            llm = llama_cpp.Llama(model_path=sys.argv[1], vocab_only=True, verbose=False)
            data = open(sys.argv[2], 'rb').read()
            times = []
            for _ in range(3):
                t = time.perf_counter(); ids = llm.tokenize(data, add_bos=False, special=False); times.append(time.perf_counter() - t)
            print(json.dumps({"tokens": len(ids), "seconds": sorted(times)[1]}))
            """
        guard case .success(let object) = PeerProcess.record(python: python, arguments: ["-c", script, model.path, textURL.path], marker: ""),
              let tokens = object["tokens"] as? Int, let seconds = object["seconds"] as? Double, seconds > 0
        else { return nil }
        return (tokens, seconds)
    }

    /// Deterministic mixed text: English-like prose, numbers, code, accented words and CJK.
    static func generatedText(bytes: Int) -> String {
        let words = ["the", "policy", "travel", "expense", "report", "must", "be", "approved", "by", "a", "manager",
                     "before", "booking", "flights", "and", "hotels", "employees", "should", "keep", "receipts",
                     "for", "at", "least", "seven", "years", "per", "diem", "rates", "apply", "to", "meals",
                     "incidental", "costs", "remote", "work", "requires", "secure", "VPN", "access", "laptop",
                     "encryption", "is", "mandatory", "café", "naïve", "résumé", "Zürich", "São", "Paulo",
                     "東京", "会議", "정책", "données", "über", "straße", "don't", "it's", "we'll", "they've"]
        let code = ["func total(_ items: [Item]) -> Double {\n    items.reduce(0) { $0 + $1.price }\n}\n",
                    "if (x >= 10 && y != nil) { return -1; }\n", "SELECT id, name FROM users WHERE age > 30;\n",
                    "{\"id\": 42, \"tags\": [\"a\", \"b\"], \"ok\": true}\n"]
        var generator: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            generator ^= generator << 13; generator ^= generator >> 7; generator ^= generator << 17
            return Int(generator % UInt64(bound))
        }
        var text = ""
        text.reserveCapacity(bytes + 256)
        while text.utf8.count < bytes {
            switch next(20) {
            case 0: text += code[next(code.count)]
            case 1: text += " \(next(100_000)).\(next(100))"
            case 2: text += ".\n\n"
            case 3: text += ", "
            default: text += " " + words[next(words.count)]
            }
        }
        return text
    }
}
