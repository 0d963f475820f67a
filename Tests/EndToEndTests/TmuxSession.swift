// A small harness that runs a command in a detached tmux session of fixed size, sends keys and reads the screen.
import Foundation
import Testing
import TestSupport

/// One detached tmux session on a private server socket (so it never touches the user's tmux).
/// Reusable by any end-to-end test: start, `send`, `type`, `waitFor`, `capture`, `resize`, then `close`.
final class TmuxSession {
    let name: String
    let socket: String
    private(set) var closed = false

    /// Where tmux is, or nil if it is not installed.
    static let executable: String? = {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/tmux"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// Starts `command` (run by /bin/sh in `directory`) in a `width × height` session.
    init(command: String, directory: URL, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        let unique = "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        name = "parallax-e2e-\(unique)"
        socket = "parallax-e2e-\(unique)"
        let exports = environment.map { "export \($0.key)='\($0.value)';" }.joined(separator: " ")
        try run(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                 "-c", directory.path, "\(exports) \(command)"], readOutput: false)
        try run(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit { close() }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run time:
    /// Swift's Glibc module does not declare it (it needs _GNU_SOURCE).
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Runs one tmux command on this session's server and returns its standard output.
    /// `readOutput: false` for commands that may start the tmux server (which would otherwise inherit the pipe).
    /// Uses posix_spawn and waitpid directly: Foundation's Process did not always notice tmux exiting here.
    @discardableResult
    func run(_ arguments: [String], readOutput: Bool = true) throws -> String {
        guard let tmux = TmuxSession.executable else { throw TmuxError.notInstalled }
        let argv = [tmux, "-L", socket] + arguments
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw TmuxError.failed(arguments: arguments, status: -1) }
        // Tests run in parallel and a tmux server lives as long as its test. A server that kept
        // another test's pipe (ours, or a Foundation Pipe of a CLI test) would hold its write end
        // open and that test's read would not end until this server did. So our pipe is
        // close-on-exec, and the child closes every descriptor above 2 that it did not get on purpose.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if readOutput {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        // The test runner blocks signals on its threads; give tmux (and the server it may fork) a clean mask and
        // default handlers, or it cannot be stopped.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux, &actions, &attributes, &cArguments, environ)
        Glibc.close(fds[1])
        defer { Glibc.close(fds[0]) }
        guard spawned == 0 else { throw TmuxError.failed(arguments: arguments, status: spawned) }
        var data = Data()
        if readOutput {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fds[0], &chunk, chunk.count)
                if count <= 0 { break }
                data.append(contentsOf: chunk[0..<count])
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xFF
        guard status & 0x7F == 0, exitCode == 0 else { throw TmuxError.failed(arguments: arguments, status: exitCode) }
        return String(decoding: data, as: UTF8.self)
    }

    /// Sends tmux key names (e.g. "Enter", "F1", "C-c", "Escape", "Down").
    func send(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }

    /// Types `text` literally.
    func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }

    /// The visible screen as text, one line per row.
    func capture() throws -> String { try run(["capture-pane", "-p", "-t", name]) }

    /// A tmux format value for the pane, e.g. "#{alternate_on}" or "#{pane_dead}".
    func format(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Resizes the window (the program receives SIGWINCH).
    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// Polls the screen until `predicate` holds and returns the capture. A wait that times out
    /// records a test issue (with the screen), so every wait is a check that can fail. The timeout
    /// is scaled under a sanitizer (`WallClock`).
    ///
    /// A capture can land in the middle of a redraw (the top of a new overlay drawn, its lower rows
    /// not yet). So once `predicate` holds, the screen is captured again a moment later, for at
    /// most a second, until two captures agree; the last capture for which `predicate` held is
    /// returned (a passing state, such as a progress line, may be gone by the second capture).
    @discardableResult
    func waitFor(timeout: Double = 20, what: String = "the expected screen",
                 sourceLocation: SourceLocation = #_sourceLocation, _ predicate: (String) -> Bool) -> String {
        let timeout = WallClock.limit(timeout)
        let deadline = Date().addingTimeInterval(timeout)
        var screen = (try? capture()) ?? ""
        while !predicate(screen) && Date() < deadline {
            usleep(50_000)
            screen = (try? capture()) ?? ""
        }
        guard predicate(screen) else {
            Issue.record("waited \(timeout) s for \(what); the screen was:\n\(screen)", sourceLocation: sourceLocation)
            return screen
        }
        let settled = Date().addingTimeInterval(1)
        while Date() < settled {
            usleep(30_000)
            let again = (try? capture()) ?? ""
            guard again != screen, predicate(again) else { break }
            screen = again
        }
        return screen
    }

    /// Polls until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 20, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        waitFor(timeout: timeout, what: "\"\(text)\"", sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// The pid of the process running in the pane.
    func panePID() throws -> Int32 { Int32(try format("#{pane_pid}")) ?? 0 }

    /// Kills the session and its server.
    func close() {
        guard !closed else { return }
        closed = true
        _ = try? run(["kill-server"])
    }
}

enum TmuxError: Error, CustomStringConvertible {
    case notInstalled
    case failed(arguments: [String], status: Int32)
    var description: String {
        switch self {
        case .notInstalled: "tmux is not installed (apt-get install tmux)"
        case .failed(let arguments, let status): "tmux \(arguments.joined(separator: " ")) exited with \(status)"
        }
    }
}
