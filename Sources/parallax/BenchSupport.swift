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
