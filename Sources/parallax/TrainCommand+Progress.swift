// How `parallax train` shows training events: a one-line progress bar on a terminal, plain lines
// otherwise, or one JSON object per event.
import Foundation
import Training

struct TrainingProgressPrinter {
    let json: Bool
    let terminal = isatty(STDOUT_FILENO) != 0
    var lastValidation: Double?

    init(json: Bool) { self.json = json }

    mutating func show(_ event: TrainingEvent) {
        if json {
            print(event.jsonLine)
            fflush(nil)
            return
        }
        switch event {
        case .prepared(let s):
            print("examples: \(s.examples) (train \(s.trainExamples), validation \(s.validationExamples)); "
                  + "truncated \(s.truncated), skipped after truncation \(s.emptyAfterTruncation), malformed lines \(s.malformedLines.count)")
            for line in s.malformedLines.prefix(20) { print("  line \(line.line): \(line.reason)") }
            if s.malformedLines.count > 20 { print("  … \(s.malformedLines.count - 20) more") }
            print("steps: \(s.totalSteps); trainable parameters: \(s.trainableParameters)"
                  + (s.resumedFromStep.map { "; resuming after step \($0)" } ?? ""))
            if let note = s.resumeNote { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        case .step(let p):
            let width = 24
            let filled = p.totalSteps > 0 ? width * p.step / p.totalSteps : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let val = lastValidation.map { String(format: " val %.3f", $0) } ?? ""
            let line = String(format: "[%@] %d/%d  epoch %d  loss %.3f%@  lr %.2e  %.0f tok/s  ETA %@",
                              bar, p.step, p.totalSteps, p.epoch, p.loss, val, p.learningRate, p.tokensPerSecond,
                              Self.duration(p.etaSeconds))
            if terminal { print("\r\u{1B}[K" + line, terminator: "") } else { print(line) }
            fflush(nil)
        case let .validation(step, loss):
            lastValidation = loss
            if !terminal { print(String(format: "validation at step %d: %.4f", step, loss)) }
        case let .checkpoint(step, _):
            if !terminal { print("checkpoint at step \(step)") }
        case let .earlyStop(step, best):
            print(String(format: "\nearly stop at step %d (best validation loss %.4f)", step, best))
        case .finished(let o):
            print(String(format: "\ndone: %d steps in %@, final loss %.4f%@; adapter in %@", o.steps, Self.duration(o.seconds),
                         o.finalLoss, o.bestValidationLoss.map { String(format: ", best validation loss %.4f", $0) } ?? "",
                         o.adapterDirectory))
        case let .cancelled(step, checkpoint):
            print("\ncancelled at step \(step); " + (checkpoint.map { "checkpoint of step \($0) kept: rerun with --resume to continue" }
                                                     ?? "no checkpoint was written yet"))
        case .failed(let message):
            FileHandle.standardError.write(Data("\nerror: \(message)\n".utf8))
        }
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
