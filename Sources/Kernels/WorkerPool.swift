// A small persistent worker pool for fork/join loops: about 1 µs per fork/join where
// DispatchQueue.concurrentPerform costs 20–45 µs (see PERFORMANCE.md, trap 5).
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Persistent threads that run `parallelFor` bodies. Workers spin briefly after each job
/// (decode issues 150+ small jobs per token) and then sleep on a condition variable, so an
/// idle pool costs nothing. Callers from several threads are serialised: one job at a time.
public final class WorkerPool: @unchecked Sendable {
    /// The pool the models use. Its size comes from `PARALLAX_THREADS`, else the number of
    /// online CPUs (at most 8).
    public static let shared = WorkerPool(threads: WorkerPool.defaultThreadCount)

    /// Threads taking part in a job, the caller included.
    public let threadCount: Int

    private let generation = Atomic<Int>(0)
    private let nextTask = Atomic<Int>(0)
    /// Workers inside the current job; the caller waits for it to drop to zero.
    private let activeWorkers = Atomic<Int>(0)
    /// The generation whose job the caller has closed: late workers must not join it.
    private let closedGeneration = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let sleepMutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wakeCondition: UnsafeMutablePointer<pthread_cond_t>
    private let callerMutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Written by the caller before `generation` is bumped, read by workers after they see it.
    private var body: ((Int) -> Void)?
    private var taskCount = 0
    /// Spin iterations before a worker goes to sleep (a few tens of microseconds).
    private let spinLimit: Int

    public static var defaultThreadCount: Int {
        if let text = getenv("PARALLAX_THREADS").map({ String(cString: $0) }), let n = Int(text), n > 0 {
            return min(n, 64)
        }
        return min(8, CPUFeatures.activeProcessorCount)
    }

    /// Starts `threads - 1` worker threads (the caller is the remaining one).
    public init(threads: Int, spinLimit: Int = 20_000) {
        threadCount = max(1, threads)
        self.spinLimit = spinLimit
        sleepMutex = .allocate(capacity: 1)
        wakeCondition = .allocate(capacity: 1)
        callerMutex = .allocate(capacity: 1)
        pthread_mutex_init(sleepMutex, nil)
        pthread_cond_init(wakeCondition, nil)
        pthread_mutex_init(callerMutex, nil)
        for _ in 1..<threadCount {
            let box = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            let started = pthread_create(&thread, nil, { raw in
                let pool = Unmanaged<WorkerPool>.fromOpaque(raw!).takeRetainedValue()
                pool.workerLoop()
                return nil
            }, box)
            if started == 0 { pthread_detach(thread) } else { Unmanaged<WorkerPool>.fromOpaque(box).release() }
        }
    }

    /// Runs when the last worker has left after `shutdown()` (or for a one-thread pool): frees the
    /// synchronisation objects, which `make check-sanitizers` reported as leaked without this.
    deinit {
        pthread_mutex_destroy(sleepMutex)
        pthread_cond_destroy(wakeCondition)
        pthread_mutex_destroy(callerMutex)
        sleepMutex.deallocate()
        wakeCondition.deallocate()
        callerMutex.deallocate()
    }

    /// Stops the workers once they finish (they hold the pool alive while they run).
    public func shutdown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        pthread_mutex_lock(sleepMutex)
        pthread_cond_broadcast(wakeCondition)
        pthread_mutex_unlock(sleepMutex)
    }

    /// Runs `body(i)` for every i in 0..<tasks on the pool's threads and the caller, and
    /// returns when all have finished. Tasks are handed out dynamically, in increasing order.
    public func parallelFor(_ tasks: Int, _ body: (Int) -> Void) {
        guard tasks > 1, threadCount > 1 else {
            for i in 0..<max(0, tasks) { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            pthread_mutex_lock(callerMutex)
            self.body = escaping
            taskCount = tasks
            nextTask.store(0, ordering: .relaxed)
            let job = generation.add(1, ordering: .sequentiallyConsistent).newValue
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(sleepMutex)
                pthread_cond_broadcast(wakeCondition)
                pthread_mutex_unlock(sleepMutex)
            }
            runTasks(escaping, count: tasks)
            // Close the job: a worker that has not joined yet (descheduled on a busy machine)
            // skips it, so the caller only waits for workers still finishing a task.
            closedGeneration.store(job, ordering: .sequentiallyConsistent)
            var spins = 0
            while activeWorkers.load(ordering: .sequentiallyConsistent) > 0 {
                spins += 1
                if spins > 2000 { sched_yield() } else { spinHint() }
            }
            self.body = nil
            pthread_mutex_unlock(callerMutex)
        }
    }

    @inline(__always)
    private func runTasks(_ body: (Int) -> Void, count: Int) {
        while true {
            let i = nextTask.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { return }
            body(i)
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var current = generation.load(ordering: .acquiring)
            var spins = 0
            while current == seen {
                spins += 1
                if spins < spinLimit {
                    spinHint()
                } else {
                    pthread_mutex_lock(sleepMutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    while generation.load(ordering: .sequentiallyConsistent) == seen {
                        pthread_cond_wait(wakeCondition, sleepMutex)
                    }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(sleepMutex)
                    spins = 0
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if stopping.load(ordering: .acquiring) { return }
            activeWorkers.add(1, ordering: .sequentiallyConsistent)
            if closedGeneration.load(ordering: .sequentiallyConsistent) < current, let body {
                runTasks(body, count: taskCount)
            }
            activeWorkers.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    @inline(__always)
    private func spinHint() {
        // No _mm_pause from Swift: a short dependency chain keeps the core from hammering the line.
        var x = 0
        for i in 0..<8 { x = x &+ i }
        _blackHole(x)
    }
}

@inline(never)
func _blackHole(_ x: Int) {}
