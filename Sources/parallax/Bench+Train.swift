// `parallax bench train [--json] [--peer] [--rounds N] [--profile]`: LoRA training tokens/s and peak
// RSS, optionally beside the PyTorch + PEFT peer script measured in the same run, round by round.
import ArgumentParser
import Foundation
import ModelFiles
import Models
import Training

struct BenchTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "LoRA training throughput and peak memory (batch 4 × 256 tokens, r = 8, q,k,v,o).")

    @Flag(help: "Print one JSON object instead of text.") var json = false
    @Option(help: "Timed steps after 2 warm-up steps.") var steps = 10
    @Option(help: "Micro-batch rows.") var batch = 4
    @Option(help: "Tokens per row.") var seq = 256
    @Option(help: "GGUF model (default: the cached SmolLM2-135M-Instruct).") var model: String?
    @Flag(help: "Also run the PyTorch + PEFT peer (/work/shared/peers/bench_lora.py) back to back.") var peer = false
    @Option(help: "Python interpreter for --peer.") var python = "/tmp/peers/venv/bin/python"
    @Option(help: "Peer script for --peer.") var peerScript = "/work/shared/peers/bench_lora.py"
    @Option(help: "Rounds of Parallax then the peer, back to back; figures are the rounds' medians.") var rounds = 1
    @Flag(help: "Also report the wall time of each part of the step (ms per step).") var profile = false

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() async throws {
        let url = model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("model not found at \(url.path); run `make models` or pass --model")
        }
        var results: [TrainingBenchmarkResult] = []
        var peers: [[String: Any]] = []
        for round in 1...rounds {
            let result = try TrainingBenchmark.run(modelURL: url, batch: batch, seq: seq, steps: steps, profile: profile) { step in
                if !json { FileHandle.standardError.write(Data("\rround \(round): step \(step)".utf8)) }
            }
            results.append(result)
            if peer, let peerResult = runPeer() { peers.append(peerResult) }
        }
        // The round with the median tokens/s stands for the run (its profile and losses with it).
        let result = results.sorted { $0.tokensPerSecond < $1.tokensPerSecond }[results.count / 2]
        // Peak RSS of the first round, a fresh process as each peer run is: later rounds start with
        // memory the allocator kept from the rounds before (measured ≈ +90 MiB).
        let peakRSS = results[0].peakRSSMiB
        let peerRates = peers.compactMap { $0["train_tok_s"] as? Double }.filter { $0 > 0 }
        let peerRate = peerRates.isEmpty ? nil : median(peerRates)
        let peerRSS = peers.compactMap { $0["peak_rss_mib"] as? Double }.max()
        if json {
            var object: [String: Any] = [
                "benchmark": "train", "tokens_per_second": result.tokensPerSecond,
                "step_seconds_median": result.stepSecondsMedian, "cpu_seconds_per_step": result.cpuSecondsPerStep,
                "peak_rss_mib": peakRSS, "peak_rss_mib_rounds": results.map(\.peakRSSMiB),
                "load_seconds": result.loadSeconds, "loss_first": result.firstLoss, "loss_last": result.lastLoss,
                "batch": result.batch, "seq": result.seq, "rank": result.rank, "targets": result.targets,
                "steps": result.steps, "blas_threads": ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "",
                "rounds": rounds, "tokens_per_second_rounds": results.map(\.tokensPerSecond),
            ]
            if let parts = result.profile {
                object["profile_ms_per_step"] = Dictionary(uniqueKeysWithValues: parts.map { ($0.part, $0.milliseconds) })
            }
            if let peerRate {
                object["peer"] = peers.count == 1 ? peers[0] : ["train_tok_s": peerRate, "peak_rss_mib": peerRSS ?? 0,
                                                                "train_tok_s_rounds": peerRates]
                object["speedup"] = result.tokensPerSecond / peerRate
                if peerRates.count == results.count {
                    object["speedup_rounds"] = zip(results, peerRates).map { $0.tokensPerSecond / $1 }
                }
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("")
            if rounds > 1 {
                for (i, r) in results.enumerated() {
                    let peerText = i < peerRates.count ? String(format: "   peer %6.1f   %.2f×", peerRates[i], r.tokensPerSecond / peerRates[i]) : ""
                    print(String(format: "round %d   parallax %6.1f tokens/s", i + 1, r.tokensPerSecond) + peerText)
                }
            }
            print(String(format: "parallax  %7.1f tokens/s   step %.2f s   peak RSS %6.0f MiB   loss %.3f → %.3f",
                         result.tokensPerSecond, result.stepSecondsMedian, peakRSS, result.firstLoss, result.lastLoss))
            if let peerRate {
                print(String(format: "peer      %7.1f tokens/s                 peak RSS %6.0f MiB   (PyTorch + PEFT, fp32)",
                             peerRate, peerRSS ?? 0))
                print(String(format: "speed-up  %.2f×", result.tokensPerSecond / peerRate))
            } else if peer {
                print("peer: not available (\(python) \(peerScript) failed or is missing)")
            }
            if let parts = result.profile {
                let total = parts.reduce(0) { $0 + $1.milliseconds }
                print(String(format: "profile (ms per step, %.0f of %.0f timed):", total, result.stepSecondsMedian * 1000))
                for part in parts.sorted(by: { $0.milliseconds > $1.milliseconds }) {
                    let name = part.part.padding(toLength: 26, withPad: " ", startingAt: 0)
                    print("  " + name + String(format: " %7.1f", part.milliseconds))
                }
            }
        }
    }

    /// Runs one child of the peer script and returns its CHILD record.
    func runPeer() -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: python), FileManager.default.fileExists(atPath: peerScript) else { return nil }
        let arguments = [peerScript, "--child", "--targets", "attn", "--batch", "\(batch)", "--seq", "\(seq)",
                         "--warmup", "2", "--steps", "\(steps)", "--mode", "transformers"]
        switch PeerProcess.record(python: python, arguments: arguments, environment: ["PEERS_OUT": "/dev/null"], marker: "CHILD ") {
        case .success(let object): return object
        case .failure(let failure):
            FileHandle.standardError.write(Data("peer: \(failure)\n".utf8))
            return nil
        }
    }
}
