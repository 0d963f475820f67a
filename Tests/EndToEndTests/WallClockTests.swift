// Wall-clock limits stay as written in normal runs and grow only under a sanitizer (TestSupport.WallClock).
import Foundation
import Testing
import TestSupport

@Suite struct WallClockTests {
    @Test func limitsScaleOnlyUnderASanitizer() {
        #expect(WallClock.factor(sanitizer: nil) == 1)
        #expect(WallClock.factor(sanitizer: "") == 1)
        #expect(WallClock.factor(sanitizer: "undefined") == 1)
        #expect(WallClock.factor(sanitizer: "address") == 4)
        #expect(WallClock.factor(sanitizer: "thread") == 15)
        #expect(WallClock.factor(sanitizer: "THREAD") == 15)
        let expected = WallClock.factor(sanitizer: ProcessInfo.processInfo.environment["PARALLAX_SANITIZER"])
        #expect(WallClock.slowdown == expected)
        #expect(WallClock.limit(10) == 10 * expected)
    }
}
