// The order of a whole run, fixed up front from the seed: per-epoch permutations of the training
// examples → rows → micro-batches → optimiser steps. Saved in checkpoints so --resume replays it.
import Kernels
import Models

/// Every optimiser step of a run as lists of micro-batches of rows of example indices.
public struct TrainingSchedule: Sendable, Codable, Equatable {
    /// Permutation of the training examples for each epoch used.
    public var epochOrders: [[Int]]
    /// steps[s] = micro-batches; each micro-batch = rows; each row = example indices.
    public var steps: [[[[Int]]]]
    /// Epoch (0-based) of each step.
    public var stepEpochs: [Int]

    /// Builds the schedule for `train` (indices into `data.examples`).
    public init(data: TrainingData, train: [Int], settings: TrainingSettings) {
        self.init(epochOrders: [], data: data, train: train, settings: settings)
    }

    /// Rebuilds a schedule from saved epoch orders (generating more if the run needs them).
    public init(epochOrders saved: [[Int]], data: TrainingData, train: [Int], settings: TrainingSettings) {
        var orders: [[Int]] = []
        var steps: [[[[Int]]]] = []
        var epochs: [Int] = []
        var epoch = 0
        while true {
            if let target = settings.maxSteps {
                if steps.count >= target { break }
            } else if epoch >= settings.epochs {
                break
            }
            let order: [Int]
            if epoch < saved.count {
                order = saved[epoch]
            } else {
                var rng = SplitMix64(seed: SplitMix64.mix(settings.seed &+ UInt64(epoch) &* 0x9E37))
                order = train.shuffled(using: &rng)
            }
            orders.append(order)
            let rows = data.rows(order: order, seq: settings.seqLen, layout: settings.layout)
            let micro = stride(from: 0, to: rows.count, by: settings.batchSize).map {
                Array(rows[$0..<min(rows.count, $0 + settings.batchSize)])
            }
            for start in stride(from: 0, to: micro.count, by: settings.gradientAccumulation) {
                steps.append(Array(micro[start..<min(micro.count, start + settings.gradientAccumulation)]))
                epochs.append(epoch)
            }
            epoch += 1
            if micro.isEmpty { break }
        }
        if let target = settings.maxSteps, steps.count > target {
            steps.removeLast(steps.count - target)
            epochs.removeLast(epochs.count - target)
        }
        self.epochOrders = orders
        self.steps = steps
        self.stepEpochs = epochs
    }
}
