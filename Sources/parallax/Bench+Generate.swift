// `parallax bench generate`: prefill and decode speed, load time and peak memory of the local
// model on a 512-token prompt, optionally side by side with llama.cpp (the peer script).
import ArgumentParser
import Foundation
import Inference
import Kernels
import ModelFiles
import Models

struct BenchGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Prefill tok/s (512-token prompt), decode tok/s (128 tokens at depth 512), load time, peak RSS.")

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Repetitions (the median is reported).")
    var runs = 3

    @Option(name: .customLong("prompt-tokens"), help: "Prompt length for the prefill measurement.")
    var promptTokens = 512

    @Option(name: .customLong("decode-tokens"), help: "Tokens decoded after the prompt.")
    var decodeTokens = 128

    @Option(help: "A llama-architecture GGUF file (default: the cached SmolLM2-135M-Instruct).")
    var model: String?

    @Option(help: "A Python with llama-cpp-python: also run the llama.cpp peer benchmark, right after ours.")
    var peer: String?

    @Option(name: .customLong("peer-script"), help: "The peer benchmark script.")
    var peerScript = "/work/shared/peers/bench_llamacpp.py"

    @Flag(help: "Also time the decode mat-vec kernels alone (caller-thread CPU time per call).")
    var kernels = false

    func validate() throws {
        guard runs >= 1, promptTokens >= 1, decodeTokens >= 1 else { throw ValidationError("--runs, --prompt-tokens and --decode-tokens must be positive") }
    }

    func run() async throws {
        let url = model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
        let loadStart = monotonic()
        let generator: Generator
        do { generator = try Generator(url: url) } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        let loadSeconds = monotonic() - loadStart
        let llama = generator.model
        guard promptTokens + decodeTokens + 1 <= llama.config.contextLength else {
            throw ValidationError("prompt plus decode tokens exceed the model's context (\(llama.config.contextLength))")
        }
        let prompt = Self.syntheticPrompt(generator, count: promptTokens)

        // Warm-up: touch every weight page and the code paths once.
        let warm = llama.makeSession(capacity: 80)
        _ = try warm.prefill(Array(prompt.prefix(64)))
        for _ in 0..<8 { _ = try warm.decode(1) }

        var prefillRates: [Double] = [], decodeRates: [Double] = [], shallowRates: [Double] = []
        var prefillCPU: [Double] = [], decodeCPU: [Double] = []
        let session = llama.makeSession(capacity: promptTokens + decodeTokens + 1)
        for _ in 0..<runs {
            session.reset()
            var t = monotonic(), c = threadCPUSeconds()
            var logits = try session.prefill(prompt)
            prefillRates.append(Double(promptTokens) / (monotonic() - t))
            prefillCPU.append(threadCPUSeconds() - c)
            t = monotonic()
            c = threadCPUSeconds()
            for _ in 0..<decodeTokens { logits = try session.decode(Sampler.argmax(logits)) }
            decodeRates.append(Double(decodeTokens) / (monotonic() - t))
            decodeCPU.append((threadCPUSeconds() - c) / Double(decodeTokens))
            // Decode right after a short prompt (depth 16), as the peer also reports.
            session.reset()
            logits = try session.prefill(Array(prompt.prefix(16)))
            t = monotonic()
            for _ in 0..<decodeTokens { logits = try session.decode(Sampler.argmax(logits)) }
            shallowRates.append(Double(decodeTokens) / (monotonic() - t))
        }
        let ours: [String: Any] = [
            "prefill_tokens_per_s": median(prefillRates), "decode_tokens_per_s": median(decodeRates),
            "decode_depth16_tokens_per_s": median(shallowRates),
            "prefill_all": prefillRates, "decode_all": decodeRates,
            // CPU seconds of the calling thread: less sensitive to other load than wall time.
            "prefill_caller_cpu_s": median(prefillCPU), "decode_caller_cpu_ms_per_token": median(decodeCPU) * 1000,
            "load_s": loadSeconds, "loadavg": MemoryUsage.loadAverage(), "peak_rss_mib": MemoryUsage.peakResidentMiB(),
            "threads": WorkerPool.shared.threadCount, "blas_threads": BLAS.threads, "blas_core": BLAS.coreName,
            "prompt_tokens": promptTokens, "decode_tokens": decodeTokens, "runs": runs,
            "model": url.lastPathComponent, "weight_mib_per_token": Double(llama.weightBytesPerToken) / 1_048_576,
        ]
        var report: [String: Any] = ["parallax": ours]
        if kernels { report["kernels"] = Self.kernelTimings(llama) }
        if let peer {
            if let peerResult = runPeer(python: peer) {
                report["llama_cpp"] = peerResult
                let pp = (peerResult["pp_tok_s"] as? [String: Any])?["median"] as? Double
                let tg = (peerResult["tg_d512_tok_s"] as? [String: Any])?["median"] as? Double
                if let pp, pp > 0 { report["prefill_ratio"] = median(prefillRates) / pp }
                if let tg, tg > 0 { report["decode_ratio"] = median(decodeRates) / tg }
            } else {
                report["llama_cpp"] = ["error": "the peer benchmark failed; see stderr"]
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            printTable(report)
        }
    }

    /// Caller-thread CPU microseconds per mat-vec of one layer's projections and of the head.
    static func kernelTimings(_ llama: LlamaModel) -> [String: Double] {
        var result: [String: Double] = [:]
        let x = [Float](repeating: 0.01, count: 4096)
        var y = [Float](repeating: 0, count: llama.config.vocabularySize)
        for (name, w) in llama.benchmarkMatrices {
            let reps = max(3, 20_000_000 / max(1, w.byteCount))
            let c = threadCPUSeconds()
            for _ in 0..<reps { WorkerPool.shared.matVec(w, x, &y) }
            let micros = (threadCPUSeconds() - c) / Double(reps) * 1e6
            result[name + "_us"] = micros
            result[name + "_GBps"] = Double(w.byteCount) / (micros * 1e-6) / 1e9
        }
        // One layer's prefill attention at 512 positions (wall time, all threads).
        let c = llama.config, n = 512
        let keys = [Float](repeating: 0.01, count: c.kvDimension * n), values = keys
        let q = [Float](repeating: 0.02, count: n * c.attentionDimension)
        var scores = [Float](repeating: 0, count: 128 * n), out = [Float](repeating: 0, count: n * c.attentionDimension)
        var k2 = keys, v2 = values
        k2.withUnsafeMutableBufferPointer { kp in v2.withUnsafeMutableBufferPointer { vp in
            let view = KVView(keys: kp.baseAddress!, values: vp.baseAddress!, kvHeads: c.kvHeadCount, headDim: c.headDimension, capacity: n)
            let t = monotonic(), cpu = threadCPUSeconds()
            for _ in 0..<10 {
                WorkerPool.shared.attendPrefill(q: q, cache: view, heads: c.headCount, start: 0, count: n, scores: &scores, out: &out)
            }
            result["prefill_attention_layer_ms"] = (monotonic() - t) / 10 * 1000
            result["prefill_attention_layer_caller_cpu_ms"] = (threadCPUSeconds() - cpu) / 10 * 1000
        } }
        return result
    }

    /// Deterministic English-like text from a fixed word list, tokenized, cut to `count` ids.
    static func syntheticPrompt(_ generator: Generator, count: Int) -> [Int] {
        let words = """
            the of and to in is was for on that with as by at from his it an were are which this be or has had first \
            one their its new after but who not they have her she two been other when there all during into school \
            time may years more most only over city some world would where later up such used many can state about
            """.split(separator: " ").map(String.init)
        var random = SeededGenerator(seed: 1)
        var ids: [Int] = []
        while ids.count < count {
            let sentence = (0..<40).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ")
            ids += generator.tokenizer.encode(sentence.prefix(1).uppercased() + sentence.dropFirst() + ". ")
        }
        return Array(ids.prefix(count))
    }

    /// Runs the llama.cpp peer script and returns its RESULT record.
    func runPeer(python: String) -> [String: Any]? {
        switch PeerProcess.record(python: python, arguments: [peerScript, "--runs", String(runs)], marker: "RESULT ",
                                  showStandardError: true) {
        case .success(let object):
            if let stats = object["stats"] as? [String: Any] { return stats }
            FileHandle.standardError.write(Data("peer: its RESULT line has no stats\n".utf8))
        case .failure(let failure):
            FileHandle.standardError.write(Data("peer: \(failure)\n".utf8))
        }
        return nil
    }

    func printTable(_ report: [String: Any]) {
        guard let ours = report["parallax"] as? [String: Any] else { return }
        func number(_ any: Any?) -> String {
            guard let v = any as? Double else { return "–" }
            return String(format: "%.1f", v)
        }
        let peer = report["llama_cpp"] as? [String: Any]
        func peerMedian(_ key: String) -> Any? { (peer?[key] as? [String: Any])?["median"] }
        print("model \(ours["model"] ?? "?"), \(ours["threads"] ?? "?") threads, OpenBLAS \(ours["blas_core"] ?? "?"), median of \(runs) runs")
        print("                              parallax   llama.cpp")
        print("prefill tok/s (512 prompt)  \(number(ours["prefill_tokens_per_s"]).leftPadded(10))  \(number(peerMedian("pp_tok_s")).leftPadded(10))")
        print("decode tok/s (depth 512)    \(number(ours["decode_tokens_per_s"]).leftPadded(10))  \(number(peerMedian("tg_d512_tok_s")).leftPadded(10))")
        print("decode tok/s (depth 16)     \(number(ours["decode_depth16_tokens_per_s"]).leftPadded(10))  \(number(peerMedian("tg_d16_tok_s")).leftPadded(10))")
        print("load s                      \(String(format: "%.3f", ours["load_s"] as? Double ?? 0).leftPadded(10))  \(number(peerMedian("load_s")).leftPadded(10))")
        print("peak RSS MiB                \(number(ours["peak_rss_mib"]).leftPadded(10))  \(number(peerMedian("peak_rss_mib")).leftPadded(10))")
        print(String(format: "caller-thread CPU: prefill %.3f s, decode %.2f ms/token; ",
                     ours["prefill_caller_cpu_s"] as? Double ?? 0, ours["decode_caller_cpu_ms_per_token"] as? Double ?? 0)
              + "load average \(ours["loadavg"] as? String ?? "?")")
        if let r = report["prefill_ratio"] as? Double, let d = report["decode_ratio"] as? Double {
            print(String(format: "ratio parallax / llama.cpp: prefill %.2f×, decode %.2f×", r, d))
        }
    }
}

private func monotonic() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// CPU time of the calling thread, in seconds.
private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}



private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
