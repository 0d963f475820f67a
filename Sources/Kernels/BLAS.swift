// Thin, shape-commented wrappers over OpenBLAS, and the choice of OpenBLAS kernel set.
import CBLAS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Row-major single-precision matrix products on OpenBLAS.
public enum BLAS {
    /// C (m, n) = alpha · op(A) · op(B) + beta · C, all row-major.
    /// A is (m, k) or, transposed, (k, m); B is (k, n) or, transposed, (n, k).
    @inlinable
    public static func sgemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                    beta, c, Int32(ldc))
    }

    /// Runs `body` with OpenBLAS at `threads` threads, then restores the count from before. The
    /// count is process-wide and several jobs may hold it at once (a training step, a search, a
    /// re-index in the workbench): holders are counted, the first one's count stays until the last
    /// one leaves, and only the last one restores the count it found. Concurrent holders asking for
    /// different counts get the first one's.
    public static func withThreads<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
        threadHolders.enter(threads)
        defer { threadHolders.leave() }
        return try body()
    }

    /// Runs `body` with OpenBLAS limited to one thread (for products run from several threads at
    /// once, each its own part), then restores the previous count (see `withThreads`).
    @inline(__always)
    public static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        try withThreads(1, body)
    }

    static let threadHolders = HeldSetting(get: { BLAS.threads }, set: { BLAS.threads = $0 })

    /// Number of threads OpenBLAS uses for one call.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// The kernel set OpenBLAS picked at load time (e.g. "Haswell", "SkylakeX").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}

/// Chooses OpenBLAS's kernel set. Debian's dynamic-arch OpenBLAS picks its Haswell (AVX2)
/// kernels on AMD Zen CPUs that have AVX-512; its SkylakeX kernels run sgemm about twice as fast
/// there (≈480 vs ≈250 GFLOP/s on 2 threads, measured on the project machine). OpenBLAS reads
/// `OPENBLAS_CORETYPE` once, when the library loads, so the executable re-executes itself with
/// the variable set (see `parallax`'s entry point). Machine-wide environments may already set
/// `OPENBLAS_CORETYPE` (this project's machines set Haswell), so Parallax decides from the CPU;
/// `PARALLAX_OPENBLAS_CORETYPE` forces a kernel set (or `auto`/empty for OpenBLAS's own choice).
public enum BLASCoreType {
    /// The core type to ask for on this CPU, or nil to leave OpenBLAS's own choice.
    public static func preferred(cpuFlags: Set<String> = CPUFeatures.flags) -> String? {
        let avx512 = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
        return avx512.allSatisfy(cpuFlags.contains) ? "SkylakeX" : nil
    }

    /// The OPENBLAS_CORETYPE the process should run with, given its environment and CPU; nil keeps
    /// whatever the environment has.
    public static func choice(environment: [String: String], cpuFlags: Set<String> = CPUFeatures.flags) -> String? {
        if let forced = environment["PARALLAX_OPENBLAS_CORETYPE"] {
            let value = forced.trimmingCharacters(in: .whitespaces)
            return value.isEmpty || value.lowercased() == "auto" ? nil : value
        }
        return preferred(cpuFlags: cpuFlags)
    }
}

/// CPU feature flags as the kernel reports them in /proc/cpuinfo.
public enum CPUFeatures {
    public static let flags: Set<String> = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }()

    /// Logical CPUs this process may use.
    public static var activeProcessorCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}

/// A process-wide setting that several holders may set at once: the first holder's value stays
/// until the last holder leaves, and only then is the value from before restored.
final class HeldSetting: @unchecked Sendable {
    private let lock = NSLock()
    private let get: () -> Int
    private let set: (Int) -> Void
    private var holders = 0
    private var saved = 0

    init(get: @escaping () -> Int, set: @escaping (Int) -> Void) {
        self.get = get
        self.set = set
    }

    func enter(_ value: Int) {
        lock.lock()
        defer { lock.unlock() }
        if holders == 0 {
            saved = get()
            if saved != value { set(value) }
        }
        holders += 1
    }

    func leave() {
        lock.lock()
        defer { lock.unlock() }
        holders -= 1
        if holders == 0 && get() != saved { set(saved) }
    }
}
