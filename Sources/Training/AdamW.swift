// AdamW (Loshchilov & Hutter 2019, arXiv:1711.05101) with decoupled weight decay, as torch.optim.AdamW,
// plus global-norm gradient clipping; state kept flat beside the flat LoRA parameters.
import Foundation
import Models

/// Optimiser hyper-parameters (torch defaults except the learning rate).
public struct AdamWSettings: Sendable, Codable, Equatable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0.01
    public init() {}
}

/// First and second moments for every parameter, and the step count.
public final class AdamW: @unchecked Sendable {
    public let settings: AdamWSettings
    /// (P) first moment
    public let m: TrainingTensor
    /// (P) second moment
    public let v: TrainingTensor
    public private(set) var step = 0

    public init(parameterCount: Int, settings: AdamWSettings = AdamWSettings()) {
        self.settings = settings
        m = TrainingTensor(count: parameterCount)
        v = TrainingTensor(count: parameterCount)
    }

    /// One update of `parameters` from `gradients` at learning rate `lr`.
    public func update(parameters: TrainingTensor, gradients: TrainingTensor, lr: Float) {
        precondition(parameters.count == m.count && gradients.count == m.count, "AdamW: size mismatch")
        step += 1
        let s = settings
        let c1 = 1 - Float(pow(Double(s.beta1), Double(step)))
        let c2 = 1 - Float(pow(Double(s.beta2), Double(step)))
        let p = parameters.pointer, g = gradients.pointer, mp = m.pointer, vp = v.pointer
        let decay = 1 - lr * s.weightDecay
        for i in 0..<parameters.count {
            mp[i] = s.beta1 * mp[i] + (1 - s.beta1) * g[i]
            vp[i] = s.beta2 * vp[i] + (1 - s.beta2) * g[i] * g[i]
            let mHat = mp[i] / c1
            let vHat = vp[i] / c2
            p[i] = p[i] * decay - lr * mHat / (vHat.squareRoot() + s.epsilon)
        }
    }

    /// Restores moments and step count from a checkpoint.
    public func restore(m: [Float], v: [Float], step: Int) {
        self.m.assign(m)
        self.v.assign(v)
        self.step = step
    }

    /// Scales `gradients` so their global L2 norm is at most `maxNorm`; returns the norm before.
    @discardableResult
    public static func clip(_ gradients: TrainingTensor, maxNorm: Float) -> Float {
        var sum = 0.0
        for i in 0..<gradients.count { sum += Double(gradients.pointer[i]) * Double(gradients.pointer[i]) }
        let norm = Float(sum.squareRoot())
        if maxNorm > 0, norm > maxNorm {
            let k = maxNorm / (norm + 1e-6)
            for i in 0..<gradients.count { gradients.pointer[i] *= k }
        }
        return norm
    }
}

/// Linear warm-up from 0 to the peak, then cosine decay to `minimumFactor` × peak at the last step.
public struct LearningRateSchedule: Sendable, Codable, Equatable {
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var minimumFactor: Float

    public init(peak: Float, warmupSteps: Int, totalSteps: Int, minimumFactor: Float = 0) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.minimumFactor = minimumFactor
    }

    /// The rate for optimiser step `step` (1-based).
    public func rate(step: Int) -> Float {
        if warmupSteps > 0, step <= warmupSteps { return peak * Float(step) / Float(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        let progress = min(1, max(0, Float(step - warmupSteps) / Float(span)))
        let cosine = 0.5 * (1 + Float(cos(Double.pi * Double(progress))))
        return peak * (minimumFactor + (1 - minimumFactor) * cosine)
    }
}
