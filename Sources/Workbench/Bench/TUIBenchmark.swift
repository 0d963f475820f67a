// `parallax bench tui`: replays scripted key events against the off-screen screen with the scripted backend.
import Foundation

/// Measures key → finished frame latency and the time to the first frame, without a terminal.
public enum TUIBenchmark {
    /// Results in milliseconds.
    public struct Result: Sendable {
        public var keys: Int
        public var width: Int
        public var height: Int
        public var firstFrameMilliseconds: Double
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var maxMilliseconds: Double
        public var meanMilliseconds: Double
        public var framesPresented: Int
        public var backendMessages: Int
    }

    /// The scripted session: ask questions, step through hits, exclude, use the palette, open views, resize.
    public static func script(count: Int) -> [InputEvent] {
        var round: [InputEvent] = []
        func type(_ text: String) { round += text.map { .key(.character($0)) } }
        round.append(.key(.character("/")))
        type("what is the per diem for travel?")
        round += [.key(.control("a")), .key(.meta("f")), .key(.control("e")), .key(.enter)]
        round += Array(repeating: .key(.character("j")), count: 4) + [.key(.character("x")), .key(.character("k")), .key(.enter), .key(.escape)]
        round += [.key(.tab), .key(.character("j")), .key(.character("k")), .key(.tab), .key(.pageDown), .key(.tab)]
        round += [.mouse(MouseEvent(kind: .press, x: 3, y: 12)), .mouse(MouseEvent(kind: .wheelDown, x: 3, y: 12))]
        round.append(.key(.character(":")))
        type("top")
        round += [.key(.tab)]
        type("3")
        round.append(.key(.enter))
        round += [.key(.character(":")), .key(.character("m")), .key(.tab), .key(.tab), .key(.escape)]
        round += [.key(.function(3)), .key(.down), .key(.down), .key(.character("4")), .key(.escape)]
        round += [.key(.function(1)), .key(.character("j")), .key(.escape), .key(.function(2)), .key(.escape)]
        round += [.resize(width: 100, height: 30), .key(.character("j")), .resize(width: 120, height: 40)]
        round += [.key(.character("/")), .key(.up), .key(.enter)]
        var events: [InputEvent] = []
        while events.count < count { events += round }
        return Array(events.prefix(count))
    }

    /// Runs the benchmark; `timing` controls how fast the scripted backend streams.
    public static func run(keys: Int = 1000, width: Int = 120, height: Int = 40,
                           timing: ScriptedBackend.Timing = .realistic) throws -> Result {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-bench-tui-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let clock = ContinuousClock()
        let start = clock.now
        let screen = OffscreenScreen(width: width, height: height)
        let controller = WorkbenchController(screen: screen, backend: ScriptedBackend(timing: timing), workspace: workspace,
                                             themes: .standard(workspace: nil))
        controller.start()
        let firstFrame = milliseconds(start.duration(to: clock.now))
        var latencies: [Double] = []
        latencies.reserveCapacity(keys)
        var messages = 0
        for event in script(count: keys) {
            if case .resize(let w, let h) = event { screen.send(.resize(width: w, height: h)); _ = screen.pollEvent() }
            let t0 = clock.now
            controller.process(event)
            controller.processMessages()
            controller.renderIfNeeded()
            latencies.append(milliseconds(t0.duration(to: clock.now)))
            if controller.state.quitRequested { break }
            // Let background streams make progress between keys, as a typing user would (≈ 2 ms).
            let pause = clock.now.advanced(by: .milliseconds(2))
            while clock.now < pause { messages += controller.inbox.isEmpty ? 0 : 1; usleep(200) }
            controller.processMessages()
            controller.renderIfNeeded()
        }
        controller.stop()
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))]
        }
        return Result(keys: latencies.count, width: width, height: height, firstFrameMilliseconds: firstFrame,
                      p50Milliseconds: percentile(0.5), p99Milliseconds: percentile(0.99), maxMilliseconds: sorted.last ?? 0,
                      meanMilliseconds: latencies.reduce(0, +) / Double(max(1, latencies.count)),
                      framesPresented: screen.framesPresented, backendMessages: messages)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
    }
}
