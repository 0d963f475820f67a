// Wall-clock limits in tests, scaled when the suite runs under a sanitizer: Fuzz/check-sanitizers.sh
// sets PARALLAX_SANITIZER (address or thread), whose builds run 2-15x slower. Normal runs keep
// every limit exactly as written.
import Foundation

public enum WallClock {
    /// How much longer work may take in this run: 1 normally, 4 under AddressSanitizer,
    /// 15 under ThreadSanitizer (PARALLAX_SANITIZER=address or thread).
    public static let slowdown = factor(sanitizer: ProcessInfo.processInfo.environment["PARALLAX_SANITIZER"])

    /// The slowdown factor for a PARALLAX_SANITIZER value (nil, empty or unknown: 1).
    public static func factor(sanitizer: String?) -> Double {
        switch sanitizer?.lowercased() {
        case "address": 4
        case "thread": 15
        default: 1
        }
    }

    /// A limit of `seconds` in a normal run, scaled by `slowdown`.
    public static func limit(_ seconds: Double) -> Double { seconds * slowdown }
}
