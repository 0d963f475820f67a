// Hands each concurrently running pool task its own scratch slot (the attention layer's buffers).
import Foundation

/// A free list of slot indices behind a lock. The lock is a pthread mutex (NSLock) rather than
/// Synchronization.Mutex: ThreadSanitizer sees pthread locks, so it knows a slot's buffer passed from
/// one thread to the next through this list; with Mutex (futexes inside the uninstrumented runtime)
/// it reported every such hand-over as a data race on the buffer.
final class SlotAllocator: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Int]

    init(count: Int) { free = Array((0..<count).reversed()) }

    func acquire() -> Int {
        lock.withLock {
            precondition(!free.isEmpty, "more concurrent tasks than scratch slots")
            return free.removeLast()
        }
    }

    func release(_ slot: Int) { lock.withLock { free.append(slot) } }
}
