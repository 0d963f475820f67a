// What every benchmark reports the same way: this process's memory, the machine's load, medians.
import Foundation
import Training

/// Memory of this process and the machine's load, as every benchmark reports them.
enum MemoryUsage {
    /// Peak resident set size (VmHWM) in MiB.
    static func peakResidentMiB() -> Double { ProcessMemory.peakRSSMiB }
    /// Current resident set size (VmRSS) in MiB.
    static func residentMiB() -> Double { ProcessMemory.currentRSSMiB }

    /// The 1-, 5- and 15-minute load averages (the machine is shared: quote them with timings).
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// The median of `values` (the mean of the two middle ones for an even count; 0 when empty).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// A peer benchmark (a Python script of ../shared/peers) run as a child process, read back from
/// the JSON object it prints on its last line starting with `marker` ("RESULT ", "CHILD "), or on
/// its last line when `marker` is empty.
enum PeerProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `python arguments…` with `environment` added to this process's, and returns the record.
    /// The peer's standard error goes to ours with `showStandardError`, else nowhere.
    static func record(python: String, arguments: [String], environment: [String: String] = [:],
                       marker: String, showStandardError: Bool = false) -> Result<[String: Any], Failure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = showStandardError ? FileHandle.standardError : FileHandle.nullDevice
        do { try process.run() } catch { return .failure(Failure(description: "cannot run \(python): \(error)")) }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = output.split(separator: "\n")
        let line = marker.isEmpty ? lines.last : lines.last { $0.hasPrefix(marker) }?.dropFirst(marker.count)
        // A marked line is the script's own verdict, whatever its exit status; an unmarked last
        // line counts only from a script that succeeded (a traceback ends in other text).
        guard process.terminationStatus == 0 || !marker.isEmpty,
              let line, let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            let what = marker.isEmpty ? "no JSON line" : "no \(marker.trimmingCharacters(in: .whitespaces)) line"
            return .failure(Failure(description: "\(what) from \(python) (exit status \(process.terminationStatus))"))
        }
        return .success(object)
    }
}
