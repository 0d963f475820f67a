// A thread-safe mailbox from background tasks to the UI loop, with a pipe the loop can poll() to wake up at once.
import Foundation
import Synchronization

/// Background tasks post `BackendMessage`s here; the UI loop drains them between input events.
public final class Inbox: Sendable {
    private let queue = Mutex<[BackendMessage]>([])
    /// Read end (polled by the UI loop) and write end of the wake-up pipe; -1 if no pipe could be made.
    public let wakeReadFD: Int32
    private let wakeWriteFD: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
            wakeReadFD = fds[0]
            wakeWriteFD = fds[1]
        } else {
            wakeReadFD = -1
            wakeWriteFD = -1
        }
    }

    deinit {
        if wakeReadFD >= 0 { close(wakeReadFD) }
        if wakeWriteFD >= 0 { close(wakeWriteFD) }
    }

    /// Queues a message and wakes the UI loop.
    public func post(_ message: BackendMessage) {
        queue.withLock { $0.append(message) }
        if wakeWriteFD >= 0 {
            var byte: UInt8 = 1
            _ = write(wakeWriteFD, &byte, 1)
        }
    }

    /// Takes every queued message, oldest first.
    public func drain() -> [BackendMessage] {
        if wakeReadFD >= 0 {
            var scratch = [UInt8](repeating: 0, count: 256)
            while read(wakeReadFD, &scratch, scratch.count) > 0 {}
        }
        return queue.withLock { messages in
            let taken = messages
            messages.removeAll(keepingCapacity: true)
            return taken
        }
    }

    public var isEmpty: Bool { queue.withLock { $0.isEmpty } }
}
