// Wall time per part of a training step, for `parallax bench train --profile`: where the step
// goes decides what to optimise next. Off unless a profile is attached to the model; then each
// layer call costs two clock reads (≈ 1,500 a step, well under a millisecond).
import Glibc

/// Accumulated wall seconds per part of the training step.
public final class StepProfile: @unchecked Sendable {
    public enum Part: String, CaseIterable, Sendable {
        case frozenForward = "frozen_products_forward"
        case frozenBackward = "frozen_products_backward"
        case loraForward = "lora_forward"
        case loraBackward = "lora_backward"
        case attentionForward = "attention_forward"
        case attentionBackward = "attention_backward"
        case head = "output_head"
        case swiGLU = "swiglu"
        case norms = "rms_norms"
        case rope = "rope"
        case residual = "residual_adds"
    }

    private static let order = Part.allCases
    private var seconds = [Double](repeating: 0, count: Part.allCases.count)

    public init() {}

    /// Clears every total (after warm-up steps).
    public func reset() { seconds = [Double](repeating: 0, count: seconds.count) }

    /// Seconds accumulated for each part, in `Part` order.
    public var totals: [(part: Part, seconds: Double)] {
        Self.order.enumerated().map { ($1, seconds[$0]) }
    }

    @inline(__always)
    func add(_ part: Part, _ interval: Double) {
        seconds[Self.order.firstIndex(of: part)!] += interval  // every case is in the order
    }

    @inline(__always)
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}

extension LlamaTrainingModel {
    /// Runs `body`, adding its wall time to `part` when a profile is attached.
    @inline(__always)
    func timed<R>(_ part: StepProfile.Part, _ body: () -> R) -> R {
        guard let profile else { return body() }
        let start = StepProfile.now()
        defer { profile.add(part, StepProfile.now() - start) }
        return body()
    }
}
