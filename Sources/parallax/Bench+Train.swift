// `parallax bench train [--json] [--peer]`: LoRA training tokens/s and peak RSS, optionally beside
// the PyTorch + PEFT peer script measured in the same run.
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

    func run() async throws {
        let url = model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("model not found at \(url.path); run `make models` or pass --model")
        }
        let result = try TrainingBenchmark.run(modelURL: url, batch: batch, seq: seq, steps: steps) { step in
            if !json { FileHandle.standardError.write(Data("\rstep \(step)".utf8)) }
        }
        var peerResult: [String: Any]?
        if peer { peerResult = runPeer() }
        if json {
            var object: [String: Any] = [
                "benchmark": "train", "tokens_per_second": result.tokensPerSecond,
                "step_seconds_median": result.stepSecondsMedian, "cpu_seconds_per_step": result.cpuSecondsPerStep,
                "peak_rss_mib": result.peakRSSMiB,
                "load_seconds": result.loadSeconds, "loss_first": result.firstLoss, "loss_last": result.lastLoss,
                "batch": result.batch, "seq": result.seq, "rank": result.rank, "targets": result.targets,
                "steps": result.steps, "blas_threads": ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "",
            ]
            if let peerResult {
                object["peer"] = peerResult
                if let tps = peerResult["train_tok_s"] as? Double, tps > 0 { object["speedup"] = result.tokensPerSecond / tps }
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("")
            print(String(format: "parallax  %7.1f tokens/s   step %.2f s   peak RSS %6.0f MiB   loss %.3f → %.3f",
                         result.tokensPerSecond, result.stepSecondsMedian, result.peakRSSMiB, result.firstLoss, result.lastLoss))
            if let peerResult, let tps = peerResult["train_tok_s"] as? Double {
                let rss = peerResult["peak_rss_mib"] as? Double ?? 0
                print(String(format: "peer      %7.1f tokens/s                 peak RSS %6.0f MiB   (PyTorch + PEFT, fp32)", tps, rss))
                print(String(format: "speed-up  %.2f×", result.tokensPerSecond / tps))
            } else if peer {
                print("peer: not available (\(python) \(peerScript) failed or is missing)")
            }
        }
    }

    /// Runs one child of the peer script and returns its CHILD record.
    func runPeer() -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: python), FileManager.default.fileExists(atPath: peerScript) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [peerScript, "--child", "--targets", "attn", "--batch", "\(batch)", "--seq", "\(seq)",
                             "--warmup", "2", "--steps", "\(steps)", "--mode", "transformers"]
        var environment = ProcessInfo.processInfo.environment
        environment["PEERS_OUT"] = "/dev/null"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("CHILD ") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
        else { return nil }
        return object
    }
}
