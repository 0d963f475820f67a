// The benchmark's memory figures: a reset peak forgets memory touched and freed before it, so
// `bench train --rounds N` reports each round's own peak.
import Foundation
import Testing
@testable import Training

@Suite("Process memory figures")
struct ProcessMemoryTests {
    @Test func resetPeakForgetsFreedMemory() {
        let bytes = 2 << 30
        // Touch 2 GiB (a fresh mapping, so freeing returns it to the system), then free it. The margins
        // (500 MiB) leave room for other suites allocating in this process meanwhile.
        let block = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 4096)
        memset(block, 1, bytes)
        let touchedPeak = ProcessMemory.peakRSSMiB
        block.deallocate()
        #expect(touchedPeak >= ProcessMemory.currentRSSMiB + 500)
        ProcessMemory.resetPeak()
        #expect(ProcessMemory.peakRSSMiB < touchedPeak - 500)
    }
}
