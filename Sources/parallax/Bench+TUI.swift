// `parallax bench tui [--json]`: key → frame latency and time to first frame of the workbench, off-screen.
import ArgumentParser
import Foundation
import Workbench

struct BenchTUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Replay scripted key events against the off-screen workbench; report p50/p99 key→frame and first frame.")

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Number of key events to replay.")
    var keys = 1000

    @Option(help: "Screen width in cells.")
    var width = 120

    @Option(help: "Screen height in cells.")
    var height = 40

    func validate() throws {
        guard keys > 0 else { throw ValidationError("--keys must be at least 1") }
        guard width >= 20, height >= 8 else { throw ValidationError("--width must be ≥ 20 and --height ≥ 8") }
    }

    func run() throws {
        let result = try TUIBenchmark.run(keys: keys, width: width, height: height)
        let targets = (p99: 8.0, firstFrame: 300.0)
        if json {
            let object: [String: Any] = [
                "benchmark": "tui", "keys": result.keys, "width": result.width, "height": result.height,
                "first_frame_ms": result.firstFrameMilliseconds, "p50_ms": result.p50Milliseconds,
                "p99_ms": result.p99Milliseconds, "max_ms": result.maxMilliseconds, "mean_ms": result.meanMilliseconds,
                "frames": result.framesPresented,
                "target_p99_ms": targets.p99, "target_first_frame_ms": targets.firstFrame,
                "meets_targets": result.p99Milliseconds <= targets.p99 && result.firstFrameMilliseconds <= targets.firstFrame,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("tui: \(result.keys) key events at \(result.width)×\(result.height), scripted backend, off-screen")
            print("  first frame   \(String(format: "%8.3f", result.firstFrameMilliseconds)) ms   (target ≤ \(Int(targets.firstFrame)) ms)")
            print("  key→frame p50 \(String(format: "%8.3f", result.p50Milliseconds)) ms")
            print("  key→frame p99 \(String(format: "%8.3f", result.p99Milliseconds)) ms   (target ≤ \(Int(targets.p99)) ms)")
            print("  max \(String(format: "%.3f", result.maxMilliseconds)) ms · mean \(String(format: "%.3f", result.meanMilliseconds)) ms · \(result.framesPresented) frames")
        }
    }
}
