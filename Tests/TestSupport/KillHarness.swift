// Test support for kill tests (shared by IndexingTests and TrainingTests): runs the real `parallax`
// binary, kills it after a delay, and draws kill times from a seeded generator whose seed the test prints.
import Foundation
import Kernels

public enum KillHarness {
    /// PARALLAX_BIN, else the release binary of this checkout.
    public static func binary() -> URL? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = ProcessInfo.processInfo.environment["PARALLAX_BIN"] ?? root.appendingPathComponent(".build/release/parallax").path
        return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }

    public struct Ended: CustomStringConvertible, Sendable {
        public var status: Int32
        public var killed: Bool
        /// Ended by the kill, or exited with status 0 before it.
        public var exitedCleanlyOrKilled: Bool { killed || status == 0 }
        public var description: String { killed ? "killed" : "exit status \(status)" }
    }

    /// Starts the binary; stdout and stderr go to `log` (appended) when given, else nowhere.
    public static func start(_ binary: URL, _ arguments: [String], environment: [String: String] = [:], log: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var output = FileHandle.nullDevice
        if let log {
            if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
            output = try FileHandle(forWritingTo: log)
            try output.seekToEnd()
        }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs to the end.
    public static func run(_ binary: URL, _ arguments: [String], environment: [String: String] = [:], log: URL? = nil) throws -> Ended {
        let process = try start(binary, arguments, environment: environment, log: log)
        process.waitUntilExit()
        return Ended(status: process.terminationStatus, killed: false)
    }

    /// Starts, waits `delay` seconds (or until the process ends), then sends SIGKILL.
    public static func runAndKill(_ binary: URL, _ arguments: [String], after delay: Double,
                           environment: [String: String] = [:], log: URL? = nil) throws -> Ended {
        let process = try start(binary, arguments, environment: environment, log: log)
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning, Date() < deadline { usleep(2_000) }
        return kill(process)
    }

    /// Polls `condition` every 5 ms while the process runs, up to `timeout` seconds (scaled under a
    /// sanitizer, `WallClock`); true if it held.
    public static func wait(for process: Process, timeout: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(WallClock.limit(timeout))
        while Date() < deadline {
            if condition() { return true }
            if !process.isRunning { return condition() }
            usleep(5_000)
        }
        return false
    }

    /// SIGKILL now (if still running), then reaps it.
    public static func kill(_ process: Process) -> Ended {
        var killed = false
        if process.isRunning {
            killed = Foundation.kill(process.processIdentifier, SIGKILL) == 0
        }
        process.waitUntilExit()
        killed = killed && process.terminationReason == .uncaughtSignal
        return Ended(status: process.terminationStatus, killed: killed)
    }

    /// Kill times from SplitMix64; the seed comes from PARALLAX_KILL_SEED or is drawn at random.
    public struct SeededRandom {
        public let seed: UInt64
        private var generator: SplitMix64

        public init(seed: UInt64) {
            self.seed = seed
            generator = SplitMix64(seed: seed)
        }

        public static func fromEnvironment() -> SeededRandom {
            SeededRandom(seed: ProcessInfo.processInfo.environment["PARALLAX_KILL_SEED"].flatMap { UInt64($0) }
                         ?? UInt64.random(in: 1...999_999))
        }

        public mutating func next() -> UInt64 { generator.next() }

        /// Uniform in [low, high).
        public mutating func uniform(_ low: Double, _ high: Double) -> Double {
            low + (high - low) * Double(next() >> 11) / Double(1 << 53)
        }
    }
}
