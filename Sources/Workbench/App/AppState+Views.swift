// Keys of the full-screen views: Train (F3), Index (F2), Adapters (F4); Evaluate (F5) is in AppState+Evaluate.
import Foundation
import ModelFiles

extension AppState {
    mutating func handleTrainKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        let rows = TrainForm.Row.allCases
        switch key {
        case .escape: view = .browse; return (.changed, [])
        case .up, .backTab:
            trainForm.row = rows[max(0, trainForm.row.rawValue - 1)]
            return (.changed, [])
        case .down, .tab:
            trainForm.row = rows[min(rows.count - 1, trainForm.row.rawValue + 1)]
            return (.changed, [])
        case .enter:
            if trainForm.row == .cancel { return cancelTraining() }
            return startTraining()
        default: break
        }
        switch trainForm.row {
        case .dataset:
            guard !datasets.isEmpty else { return (.handled, []) }
            if key == .right || key == .character("l") || key == .character("j") {
                trainForm.datasetIndex = (trainForm.datasetIndex + 1) % datasets.count
            } else if key == .left || key == .character("h") || key == .character("k") {
                trainForm.datasetIndex = (trainForm.datasetIndex - 1 + datasets.count) % datasets.count
            } else { return (.handled, []) }
        case .targets:
            let count = TrainForm.targetPresets.count
            if key == .right || key == .character(" ") { trainForm.targetPreset = (trainForm.targetPreset + 1) % count }
            else if key == .left { trainForm.targetPreset = (trainForm.targetPreset - 1 + count) % count }
            else { return (.handled, []) }
        case .name: return trainForm.name.handle(key) ? (.changed, []) : (.handled, [])
        case .rank: return trainForm.rank.handle(key) ? (.changed, []) : (.handled, [])
        case .alpha: return trainForm.alpha.handle(key) ? (.changed, []) : (.handled, [])
        case .learningRate: return trainForm.learningRate.handle(key) ? (.changed, []) : (.handled, [])
        case .steps: return trainForm.steps.handle(key) ? (.changed, []) : (.handled, [])
        case .start, .cancel: return (.handled, [])
        }
        return (.changed, [])
    }

    /// The training settings from the form, or a user-facing reason they are not valid.
    public func trainingConfig() -> Result<TrainingConfig, WorkbenchError> {
        func bad(_ field: String, _ value: String, _ expected: String) -> Result<TrainingConfig, WorkbenchError> {
            .failure(.badArgument(command: "train \(field)", value: value, expected: expected))
        }
        guard datasets.indices.contains(trainForm.datasetIndex) else {
            return .failure(.unavailable(feature: "training", reason: "no dataset found; add a chat-JSONL file to samples/datasets or the workspace"))
        }
        let name = trainForm.name.text.trimmingCharacters(in: .whitespaces)
        guard SafeName.isValid(name) else {
            return bad("name", name, "1–\(SafeName.maxLength) letters, digits, '-', '_' or '.', starting with a letter or digit")
        }
        guard let rank = Int(trainForm.rank.text), (1...256).contains(rank) else { return bad("rank", trainForm.rank.text, "a whole number 1–256") }
        guard let alpha = Double(trainForm.alpha.text), alpha.isFinite, alpha > 0 else { return bad("alpha", trainForm.alpha.text, "a positive number") }
        guard let lr = Double(trainForm.learningRate.text), lr.isFinite, lr > 0, lr <= 1 else {
            return bad("learning rate", trainForm.learningRate.text, "a number in (0, 1], e.g. 0.0002")
        }
        guard let steps = Int(trainForm.steps.text), (1...1_000_000).contains(steps) else { return bad("steps", trainForm.steps.text, "a whole number ≥ 1") }
        let preset = TrainForm.targetPresets[min(trainForm.targetPreset, TrainForm.targetPresets.count - 1)]
        let targets = preset.split(separator: ",").map(String.init)
        return .success(TrainingConfig(datasetPath: datasets[trainForm.datasetIndex].path, adapterName: name, rank: rank,
                                       alpha: alpha, targets: targets, learningRate: lr, steps: steps))
    }

    mutating func startTraining() -> (KeyOutcome, [Effect]) {
        if training?.phase == .running {
            message = StatusMessage("a training job is already running; cancel it first", isError: true)
            return (.changed, [])
        }
        if let reason = status?.trainingUnavailableReason {
            message = StatusMessage("training is not available: \(reason)", isError: true)
            return (.changed, [])
        }
        switch trainingConfig() {
        case .failure(let error):
            message = StatusMessage(error.description, isError: true)
            return (.changed, [])
        case .success(let config):
            training = TrainingJobState(config: config)
            message = StatusMessage("training \(config.adapterName): runs in the background; Esc to keep browsing")
            return (.changed, [.startTraining(config)])
        }
    }

    mutating func cancelTraining() -> (KeyOutcome, [Effect]) {
        guard training?.phase == .running else {
            message = StatusMessage("no training job is running")
            return (.changed, [])
        }
        message = StatusMessage("cancelling training…")
        return (.changed, [.cancelTraining])
    }

    mutating func handleIndexKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        switch key {
        case .escape: view = .browse; return (.changed, [])
        case .enter:
            guard indexJob?.phase != .running else {
                message = StatusMessage("indexing is already running", isError: true)
                return (.changed, [])
            }
            let folder = indexFolder.text.trimmingCharacters(in: .whitespaces)
            indexJob = IndexJobState()
            indexFolder.set("")
            message = StatusMessage(folder.isEmpty ? "re-indexing…" : "adding \(folder) and re-indexing…")
            return (.changed, [.reindex(addingFolders: folder.isEmpty ? [] : [folder])])
        default:
            return indexFolder.handle(key) ? (.changed, []) : (.handled, [])
        }
    }

    mutating func handleAdaptersKey(_ key: Key) -> (KeyOutcome, [Effect]) {
        // Row 0 is "none"; rows 1… are the adapters.
        switch key {
        case .escape: view = .browse
        case .down, .character("j"): adaptersSelection = min(adapters.count, adaptersSelection + 1)
        case .up, .character("k"): adaptersSelection = max(0, adaptersSelection - 1)
        case .character("+"), .character("="): return applyCommand(.scale(min(2, ((adapterScale + 0.1) * 10).rounded() / 10)))
        case .character("-"): return applyCommand(.scale(max(0, ((adapterScale - 0.1) * 10).rounded() / 10)))
        case .enter:
            let name = adaptersSelection == 0 ? nil : adapters[safe: adaptersSelection - 1]?.name
            return (.changed, selectAdapter(name))
        default: return (.handled, [])
        }
        return (.changed, [])
    }
}

extension Array {
    /// The element at `index`, or nil when out of range.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
