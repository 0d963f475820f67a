// `parallax bench …`: speed and memory benchmarks with machine-readable output (never tests).
import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed and memory; --json prints machine-readable results.",
        subcommands: [
            // Each benchmark adds itself here: generate, embed, index, search, train, tui, soak.
            BenchIndexCommand.self,
            BenchSearchCommand.self,
            BenchTrainCommand.self,
            BenchTUICommand.self,
            BenchTokenizeCommand.self,
            BenchEmbedCommand.self,
            BenchGenerateCommand.self,
            BenchSoakCommand.self,
        ]
    )
}
