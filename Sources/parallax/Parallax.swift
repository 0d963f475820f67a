// The `parallax` executable: argument parsing and wiring only; the work happens in the core modules.
import ArgumentParser
import Foundation
import Kernels

@main
enum Entry {
    static func main() async {
        OpenBLASSetup.relaunchIfNeeded()
        await Parallax.main()
    }
}

struct Parallax: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parallax",
        abstract: "See what fine-tuning and retrieval each do to a small model, side by side.",
        discussion: """
            With no subcommand, opens the workbench on the workspace in the current folder.
            Models live in $PARALLAX_MODELS (else $XDG_CACHE_HOME/parallax/models, else
            ~/.cache/parallax/models); `make run` fetches and verifies them.
            """,
        version: "0.1.0",
        subcommands: [
            TUICommand.self,
            ModelsCommand.self,
            GenerateCommand.self,
            BenchCommand.self,
            EvalCommand.self,
            IndexCommand.self,
            SearchCommand.self,
            AskCommand.self,
            TokenizeCommand.self,
            TrainCommand.self,
            AdaptersCommand.self,
        ],
        defaultSubcommand: TUICommand.self
    )
}

/// Makes OpenBLAS use its best kernels before it loads (see `BLASCoreType`).
enum OpenBLASSetup {
    static func relaunchIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["PARALLAX_NO_RELAUNCH"] == nil,
              let core = BLASCoreType.choice(environment: environment),
              environment["OPENBLAS_CORETYPE"] != core else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv("PARALLAX_NO_RELAUNCH", "1", 1)
        if environment["OPENBLAS_NUM_THREADS"] == nil {
            setenv("OPENBLAS_NUM_THREADS", String(min(2, CPUFeatures.activeProcessorCount)), 1)
        }
        var cArguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &cArguments)
        // execv returns only on failure: carry on with OpenBLAS's own choice.
    }
}
