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

    @Option(name: .customLong("documents"), help: "A folder of documents the index covers (repeatable; default: the folder holding the workspace).")
    var documentFolders: [String] = []

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
        let roots = documentFolders.isEmpty ? [workspaceURL.deletingLastPathComponent()]
            : documentFolders.map { URL(fileURLWithPath: $0).standardizedFileURL }
        let suiteFolders = [workspaceURL.appendingPathComponent("suites"), URL(fileURLWithPath: "samples/qa"),
                            sourceRoot.appendingPathComponent("samples/qa")]
        let backend = LiveBackend(configuration: .init(workspace: workspaceURL, documentRoots: roots, modelURL: model,
                                                       datasetFolders: datasetFolders, suiteFolders: suiteFolders))
        let theme = self.theme
        // The process ends on the UI thread as soon as the terminal is restored (see
        // `TerminalSession.exitNow`): jobs still running in the background are not waited for.
        try await TerminalSession.runOnDedicatedThread {
            var status: Int32 = 0
            do {
                try TerminalSession.run(backend: backend, workspace: workspaceURL, theme: theme)
            } catch let error as WorkbenchError {
                FileHandle.standardError.write(Data("parallax: \(error)\n".utf8))
                status = 2
            } catch {
                FileHandle.standardError.write(Data("parallax: \(error)\n".utf8))
                status = 1
            }
            TerminalSession.exitNow(status: status)
        }
    }
}
