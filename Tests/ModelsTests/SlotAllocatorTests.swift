// SlotAllocator on the worker pool: no two running tasks share a slot, and every slot comes back.
// Under ThreadSanitizer (make check-sanitizers) this is also the check that a slot's buffer passing
// between threads through the allocator is seen as ordered, which it was not with Synchronization.Mutex.
import Foundation
import Kernels
import Synchronization
import Testing
@testable import Models

@Suite struct SlotAllocatorTests {
    @Test func runningTasksNeverShareASlotAndEverySlotComesBack() {
        let pool = WorkerPool(threads: 2)
        let lanes = pool.threadCount
        let slots = SlotAllocator(count: lanes)
        // One plain (unsynchronised) buffer per slot, written by whichever task holds the slot, as
        // attention's scratch is; `holders` marks the slots in use (relaxed, so it orders nothing and
        // leaves the allocator as the only thing ThreadSanitizer can see ordering the buffers).
        let buffers = (0..<lanes).map { _ in UnsafeMutablePointer<Int>.allocate(capacity: 64) }
        defer { buffers.forEach { $0.deallocate() } }
        let holders = Atomic<Int>(0)
        let overlaps = Atomic<Int>(0)
        let sums = Atomic<Int>(0)
        pool.parallelFor(2000) { task in
            let slot = slots.acquire()
            defer { slots.release(slot) }
            let bit = 1 << slot
            let before = holders.bitwiseOr(bit, ordering: .relaxed).oldValue
            if before & bit != 0 { overlaps.add(1, ordering: .relaxed) }
            let buffer = buffers[slot]
            for i in 0..<64 { buffer[i] = task + i }
            var sum = 0
            for i in 0..<64 { sum += buffer[i] - i }
            if sum != 64 * task { overlaps.add(1, ordering: .relaxed) }
            sums.add(sum, ordering: .relaxed)
            holders.bitwiseAnd(~bit, ordering: .relaxed)
        }
        #expect(overlaps.load(ordering: .relaxed) == 0, "two tasks held one slot at once")
        #expect(sums.load(ordering: .relaxed) == 64 * (0..<2000).reduce(0, +))
        // Every slot was released: all of them can be taken again, each once.
        let retaken = Set((0..<lanes).map { _ in slots.acquire() })
        #expect(retaken == Set(0..<lanes))
    }
}
