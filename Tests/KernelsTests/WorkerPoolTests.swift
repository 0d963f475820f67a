// The worker pool runs every task exactly once, also when several threads call it at once.
import Foundation
import Synchronization
import Testing
@testable import Kernels

@Suite struct WorkerPoolTests {
    @Test(arguments: [0, 1, 2, 3, 17, 1000])
    func everyTaskRunsOnce(_ tasks: Int) {
        let pool = WorkerPool(threads: 3)
        var hits = [Int](repeating: 0, count: tasks)
        hits.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress
            for _ in 0..<50 { pool.parallelFor(tasks) { p![$0] += 1 } }
        }
        #expect(hits.allSatisfy { $0 == 50 })
        pool.shutdown()
    }

    @Test func wakesAfterSleeping() {
        let pool = WorkerPool(threads: 2, spinLimit: 10)
        let counter = Atomic<Int>(0)
        for _ in 0..<5 {
            usleep(2000)   // long enough for the worker to fall asleep
            pool.parallelFor(64) { _ in counter.add(1, ordering: .relaxed) }
        }
        #expect(counter.load(ordering: .relaxed) == 320)
        pool.shutdown()
    }

    final class Counter: Sendable { let value = Atomic<Int>(0) }

    @Test func concurrentCallersAreSerialised() async {
        let pool = WorkerPool(threads: 2)
        let box = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { for _ in 0..<200 { pool.parallelFor(10) { _ in box.value.add(1, ordering: .relaxed) } } }
            }
        }
        #expect(box.value.load(ordering: .relaxed) == 4 * 200 * 10)
        pool.shutdown()
    }

    /// A shut-down pool is freed once its workers have left (its deinit releases the mutexes and
    /// condition variable; LeakSanitizer in `make check-sanitizers` found them leaked before).
    @Test(arguments: [1, 2, 4])
    func shutDownPoolIsFreed(_ threads: Int) async throws {
        weak var freed: WorkerPool?
        do {
            let pool = WorkerPool(threads: threads, spinLimit: 10)
            freed = pool
            pool.parallelFor(8) { _ in }
            pool.shutdown()
        }
        var waited = 0
        while freed != nil && waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(freed == nil, "the pool is still alive 5 s after shutdown")
    }
}
