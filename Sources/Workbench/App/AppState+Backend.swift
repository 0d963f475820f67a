// Folding backend results and stream events into the state.

extension AppState {
    /// Applies one backend message; returns whether to redraw and any follow-up effects.
    public mutating func receive(_ message: BackendMessage) -> (KeyOutcome, [Effect]) {
        switch message {
        case .status(let status):
            if self.message == nil, status != self.status {
                if case .unavailable(let reason) = status.model { self.message = StatusMessage("model: \(reason)", isError: true) }
            }
            self.status = status
        case .documents(let list):
            documents = list
            clampScrolls()
        case .documentText(let path, let text):
            documentTexts[path] = text
        case .searchFinished(let id, let found):
            guard id == queryID else { return (.ignored, []) }
            searching = false
            hits = found
            selectedHit = 0
            hitsScroll = 0
            if found.isEmpty { self.message = StatusMessage("no hits for \"\(lastQuery)\"") }
            let effects = arms.filter { $0 != .ft }.map { startArm($0) }
            return (.changed, effects + previewEffects())
        case .searchFailed(let id, let reason):
            guard id == queryID else { return (.ignored, []) }
            searching = false
            self.message = StatusMessage("search failed: \(reason)", isError: true)
            for arm in arms where arm != .ft {
                armStates[arm, default: ArmState()].phase = .failed("no passages: \(reason)")
                armStates[arm, default: ArmState()].detail = "search failed"
            }
        case .arm(let arm, let runID, let event):
            guard armRunIDs[arm] == runID else { return (.ignored, []) }
            var state = armStates[arm] ?? ArmState()
            switch event {
            case .token(let text):
                state.text += text
                state.tokensReceived += 1
                state.phase = .streaming
            case .finished(let stats):
                state.stats = stats
                state.phase = .done
            case .failed(let reason):
                state.phase = .failed(reason)
            }
            armStates[arm] = state
        case .adapters(let list):
            adapters = list
            adaptersSelection = min(adaptersSelection, list.count)
        case .datasets(let list):
            datasets = list
            trainForm.datasetIndex = min(trainForm.datasetIndex, max(0, list.count - 1))
        case .evaluationSuites(let list):
            evaluation.suites = list
            evaluation.suiteIndex = min(evaluation.suiteIndex, max(0, list.count - 1))
        case .training(let event):
            return receiveTraining(event)
        case .index(let event):
            return receiveIndex(event)
        case .evaluation(let event):
            return receiveEvaluation(event)
        case .evaluationRuns(let list):
            evaluation.runs = list
            evaluation.runIndex = min(evaluation.runIndex, max(0, list.count - 1))
        case .evaluationRun(let run):
            return receiveEvaluationRun(run)
        case .failure(let text):
            self.message = StatusMessage(text, isError: true)
        case .notice(let text):
            self.message = StatusMessage(text)
        case .quit:
            quitRequested = true
            return ([.handled, .quit], [])
        }
        return (.changed, [])
    }

    mutating func receiveTraining(_ event: TrainingEvent) -> (KeyOutcome, [Effect]) {
        guard var job = training else { return (.ignored, []) }
        switch event {
        case .progress(let progress):
            job.latest = progress
            job.losses.append(ChartPoint(x: Double(progress.step), y: progress.loss))
            if let validation = progress.validationLoss {
                job.validationLosses.append(ChartPoint(x: Double(progress.step), y: validation))
            }
        case .finished(let adapter):
            job.phase = .finished
            adapters.removeAll { $0.name == adapter.name }
            adapters.append(adapter)
            message = StatusMessage("training finished: adapter \(adapter.name) is ready (F4 or :adapter \(adapter.name))")
            training = job
            return (.changed, [.refreshAdapters])
        case .failed(let reason):
            job.phase = .failed(reason)
            message = StatusMessage("training failed: \(reason)", isError: true)
        case .cancelled:
            job.phase = .cancelled
            message = StatusMessage("training cancelled")
        }
        training = job
        return (.changed, [])
    }

    mutating func receiveIndex(_ event: IndexEvent) -> (KeyOutcome, [Effect]) {
        var job = indexJob ?? IndexJobState()
        switch event {
        case .progress(let progress):
            job.latest = progress
        case .finished(let summary):
            job.phase = .finished
            job.summary = summary
            indexJob = job
            message = StatusMessage("indexed \(summary.documents) documents, \(summary.chunks) chunks (+\(summary.added) ~\(summary.changed) -\(summary.removed)) in \(Format.fixed(summary.seconds, 1)) s")
            return (.changed, [.refreshDocuments] + rerun())
        case .failed(let reason):
            job.phase = .failed(reason)
            message = StatusMessage("indexing failed: \(reason)", isError: true)
        }
        indexJob = job
        return (.changed, [])
    }
}
