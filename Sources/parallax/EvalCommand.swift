// `parallax eval …`: retrieval quality on BEIR folders, QA suites across arms, knowledge updates.
import ArgumentParser

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate retrieval and the answer arms.",
        subcommands: [
            // retrieval, qa, update add themselves here.
            EvalRetrievalCommand.self,
            EvalQACommand.self,
            EvalUpdateCommand.self,
            EvalFormatCommand.self,
            EvalReportCommand.self,
        ]
    )
}
