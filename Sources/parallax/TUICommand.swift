// `parallax tui [--workspace DIR]` (also the default command): opens the terminal workbench.
import ArgumentParser
import Foundation
import ModelFiles
import Workbench

struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the workbench: one question, answered with retrieval and with fine-tuning, side by side.")

    @Option(help: "The workspace folder (index, adapters, history); default ./.parallax.")
    var workspace: String = ".parallax"

    @Option(help: "Colour theme: a file name in themes/ without .json (dark, light, high-contrast, monochrome).")
    var theme: String = "dark"

    func run() async throws {
        let workspaceURL = URL(fileURLWithPath: workspace, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let cache = ModelCache()
        let model = cache.generatorURL
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let datasetFolders = [workspaceURL.appendingPathComponent("datasets"),
                              URL(fileURLWithPath: "samples/datasets"),
                              sourceRoot.appendingPathComponent("samples/datasets")]
        // Until the live backend (Indexing + Inference + Training + Evaluation) is wired in, this reports
        // honest "not available" states; it never invents answers.
        let backend = OfflineBackend(workspace: workspaceURL, modelPath: model.path,
                                     modelPresent: FileManager.default.fileExists(atPath: model.path),
                                     datasetFolders: datasetFolders)
        let theme = self.theme
        do {
            try await TerminalSession.runOnDedicatedThread {
                try TerminalSession.run(backend: backend, workspace: workspaceURL, theme: theme)
            }
        } catch let error as WorkbenchError {
            FileHandle.standardError.write(Data("parallax: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
