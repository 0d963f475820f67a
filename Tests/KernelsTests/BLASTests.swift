// Checks the row-major sgemm wrapper against products worked by hand.
import Foundation
import Testing
@testable import Kernels

@Suite struct BLASTests {
    @Test func rowMajorProduct() {
        let a: [Float] = [1, 2, 3,
                          4, 5, 6]          // (2, 3)
        let b: [Float] = [7, 8,
                          9, 10,
                          11, 12]           // (3, 2)
        var c = [Float](repeating: 0, count: 4)
        BLAS.sgemm(m: 2, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2)
        #expect(c == [58, 64, 139, 154])
    }

    @Test func transposedOperands() {
        let a: [Float] = [1, 4, 2, 5, 3, 6]  // Aᵀ stored (3, 2)
        let b: [Float] = [7, 9, 11, 8, 10, 12] // Bᵀ stored (2, 3)
        var c = [Float](repeating: 1, count: 4)
        BLAS.sgemm(transA: true, transB: true, m: 2, n: 2, k: 3, a: a, lda: 2, b: b, ldb: 3,
                   beta: 1, c: &c, ldc: 2)
        #expect(c == [59, 65, 140, 155])
    }

    /// OpenBLAS's thread count is process-wide: an inner or overlapping holder leaving must not
    /// restore it under an outer one still running; the last one out restores the value from before.
    /// (On a stand-in setting, so other suites holding the real one cannot mask a failure.)
    @Test func heldSettingRestoresOnlyWhenTheLastHolderLeaves() {
        final class Box: @unchecked Sendable { var value = 2 }
        let box = Box()
        let setting = HeldSetting(get: { box.value }, set: { box.value = $0 })
        setting.enter(1)
        #expect(box.value == 1)
        setting.enter(1)
        setting.leave()
        #expect(box.value == 1, "the inner holder restored the value under the outer one")
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            setting.enter(1)
            setting.leave()
            done.signal()
        }
        done.wait()
        #expect(box.value == 1, "another thread's holder restored the value under this one")
        setting.leave()
        #expect(box.value == 2, "the last holder did not restore the value from before")
    }

    @Test func coreTypeChoiceOverridesAMachineDefaultUnlessForced() {
        let avx512: Set<String> = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]
        #expect(BLASCoreType.choice(environment: ["OPENBLAS_CORETYPE": "Haswell"], cpuFlags: avx512) == "SkylakeX")
        #expect(BLASCoreType.choice(environment: ["PARALLAX_OPENBLAS_CORETYPE": "Zen"], cpuFlags: avx512) == "Zen")
        #expect(BLASCoreType.choice(environment: ["PARALLAX_OPENBLAS_CORETYPE": "auto"], cpuFlags: avx512) == nil)
        #expect(BLASCoreType.choice(environment: [:], cpuFlags: ["avx2"]) == nil)
    }

    @Test func skylakeCoreTypeNeedsAllAVX512Subsets() {
        #expect(BLASCoreType.preferred(cpuFlags: ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]) == "SkylakeX")
        #expect(BLASCoreType.preferred(cpuFlags: ["avx2", "avx512f"]) == nil)
    }
}
